// `porchlight` as a child process, for CLI tests: every child is killed when its test ends, however it ends.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const bin = fileURLToPath(new URL('../../bin/porchlight.js', import.meta.url))

/** Starts `porchlight ARGS` with stdout and stderr piped. */
export function porchlight (t: { after: (fn: () => void) => void }, args: string[]): ChildProcess {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  return child
}

/** Waits for a child's exit, collecting what it printed. */
export async function exitOf (child: ChildProcess): Promise<{ code: number | null, stdout: string, stderr: string }> {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
  const [code] = await once(child, 'exit') as [number | null]
  return { code, stdout, stderr }
}

/** Runs `porchlight ARGV` in this process (faster than a child), keeping what it printed. */
export async function cliInProcess (argv: string[]): Promise<{ code: number, out: string, err: string }> {
  const { main } = await import('../../node/cli/main.js')
  const saved = { log: console.log, error: console.error }
  const out: string[] = []
  const err: string[] = []
  console.log = (line: string) => { out.push(line) }
  console.error = (line: string) => { err.push(line) }
  try {
    return { code: await main(argv), out: out.join('\n'), err: err.join('\n') }
  } finally {
    Object.assign(console, saved)
  }
}

/** A node's `node: ready` log line (a node's stdout is JSON lines). */
const nodeReady = (line: string): boolean => line.startsWith('{') && (JSON.parse(line) as { msg?: string }).msg === 'node: ready'

/**
 * Resolves at the first stdout line that says the process is ready (by default a node's `node: ready`);
 * rejects if the process exits, or its stdout ends, first. Its stdout keeps flowing after (a full pipe would
 * block the node's logger).
 */
export async function readyLine (child: ChildProcess, signal: AbortSignal, isReady: (line: string) => boolean = nodeReady): Promise<void> {
  const done = new AbortController()
  const exited = once(child, 'exit', { signal: AbortSignal.any([signal, done.signal]) })
    .then(([code]) => { throw new Error(`exited with ${String(code)} before ready`) })
  const ready = (async () => {
    for await (const line of createInterface({ input: child.stdout! })) {
      if (isReady(line)) return
    }
    throw new Error('stdout ended before ready')
  })()
  try {
    await Promise.race([ready, exited])
  } finally {
    done.abort()
    exited.catch(() => {})
    ready.catch(() => {})
    child.stdout?.resume()
  }
}
