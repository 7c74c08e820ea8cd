// A running resident node (porchlight start) never loads Hardhat or solc, measured in the process itself:
// the runtime side of test/unit/cli/start-imports.test.ts, which also covers what packages import.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { bin, exitOf, porchlight } from '../../helpers/cli.js'

const probe = fileURLToPath(new URL('../../helpers/loaded-modules.mjs', import.meta.url))

test('porchlight start loads no hardhat and no solc module', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-start-modules-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const nodeDir = join(dir, 'resident')
  assert.equal((await exitOf(porchlight(t, ['init', '--role', 'resident', '--dir', nodeDir, '--camera', 'porch:40.7,-74.0']))).code, 0)

  const out = join(dir, 'modules.json')
  const node = spawn(process.execPath, ['--import', probe, bin, 'start', '--dir', nodeDir], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PORCHLIGHT_LOADED_MODULES: out } })
  t.after(() => { if (node.exitCode === null && node.signalCode === null) node.kill('SIGKILL') })
  const exited = once(node, 'exit')
  // The node logs JSON lines; it is ready at its `node: ready` line (a stream that ends first fails below).
  let ready = false
  for await (const line of createInterface({ input: node.stdout })) {
    if ((JSON.parse(line) as { msg?: string }).msg === 'node: ready') { ready = true; break }
  }
  assert.equal(ready, true, 'porchlight start never logged node: ready')
  node.kill('SIGTERM')
  assert.deepEqual(await exited, [0, null])

  const modules = JSON.parse(await readFile(out, 'utf8')) as string[]
  assert.ok(modules.some((m) => m.includes('/node_modules/')), 'the probe saw the node\'s CommonJS packages')
  assert.deepEqual(modules.filter((m) => /\/node_modules\/(hardhat|solc)\//.test(m)), [])
})
