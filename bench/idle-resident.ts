// The memory an idle resident node holds: `porchlight start` on a fresh `porchlight init` folder, the
// compiled code (dist/, as `porchlight` runs it), in a child process; its RSS once it has settled, median of
// samples. Beside it, in the same run: the same node the old way (the TypeScript sources through tsx, with
// Hardhat loaded, as every node did before the embedded chain was loaded only by `chain` and `demo`), and a
// bare `node` process (the floor no node goes under); and the compiled node with a smaller young generation.
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { promisify } from 'node:util'
import { packagePath } from '../node/package-root.js'
import { median, type BenchContext } from './lib.js'

const MiB = 1024 * 1024
const bin = packagePath('bin/porchlight.js')

async function rssOf (pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)
  if (kib === null) throw new Error(`no VmRSS for ${pid}`)
  return Number(kib[1]) * 1024
}

/**
 * Starts `node ...args`, waits for its ready message over IPC (or, for a bare process, its start), lets it
 * settle, and returns the median of `samples` RSS readings one second apart.
 */
async function idleRss (args: string[], opts: { env?: NodeJS.ProcessEnv, ready: boolean, settleMs: number, samples: number }): Promise<number> {
  const child = spawn(process.execPath, args, { env: opts.env ?? process.env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  const exited = once(child, 'exit')
  try {
    if (opts.ready) {
      await new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => { reject(new Error(`'${args.join(' ')}' exited with ${code} before it was ready`)) })
        child.on('message', (m: { type?: string }) => { if (m.type === 'porchlight:ready') resolve() })
      })
    } else {
      await once(child, 'spawn')
    }
    // Start-up garbage is collected and lazy work (dials, first timers) done: what stays is the idle figure.
    await delay(opts.settleMs)
    const readings: number[] = []
    for (let i = 0; i < opts.samples; i++) {
      if (i > 0) await delay(1000)
      readings.push(await rssOf(child.pid!))
    }
    return median(readings)
  } finally {
    child.kill('SIGTERM')
    await exited
  }
}

export default async function (ctx: BenchContext): Promise<void> {
  const settleMs = ctx.quick ? 3000 : 10_000
  const samples = ctx.quick ? 3 : 5
  // The figure is of the code as it is now: build it (tsc, a few seconds).
  await promisify(execFile)('npm', ['run', 'build:node', '--silent'], { cwd: packagePath('.') })
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-bench-idle-'))
  try {
    const env = { ...process.env }
    delete env.PORCHLIGHT_FROM_SOURCES
    await promisify(execFile)(process.execPath, [bin, 'init', '--role', 'resident', '--dir', join(dir, 'node'), '--camera', 'porch:40.015,-105.27'], { env })
    const start = [bin, 'start', '--dir', join(dir, 'node')]
    const built = await idleRss(start, { env, ready: true, settleMs, samples })
    const old = await idleRss(['--import', packagePath('node/chain/embedded-chain.ts'), ...start], {
      // tsx comes in through bin/porchlight.js, and the embedded chain (Hardhat) is loaded before the CLI.
      env: { ...env, PORCHLIGHT_FROM_SOURCES: '1', NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import tsx`.trim() },
      ready: true,
      settleMs,
      samples
    })
    // V8 grows the young generation to 2 × 16 MiB during start-up and keeps it: the one memory knob an
    // operator can set without rebuilding (NODE_OPTIONS accepts it), measured so that the docs can cite it.
    const smallYoung = await idleRss(start, { env: { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --max-semi-space-size=2`.trim() }, ready: true, settleMs, samples })
    const bare = await idleRss(['-e', 'setInterval(() => {}, 1000)'], { env, ready: false, settleMs: 1000, samples })
    ctx.row({
      section: 'idle-resident',
      figure: 'idle resident node RSS (porchlight start, compiled, settled; median of samples)',
      value: built / MiB,
      unit: 'MiB',
      better: 'lower',
      baseline: { label: 'the same node the old way: sources through tsx, Hardhat loaded', value: old / MiB },
      goal: '≤ 100 MiB',
      met: built <= 100 * MiB
    })
    ctx.row({
      section: 'idle-resident',
      figure: 'idle resident node RSS, compiled, NODE_OPTIONS=--max-semi-space-size=2',
      value: smallYoung / MiB,
      unit: 'MiB',
      better: 'lower',
      baseline: { label: 'the same node the old way: sources through tsx, Hardhat loaded', value: old / MiB },
      goal: '≤ 100 MiB',
      met: smallYoung <= 100 * MiB
    })
    ctx.row({
      section: 'idle-resident',
      figure: 'idle resident node RSS over a bare node process',
      value: built / MiB,
      unit: 'MiB',
      better: 'lower',
      baseline: { label: 'node -e (an idle timer)', value: bare / MiB }
    })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
