// `npm start` as systemd or Docker stop it: SIGTERM to the npm process. npm passes the signal to the shell
// that runs the script and only to it; the script `exec`s the demo so that the shell becomes the demo and
// the signal reaches it, and the demo stops its children (their own process groups) before it exits.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { access, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { descendantsOf, killAll, stillRunning } from '../../helpers/process-tree.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))

test('SIGTERM to `npm start` stops the demo and every process it started, and removes demo.json', { timeout: 300_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-npm-start-'))
  // What the user runs: the built code, not the sources the rest of the tests run.
  const env = { ...process.env }
  delete env.PORCHLIGHT_FROM_SOURCES
  const npm = spawn('npm', ['start', '--', '--dir', dir, '--residents', '1'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let tree: number[] = []
  t.after(async () => {
    // However the test ends, nothing it started survives it.
    killAll([npm.pid!, ...tree, ...await descendantsOf(npm.pid!)])
    await rm(dir, { recursive: true, force: true })
  })
  const output: string[] = []
  npm.stderr.on('data', (chunk: Buffer) => { output.push(chunk.toString()) })
  const exited = once(npm, 'exit')
  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null): void => { reject(new Error(`npm start exited with ${code} before the demo was ready:\n${output.join('')}`)) }
    npm.once('exit', onExit)
    createInterface({ input: npm.stdout }).on('line', (line) => {
      output.push(line + '\n')
      if (/^demo: ready; .*demo\.json written/.test(line)) { npm.off('exit', onExit); resolve() }
    })
  })
  await access(join(dir, 'demo.json'))
  tree = await descendantsOf(npm.pid!)
  assert.ok(tree.length >= 6, `the shell or demo, the chain and the nodes run: ${tree.join(' ')}`)

  process.kill(npm.pid!, 'SIGTERM')
  await exited
  assert.deepEqual(await stillRunning(tree, 30_000), [], `no process outlives npm start:\n${output.join('')}`)
  await assert.rejects(access(join(dir, 'demo.json')), { code: 'ENOENT' })
})
