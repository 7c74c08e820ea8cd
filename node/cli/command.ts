// What every `porchlight` command shares: commander (with its inferred option types) parses the flags and
// writes the help; this file holds the parsers that turn a flag's text into a typed value, and `act`, which
// turns what an action returns or throws into the process exit code.
import { InvalidArgumentError, type CommandUnknownOpts } from '@commander-js/extra-typings'
import { isAddress } from 'ethers'
import { isPorchlightError } from '../../protocol/errors.js'

/** Bad command-line input found after parsing (flags that exclude each other …): exit code 2 with the help. */
export class UsageError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

const exitCodes = new WeakMap<CommandUnknownOpts, number>()

function rootOf (command: CommandUnknownOpts): CommandUnknownOpts {
  let c = command
  while (c.parent !== null) c = c.parent
  return c
}

/** The exit code the last action run under `program` returned (0 when none ran, as for `--help`). */
export function exitCodeOf (program: CommandUnknownOpts): number {
  return exitCodes.get(program) ?? 0
}

/**
 * An action whose result is the exit code. A UsageError becomes commander's own usage error (message, the
 * command's help, exit 2); a PorchlightError is printed by name and code (exit 1); anything else is a bug
 * and propagates with its stack.
 */
export function act<A extends unknown[]> (run: (...args: A) => Promise<number>): (this: CommandUnknownOpts, ...args: A) => Promise<void> {
  return async function (this: CommandUnknownOpts, ...args: A): Promise<void> {
    let code: number
    try {
      code = await run(...args)
    } catch (err) {
      if (err instanceof UsageError) this.error(`error: ${err.message}`, { exitCode: 2, code: 'porchlight.usage' })
      if (!isPorchlightError(err)) throw err
      console.error(`${commandPath(this)}: ${err.name} (${err.code}): ${err.message}`)
      code = 1
    }
    exitCodes.set(rootOf(this), code)
  }
}

function commandPath (command: CommandUnknownOpts): string {
  const names: string[] = []
  for (let c: CommandUnknownOpts | null = command; c !== null; c = c.parent) names.unshift(c.name())
  return names.join(' ')
}

/** A repeatable flag's values, in the order given. */
export function collect (value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}

/** A parser for a whole number in `min..max` (digits only: no sign, no fraction, no exponent). */
export function wholeNumber (min: number, max: number = Number.MAX_SAFE_INTEGER): (text: string) => number {
  return (text) => {
    const n = Number(text)
    if (!/^\d+$/.test(text) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number ${min}..${max}`)
    return n
  }
}

/** A finite number (`--radius 150.5`). */
export function finiteNumber (text: string): number {
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number')
  return n
}

/** An Ethereum address, any case. */
export function address (text: string): string {
  if (!isAddress(text)) throw new InvalidArgumentError('expected an Ethereum address (0x and 40 hex digits)')
  return text
}

/** An ISO 8601 date-time, normalized to UTC (`2026-11-26T17:00:00.000Z`). */
export function isoTime (text: string): string {
  const ms = Date.parse(text)
  if (!Number.isFinite(ms)) throw new InvalidArgumentError('expected an ISO 8601 date-time')
  return new Date(ms).toISOString()
}

/** A comma-separated list, blanks dropped (`--cells a, b,` is `['a', 'b']`). */
export function commaList (text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '')
}
