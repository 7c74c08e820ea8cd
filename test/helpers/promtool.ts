// `promtool check metrics` (Debian's prometheus package), for tests that check a node's /metrics text.
import { spawn, spawnSync } from 'node:child_process'

/** Whether promtool is installed (tests that need it skip, loudly, without it). */
export const hasPromtool = spawnSync('promtool', ['--version']).error === undefined

/** Runs `promtool check metrics` on `text`: its exit code and what it said. */
export async function promtoolCheck (text: string): Promise<{ code: number | null, output: string }> {
  const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => { output += d.toString() })
  child.stderr.on('data', (d: Buffer) => { output += d.toString() })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  child.stdin.end(text)
  return { code: await exited, output }
}
