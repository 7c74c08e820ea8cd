// One node of a running demo taken down and brought back, as its operator would: SIGTERM to the process the
// demo started, then `porchlight start --dir` on the same folder (same keys, ports and data). Between the
// two its stored data can be edited, which is how a test tampers with an agency's log for real.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DemoNode } from './demo.js'

const bin = fileURLToPath(new URL('../../../bin/porchlight.js', import.meta.url))

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * Stops the node's process (its pid from `node.json`) and resolves once it is gone. It is the demo's child,
 * not ours, so there is no exit event to await: its pid is polled, within a bound.
 */
export async function stopDemoNode (node: DemoNode, timeoutMs = 30_000): Promise<void> {
  const { pid } = JSON.parse(await readFile(join(node.dir, 'node.json'), 'utf8')) as { pid: number }
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + timeoutMs
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`${node.slug} (pid ${pid}) still running ${timeoutMs} ms after SIGTERM`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

export interface RestartedNode {
  process: ChildProcess
  /** SIGTERM, and resolves once it has exited. */
  stop: () => Promise<void>
}

/** Starts the node again on its folder; resolves once it says it is ready (over its IPC channel). */
export async function restartDemoNode (node: DemoNode, timeoutMs = 60_000): Promise<RestartedNode> {
  const child = spawn(process.execPath, [bin, 'start', '--dir', node.dir], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
  const exited = once(child, 'exit')
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`${node.slug} not ready within ${timeoutMs} ms: ${stderr}`)) }, timeoutMs)
      child.on('message', (message: { type?: string }) => {
        if (message?.type === 'porchlight:ready') { clearTimeout(timer); resolve() }
      })
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${node.slug} exited (${code}) before it was ready: ${stderr}`)) })
    })
  } catch (err) {
    await stop()
    throw err
  }
  return { process: child, stop }
}
