// The `porchlight` program: commander parses every command's flags and writes its help (`porchlight help`,
// `porchlight <command> --help`). Exit codes: 0 done, 1 refused or failed (a typed error, printed by name
// and code) or what the command says (audit: a violation), 2 bad command-line input.
import { Command, CommanderError } from '@commander-js/extra-typings'
import { exitCodeOf } from './command.js'
import { addInitCommand } from './init.js'
import { addStartCommand } from './start.js'
import { addChainCommand } from './chain.js'
import { addCouncilCommand } from './council.js'
import { addRequestCommand } from './request.js'
import { addRequestsCommand } from './requests.js'
import { addClipsCommand } from './clips.js'
import { addCamerasCommand } from './cameras.js'
import { addConsentCommand } from './consent.js'
import { addSharesCommand } from './shares.js'
import { addUiLinkCommand } from './ui-link.js'
import { addFootageCommand } from './footage.js'
import { addEvidenceCommand } from './evidence.js'
import { addAuditCommand } from './audit.js'
import { addDemoCommand } from './demo.js'
import { addPairCommand } from './pair.js'
import { addUsersCommand } from './users.js'
import { addNotifyCommand } from './notify.js'

/** The program, every command added (in the order `porchlight help` lists them). */
export function createProgram (): Command {
  const program = new Command('porchlight')
    .description('consent-first footage requests between neighbors and verified agencies')
    // Set before the commands are added: commander copies these settings into each subcommand it makes.
    .exitOverride()
    .showHelpAfterError()
    // A command's options stop at its subcommand: `chain --out F` and `chain deploy --out F` are different files.
    .enablePositionalOptions()
    .configureOutput({
      // Through console, so that a caller in the same process (the tests) can capture what is printed.
      writeOut: (text) => { console.log(text.trimEnd()) },
      writeErr: (text) => { console.error(text.trimEnd()) }
    })
  for (const add of [addInitCommand, addStartCommand, addChainCommand, addCouncilCommand, addRequestCommand, addRequestsCommand,
    addClipsCommand, addCamerasCommand, addConsentCommand, addSharesCommand, addFootageCommand, addEvidenceCommand, addNotifyCommand, addAuditCommand, addPairCommand, addUsersCommand, addUiLinkCommand, addDemoCommand]) add(program)
  return program
}

/** Runs the CLI on `argv` (without node and the script) and returns the exit code. */
export async function main (argv: string[]): Promise<number> {
  const program = createProgram()
  if (argv.length === 0) {
    program.outputHelp()
    return 0
  }
  try {
    await program.parseAsync(argv, { from: 'user' })
    return exitCodeOf(program)
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err
    // `--help` and `help` ask for the help; anything else commander refused is bad input (as is a group
    // without its subcommand, `porchlight footage`, for which commander shows the help with exit code 1).
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0
    if (err.code === 'commander.help' && err.exitCode === 0) return 0
    return 2
  }
}
