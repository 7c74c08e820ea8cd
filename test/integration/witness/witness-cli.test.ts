// `porchlight init --role witness`: the key file (mode 0600), the config's witness section, the vkey it
// prints, the flags it refuses; and the node that directory starts, which serves that vkey.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ed25519 } from '@noble/curves/ed25519.js'
import { encodeVerifierKey } from '../../../protocol/tlog/index.js'
import { loadConfig, loadKeys, nodePaths, parseConfig } from '../../../node/config/index.js'
import { createNode, roleSetup } from '../../../node/index.js'
import { createLogger } from '../../../node/logging/index.js'
import { cliInProcess } from '../../helpers/cli.js'

test('init --role witness: keys/witness.key (0600), witness { name, chainId }, and the vkey printed; the node serves it', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'porchlight-witness-cli-'))
  t.after(async () => { await rm(root, { recursive: true, force: true }) })
  const dir = join(root, 'w')
  const run = await cliInProcess(['init', '--role', 'witness', '--dir', dir, '--name', 'witness.example/w1', '--chain-id', '31337'])
  assert.equal(run.code, 0, run.err)
  const vkey = /^witness vkey: (\S+) /m.exec(run.out)?.[1]
  const paths = nodePaths(dir)
  assert.equal((await stat(paths.witnessKey)).mode & 0o777, 0o600)
  const keys = await loadKeys(dir, 'witness')
  assert.equal(vkey, encodeVerifierKey('witness.example/w1', ed25519.getPublicKey(keys.witnessKey!)))
  const config = await loadConfig(dir)
  assert.deepEqual(config.witness, { name: 'witness.example/w1', chainId: 31337 })

  const node = await createNode({ dir, services: roleSetup('witness').services, staticDir: false, logger: createLogger({ level: 'silent' }) })
  await node.start()
  try {
    const view = await (await fetch(`${node.api.address()!.url}/api/witness`)).json() as { vkey: string }
    assert.equal(view.vkey, vkey)
    const self = await (await fetch(`${node.api.address()!.url}/api/node`)).json() as { role: string }
    assert.equal(self.role, 'witness')
  } finally {
    await node.stop()
  }
})

test('init --role witness refuses a name with a space, no chain, and witness flags on other roles; writes nothing', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'porchlight-witness-cli-'))
  t.after(async () => { await rm(root, { recursive: true, force: true }) })
  for (const args of [
    ['--role', 'witness', '--name', 'two words', '--chain-id', '1'],
    ['--role', 'witness', '--name', 'w+1', '--chain-id', '1'],
    ['--role', 'witness'],
    ['--role', 'resident', '--chain-id', '1']
  ]) {
    const run = await cliInProcess(['init', '--dir', join(root, 'n'), ...args])
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.err}`)
  }
  assert.deepEqual(await readdir(root), [])
})

test('config: a witness needs its section, and no other role may have one', () => {
  const base = { version: 1, name: 'w' }
  assert.throws(() => parseConfig({ ...base, role: 'witness' }), (err: { details: { field: string } }) => err.details.field === '/witness')
  assert.throws(() => parseConfig({ ...base, role: 'resident', witness: { name: 'w' } }), (err: { details: { field: string } }) => err.details.field === '/witness')
  assert.throws(() => parseConfig({ ...base, role: 'witness', witness: { name: 'has space' } }), { name: 'InvalidConfigError' })
  assert.throws(() => parseConfig({ ...base, role: 'witness', witness: { name: 'w', maxOrigins: 0 } }), { name: 'InvalidConfigError' })
  assert.deepEqual(parseConfig({ ...base, role: 'witness', witness: { name: 'w', maxOrigins: 5 } }).witness, { name: 'w', maxOrigins: 5 })
})

test('a witness node with no chain and no witness.chainId does not start', async () => {
  const config = parseConfig({ version: 1, role: 'witness', name: 'w', witness: { name: 'w' } })
  const node = await createNode({ config, services: roleSetup('witness').services, staticDir: false, logger: createLogger({ level: 'silent' }) })
  await assert.rejects(node.start(), { name: 'WitnessConfigError' })
  await node.stop()
})
