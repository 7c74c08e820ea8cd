#!/usr/bin/env node
// Runs the demo as a newcomer's `npm start` does — a fresh folder, the built program — N times in a row while
// another process keeps one core busy, and reports how many came up (k/N). A run counts only when the demo
// says it is ready, which it says only after every in-area resident's inbox holds the sample request
// (node/demo/demo.ts): a missed resident fails that run with DEMO_STEP_FAILED. Issue 15, item 8.
//   npm run demo:trials                      10 runs, one core busy
//   npm run demo:trials -- --runs 3 --busy 0 --no-build
// A failed run's logs are kept under .tmp/demo-trials/<stamp>/run-<i>/ (every node's log, the demo's output).
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { rmSync } from 'node:fs'
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'

const root = new URL('..', import.meta.url).pathname
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    busy: { type: 'string', default: '1' },
    residents: { type: 'string' },
    'timeout-seconds': { type: 'string', default: '360' },
    'no-build': { type: 'boolean', default: false }
  }
})
const runs = Number(opts.runs)
const busyCores = Number(opts.busy)
const timeoutMs = Number(opts['timeout-seconds']) * 1000
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(busyCores) || busyCores < 0) {
  console.error('usage: demo-trials.mjs [--runs N] [--busy CORES] [--residents N] [--timeout-seconds S] [--no-build]')
  process.exit(2)
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const keptDir = join(root, '.tmp', 'demo-trials', stamp)
/** Processes this script started and must end, and the trial folders it must remove, whatever happens. */
const started = new Set()
const folders = new Set()
const cleanup = () => {
  for (const child of started) { try { process.kill(-child.pid, 'SIGKILL') } catch { /* gone */ } }
  for (const dir of folders) rmSync(dir, { recursive: true, force: true })
}
process.on('exit', cleanup)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { process.exit(130) })

function track (child) {
  started.add(child)
  child.once('exit', () => { started.delete(child) })
  return child
}

if (!opts['no-build']) {
  const build = track(spawn('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit', detached: true }))
  const [code] = await once(build, 'exit')
  if (code !== 0) { console.error(`build failed (${code})`); process.exit(1) }
}

// The load: a busy loop per core, each its own process (the demo's nodes compete with it for the CPU).
for (let i = 0; i < busyCores; i++) {
  track(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore', detached: true }))
}

/** One demo start over a fresh folder: resolves with what happened, then stops it (SIGINT, as Ctrl-C). */
async function trial (i) {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-trial-'))
  folders.add(dir)
  const args = [join(root, 'bin', 'porchlight.js'), 'demo', '--dir', dir, ...(opts.residents === undefined ? [] : ['--residents', opts.residents])]
  const began = Date.now()
  // Its own process group, so the cleanup can end the demo and every node it started in one kill.
  const child = track(spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true }))
  const output = []
  child.stderr.on('data', (chunk) => { output.push(chunk.toString()) })
  const exited = once(child, 'exit')
  const outcome = await new Promise((resolve) => {
    const timer = setTimeout(() => { resolve({ ok: false, reason: `not ready after ${timeoutMs / 1000} s` }) }, timeoutMs)
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line)
      if (/^demo: ready;/.test(line)) { clearTimeout(timer); resolve({ ok: true }) }
    })
    exited.then(([code]) => {
      clearTimeout(timer)
      const error = output.join('\n').match(/\w+Error \([A-Z_]+\)[^\n]*/)?.[0]
      resolve({ ok: false, reason: error ?? `exited with ${code} before ready` })
    })
  })
  const seconds = (Date.now() - began) / 1000
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGINT')
    const stopped = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 60_000))])
    if (!stopped) try { process.kill(-child.pid, 'SIGKILL') } catch { /* gone */ }
  }
  if (!outcome.ok) {
    const kept = join(keptDir, `run-${i}`)
    await mkdir(kept, { recursive: true })
    await cp(join(dir, 'logs'), join(kept, 'logs'), { recursive: true }).catch(() => {})
    await writeFile(join(kept, 'demo-output.txt'), output.join('\n') + '\n')
    outcome.kept = kept
  }
  await rm(dir, { recursive: true, force: true })
  folders.delete(dir)
  // The links the demo's mesh wait had to dial itself (a refused bootstrap dial each): what run would have
  // missed a resident before issue 15 when one of them was an in-area resident's link to the agency.
  const redialled = output.filter((line) => /^demo: .* is not connected to .*: dialling$/.test(line)).map((line) => line.slice('demo: '.length, -': dialling'.length))
  return { ...outcome, seconds, redialled }
}

const results = []
for (let i = 1; i <= runs; i++) {
  const result = await trial(i)
  results.push(result)
  const redialled = result.redialled.length === 0 ? '' : `; links dialled by the demo: ${result.redialled.join(', ')}`
  console.log(`run ${i}/${runs}: ${result.ok ? 'ready' : 'FAILED'} in ${result.seconds.toFixed(1)} s${result.ok ? '' : ` — ${result.reason} (logs: ${result.kept})`}${redialled}`)
}
const ok = results.filter((r) => r.ok).length
const times = results.filter((r) => r.ok).map((r) => r.seconds).sort((a, b) => a - b)
const median = times.length === 0 ? NaN : times[Math.floor(times.length / 2)]
console.log(`demo:trials: ${ok}/${runs} ready with ${busyCores} core(s) kept busy; median time to ready ${median.toFixed(1)} s`)
process.exit(ok === runs ? 0 : 1)
