import { commands } from './commands.js'
import { UsageError, type Command } from './command.js'
import { isPorchlightError } from '../../protocol/errors.js'

function help (): string {
  const width = Math.max(4, ...commands.map((c) => c.name.length))
  return [
    'porchlight — consent-first footage requests between neighbors and verified agencies',
    '',
    'usage: porchlight <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  this text; \`porchlight help <command>\` for one command`
  ].join('\n')
}

/** Runs the CLI and returns the exit code. */
export async function main (argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const one = rest[0] === undefined ? undefined : commands.find((c) => c.name === rest[0])
    console.log(one === undefined ? help() : one.usage)
    return 0
  }
  const command: Command | undefined = commands.find((c) => c.name === name)
  if (command === undefined) {
    console.error(`porchlight: unknown command '${name}'\n\n${help()}`)
    return 2
  }
  try {
    return await command.run(rest)
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true)) {
      console.error(`porchlight ${name}: ${(err as Error).message}\n\n${command.usage}`)
      return 2
    }
    if (isPorchlightError(err)) {
      console.error(`porchlight ${name}: ${err.name} (${err.code}): ${err.message}`)
      return 1
    }
    throw err
  }
}
