// Every `porchlight` command, in the order `porchlight help` lists them.
import type { Command } from './command.js'

export const commands: Command[] = []
