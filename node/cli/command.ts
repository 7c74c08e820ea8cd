// One CLI command: a name, a one-line summary for `porchlight help`, its usage text, and `run`, which
// returns the process exit code. Commands parse their own flags with node:util parseArgs.
export interface Command {
  name: string
  summary: string
  usage: string
  run (argv: string[]): Promise<number>
}

/** Thrown for bad command-line input: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** A flag's value, or a UsageError naming it when it is missing or empty. */
export function requiredFlag<V extends Partial<Record<string, string>>> (values: V, flag: keyof V & string): string {
  const value = values[flag]
  if (value === undefined || value === '') throw new UsageError(`--${flag} is required`)
  return value
}
