// The demo's child processes: each `porchlight` command in its own process group (so a terminal's Ctrl-C
// reaches only the demo, which then stops them in order), with an IPC channel whose closing tells the child
// that the demo died without stopping it (the child then stops itself: node/parent-link.ts) and over
// which it says it is ready. Output goes to one log file per child.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, openSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { packagePath } from '../package-root.js'
import { PorchlightError } from '../../protocol/errors.js'
import type { ReadyMessage } from '../parent-link.js'

/** The `porchlight` program, run by the same Node as this process. */
export const porchlightBin = packagePath('bin/porchlight.js')

export class ChildFailedError extends PorchlightError {
  static override readonly code = 'DEMO_CHILD_FAILED'
  static override readonly status = 500
  constructor (name: string, details: { exitCode: number | null, signal: string | null, log: string }) {
    super(ChildFailedError.code, `'${name}' exited before it was ready (see ${details.log})`, { details: { name, ...details } })
    this.name = 'ChildFailedError'
  }
}

export class ChildTimeoutError extends PorchlightError {
  static override readonly code = 'DEMO_CHILD_TIMEOUT'
  static override readonly status = 500
  constructor (name: string, timeoutMs: number, log: string) {
    super(ChildTimeoutError.code, `'${name}' was not ready within ${timeoutMs} ms (see ${log})`, { details: { name, timeoutMs, log } })
    this.name = 'ChildTimeoutError'
  }
}

export interface ManagedChild {
  name: string
  pid: number
  log: string
  process: ChildProcess
  /** Resolves when the process has exited. */
  exited: Promise<void>
}

export interface StartOptions {
  /** @default 120000 (a loaded machine starts ten processes slowly) */
  timeoutMs?: number
}

export class DemoChildrenClosedError extends PorchlightError {
  static override readonly code = 'DEMO_CHILDREN_CLOSED'
  static override readonly status = 500
  constructor (name: string) {
    super(DemoChildrenClosedError.code, `not starting '${name}': the demo is stopping`, { details: { name } })
    this.name = 'DemoChildrenClosedError'
  }
}

export class DemoChildren {
  readonly #children = new Map<string, ManagedChild>()
  #closed = false

  constructor (private readonly logDir: string) {}

  get pids (): number[] {
    return [...this.#children.values()].map((c) => c.pid)
  }

  /** Starts `porchlight <args>` and resolves once it says it is ready; rejects if it exits first. */
  async start (name: string, args: string[], opts: StartOptions = {}): Promise<ManagedChild> {
    await mkdir(this.logDir, { recursive: true })
    if (this.#closed) throw new DemoChildrenClosedError(name)
    const log = join(this.logDir, `${name.replace(/[^\w.-]+/g, '-')}.log`)
    // The child writes its output straight into its log: no pipe through us, so nothing breaks (EPIPE)
    // when we are gone and the child is still stopping.
    const fd = openSync(log, 'a')
    let child: ChildProcess
    try {
      child = spawn(process.execPath, [porchlightBin, ...args], { detached: true, stdio: ['ignore', fd, fd, 'ipc'] })
    } finally {
      closeSync(fd)
    }
    if (child.pid === undefined) {
      await once(child, 'error').catch(() => undefined)
      throw new ChildFailedError(name, { exitCode: null, signal: null, log })
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve() }))
    const managed: ManagedChild = { name, pid: child.pid, log, process: child, exited }
    this.#children.set(name, managed)
    const timeoutMs = opts.timeoutMs ?? 120_000
    await new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer)
        child.off('exit', onExit)
        child.off('message', onMessage)
      }
      const timer = setTimeout(() => { done(); reject(new ChildTimeoutError(name, timeoutMs, log)) }, timeoutMs)
      const onExit = (exitCode: number | null, signal: string | null): void => { done(); reject(new ChildFailedError(name, { exitCode, signal, log })) }
      const onMessage = (message: unknown): void => {
        if ((message as Partial<ReadyMessage> | null)?.type === 'porchlight:ready') { done(); resolve() }
      }
      child.on('exit', onExit)
      child.on('message', onMessage)
    })
    return managed
  }

  /**
   * Stops the named children (all when omitted) together: SIGTERM, then SIGKILL to the process group of
   * any still running after `graceMs`.
   */
  async stop (names?: string[], graceMs = 15_000): Promise<void> {
    const chosen = (names ?? [...this.#children.keys()]).map((n) => this.#children.get(n)).filter((c) => c !== undefined)
    await Promise.all(chosen.map(async (child) => {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        child.process.kill('SIGTERM')
        const timer = setTimeout(() => { killGroup(child.pid) }, graceMs)
        await child.exited
        clearTimeout(timer)
      }
      // Anything the child itself started goes with its group.
      killGroup(child.pid)
      this.#children.delete(child.name)
    }))
  }

  /** Stops every child, those named in `last` after the others (the chain: nodes use it while they stop). */
  async close (last: string[] = []): Promise<void> {
    this.#closed = true
    await this.stop([...this.#children.keys()].filter((n) => !last.includes(n)))
    await this.stop(last)
  }
}

function killGroup (pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // ESRCH: the group is gone already.
  }
}
