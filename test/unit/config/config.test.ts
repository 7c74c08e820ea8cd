import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, readFile, writeFile, chmod, stat, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaults, parseConfig, loadConfig, initNode, loadKeys, resolveChain, resolveRecording, nodePaths, type NodeConfig } from '../../../node/config/index.js'

const peer = '12D3KooWLtFqtv8bG6wRPaVxn2K5oH2FoYVqNa6CcPBuW7TaNJGP'
const base = { version: 1, role: 'resident', name: 'maple street' }

async function tempDir (t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-config-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

function rejects (value: unknown, field: string): void {
  assert.throws(() => parseConfig(value), (err: { name: string, code: string, details: { field: string } }) => {
    assert.equal(err.name, 'InvalidConfigError')
    assert.equal(err.code, 'INVALID_CONFIG')
    assert.equal(err.details.field, field)
    return true
  })
}

test('a minimal config gets its defaults', () => {
  const config = parseConfig(base)
  assert.deepEqual(config.listen, ['/ip4/127.0.0.1/tcp/0'])
  assert.deepEqual(config.bootstrap, [])
  assert.equal(config.mdns, false)
  assert.deepEqual(config.api, { host: '127.0.0.1', port: 0 })
  assert.deepEqual(config.cameras, [])
  assert.equal(config.anchorIntervalSeconds, undefined)
  assert.equal(parseConfig({ ...base, role: 'agency' }).anchorIntervalSeconds, 600)
})

test('an agency\'s footage limits: each key left out takes its default; other roles may not set them', () => {
  assert.equal(parseConfig({ ...base, role: 'agency' }).footage, undefined) // the receiver takes defaults.footage
  const footage = parseConfig({ ...base, role: 'agency', footage: { deadlineBaseSeconds: 0.5, perSender: { deliveries: 3 } } }).footage!
  assert.equal(footage.deadlineBaseSeconds, 0.5)
  assert.equal(footage.minBytesPerSecond, defaults.footage.minBytesPerSecond)
  assert.deepEqual(footage.perSender, { ...defaults.footage.perSender, deliveries: 3 })
  assert.deepEqual(footage.perRequest, defaults.footage.perRequest)
  assert.equal(footage.minFreeBytes, defaults.footage.minFreeBytes)
  rejects({ ...base, footage: {} }, '/footage')
  rejects({ ...base, role: 'agency', footage: { deadlineBaseSeconds: 0 } }, '/footage/deadlineBaseSeconds')
  rejects({ ...base, role: 'agency', footage: { perRequest: { deliveries: 0 } } }, '/footage/perRequest/deliveries')
  rejects({ ...base, role: 'agency', footage: { perSender: { files: 16 } } }, '/footage/perSender/files')
})

test('an agency\'s KMS hook: a command (argv), for agencies only', () => {
  assert.deepEqual(parseConfig({ ...base, role: 'agency', keys: { kms: { command: ['vault', 'kv', 'get', '-field=secret', 'porchlight'] } } }).keys, { kms: { command: ['vault', 'kv', 'get', '-field=secret', 'porchlight'] } })
  rejects({ ...base, keys: { kms: { command: ['x'] } } }, '/keys')
  rejects({ ...base, role: 'agency', keys: { kms: { command: [] } } }, '/keys/kms/command')
  rejects({ ...base, role: 'agency', keys: { kms: { command: 'vault kv get' } } }, '/keys/kms/command')
  rejects({ ...base, role: 'agency', keys: { secret: 'in the config' } }, '/keys/secret')
})

test('parseConfig leaves its input untouched', () => {
  const input = { ...base }
  parseConfig(input)
  assert.deepEqual(input, base)
})

test('each broken rule names its field', () => {
  rejects(null, '')
  rejects({ role: 'resident', name: 'x' }, '/version')
  rejects({ ...base, version: 2 }, '/version')
  rejects({ ...base, role: 'council' }, '/role')
  rejects({ ...base, name: '' }, '/name')
  rejects({ ...base, name: 'a\nb' }, '/name')
  rejects({ ...base, colour: 'red' }, '/colour')
  rejects({ ...base, listen: [] }, '/listen')
  rejects({ ...base, listen: ['/ip4/999.0.0.1/tcp/1'] }, '/listen/0')
  rejects({ ...base, bootstrap: ['/ip4/127.0.0.1/tcp/4001'] }, '/bootstrap/0')
  rejects({ ...base, api: { port: 70000 } }, '/api/port')
  rejects({ ...base, api: { host: '127.0.0.1', token: 'x' } }, '/api/token')
  rejects({ ...base, cameras: [{ name: 'porch', lat: 91, lng: 0 }] }, '/cameras/0/lat')
  rejects({ ...base, cameras: [{ name: 'porch', lat: 1, lng: '2' }] }, '/cameras/0/lng')
  rejects({ ...base, cameras: [{ name: 'porch', lat: 1, lng: 2 }, { name: 'porch', lat: 1, lng: 2 }] }, '/cameras/1/name')
  rejects({ ...base, role: 'agency', cameras: [{ name: 'porch', lat: 1, lng: 2 }] }, '/cameras')
  rejects({ ...base, cameras: [{ name: 'porch', lat: 1, lng: 2, direction: 360 }] }, '/cameras/0/direction')
  rejects({ ...base, cameras: [{ name: 'porch', lat: 1, lng: 2, source: { kind: 'rtsp', url: 'http://cam/1' } }] }, '/cameras/0/source/url')
  rejects({ ...base, cameras: [{ name: 'porch', lat: 1, lng: 2, source: { kind: 'rtsp', url: 'rtsp://[::1' } }] }, '/cameras/0/source/url')
  rejects({ ...base, cameras: [{ name: 'porch', lat: 1, lng: 2, source: { kind: 'frigate', url: 'http://nvr:5000' } }] }, '/cameras/0/source/camera')
  rejects({ ...base, cameras: [{ name: 'porch', lat: 1, lng: 2, source: { kind: 'webcam', path: '/dev/video0' } }] }, '/cameras/0/source')
  rejects({ ...base, recording: { retentionDays: 0 } }, '/recording/retentionDays')
  rejects({ ...base, role: 'agency', recording: { retentionDays: 1 } }, '/recording')
  rejects({ ...base, anchorIntervalSeconds: 60 }, '/anchorIntervalSeconds')
  rejects({ ...base, role: 'agency', anchorIntervalSeconds: 0 }, '/anchorIntervalSeconds')
  const contracts = { AgencyRegistry: '0x5FbDB2315678afecb367f032d93F642f64180aa3', AuditAnchor: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', WitnessRegistry: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9' }
  rejects({ ...base, chain: { rpc: 'ftp://x', chainId: 1, contracts } }, '/chain')
  rejects({ ...base, chain: { rpc: 'http://127.0.0.1:8545', chainId: 1, contracts: { AgencyRegistry: contracts.AgencyRegistry, AuditAnchor: contracts.AuditAnchor } } }, '/chain')
  rejects({ ...base, chain: { rpc: 'http://127.0.0.1:8545', chainId: 1, contracts: { ...contracts, WitnessRegistry: '0xcf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9' } } }, '/chain/contracts/WitnessRegistry')
  rejects({ ...base, chain: { rpc: 'http://127.0.0.1:8545', chainId: 1, contracts: { ...contracts, AuditAnchor: '0xE7f1725E7734CE288F8367e1Bb143E90bb3F0512' } } }, '/chain/contracts/AuditAnchor')
  rejects({ ...base, chain: { rpc: 'http://127.0.0.1:8545', chainId: 1, contracts, confirmations: -1 } }, '/chain')
  rejects({ ...base, chain: { rpc: 'http://127.0.0.1:8545', chainId: 1, contracts: { ...contracts, AnchorRelay: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6E1' } } }, '/chain/contracts/AnchorRelay')
})

test('a full resident config is accepted as written', () => {
  const full: NodeConfig = {
    version: 1,
    role: 'resident',
    name: 'maple street',
    listen: ['/ip4/0.0.0.0/tcp/4001', '/memory/x'],
    bootstrap: [`/ip4/10.0.0.2/tcp/4001/p2p/${peer}`],
    mdns: true,
    api: { host: '127.0.0.1', port: 8470 },
    chain: 'chain.json',
    cameras: [
      { name: 'porch', lat: 40.7128, lng: -74.006 },
      { name: 'drive', lat: 40.7129, lng: -74.006, direction: 270, source: { kind: 'rtsp', url: 'rtsp://admin:pw@192.0.2.7:554/stream1' } },
      { name: 'gate', lat: 40.713, lng: -74.006, source: { kind: 'frigate', url: 'http://192.0.2.8:5000', camera: 'front_gate', token: 't' } },
      { name: 'shed', lat: 40.713, lng: -74.0061, source: { kind: 'folder', path: '/srv/shed' } }
    ],
    recording: { dir: '/srv/recordings', retentionDays: 3, maxBytes: 2 ** 34, minFreeBytes: 2 ** 30, segmentSeconds: 6 }
  }
  assert.deepEqual(parseConfig(full), full)
  // config.json keeps what was written; a resident's recording defaults are filled where they are read.
  assert.equal(parseConfig(base).recording, undefined)
  assert.deepEqual(resolveRecording(parseConfig(base)), defaults.recording)
  assert.equal(resolveRecording(parseConfig({ ...base, recording: { retentionDays: 2 } })).maxBytes, defaults.recording.maxBytes)
})

test('init writes a config, keys with mode 0600 and a token, and refuses a second init', async (t) => {
  const dir = await tempDir(t)
  const result = await initNode(dir, { role: 'agency', name: 'county sheriff' })
  const paths = nodePaths(dir)
  assert.deepEqual(await loadConfig(dir), result.config)
  for (const file of [paths.peerKey, paths.agencyKey, paths.apiToken]) assert.equal((await stat(file)).mode & 0o777, 0o600)
  assert.equal((await stat(paths.keys)).mode & 0o777, 0o700)
  const keys = await loadKeys(dir, 'agency')
  assert.equal(keys.apiToken, result.keys.apiToken)
  assert.equal(keys.agencyKey, result.keys.agencyKey)
  assert.match(result.address ?? '', /^0x[0-9a-fA-F]{40}$/)
  const before = await readFile(paths.peerKey)
  await assert.rejects(initNode(dir, { role: 'resident' }), { name: 'NodeExistsError' })
  assert.deepEqual(await readFile(paths.peerKey), before)
  // Atomic writes leave no temporary files behind.
  assert.deepEqual((await readdir(dir)).sort(), ['api-token', 'config.json', 'keys'])
})

test('a bad init option writes nothing', async (t) => {
  const dir = await tempDir(t)
  await assert.rejects(initNode(join(dir, 'n'), { role: 'resident', cameras: [{ name: 'porch', lat: 100, lng: 0 }] }), { name: 'InvalidConfigError' })
  assert.deepEqual(await readdir(dir), [])
})

test('loading refuses missing nodes, bad JSON and keys other users can read', async (t) => {
  const dir = await tempDir(t)
  await assert.rejects(loadConfig(dir), { name: 'NodeNotFoundError' })
  await initNode(dir, { role: 'resident', cameras: [{ name: 'porch', lat: 1, lng: 2 }] })
  await chmod(nodePaths(dir).peerKey, 0o644)
  await assert.rejects(loadKeys(dir, 'resident'), { name: 'KeyFileError' })
  await chmod(nodePaths(dir).peerKey, 0o600)
  await loadKeys(dir, 'resident')
  await writeFile(nodePaths(dir).config, '{ not json')
  await assert.rejects(loadConfig(dir), { name: 'InvalidConfigError' })
})

test('a chain deployment file is read relative to the node directory', async (t) => {
  const dir = await tempDir(t)
  const deployment = { rpc: 'http://127.0.0.1:8545', chainId: 31337, deployer: '0x0', contracts: { AgencyRegistry: '0x5fbdb2315678afecb367f032d93f642f64180aa3', AuditAnchor: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512', WitnessRegistry: '0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9' } }
  await writeFile(join(dir, 'chain.json'), JSON.stringify(deployment))
  const endpoint = await resolveChain(parseConfig({ ...base, chain: 'chain.json' }), dir)
  assert.deepEqual(endpoint, { rpc: deployment.rpc, chainId: 31337, contracts: { AgencyRegistry: '0x5FbDB2315678afecb367f032d93F642f64180aa3', AuditAnchor: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', WitnessRegistry: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9' } })
  await assert.rejects(resolveChain(parseConfig({ ...base, chain: 'missing.json' }), dir), { name: 'InvalidConfigError' })
  // A real chain's deployment file says how deep a node reads it, and may name the relayer path's contract.
  await writeFile(join(dir, 'testnet.json'), JSON.stringify({ ...deployment, chainId: 11155111, confirmations: 6, contracts: { ...deployment.contracts, AnchorRelay: '0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0' } }))
  const testnet = await resolveChain(parseConfig({ ...base, chain: 'testnet.json' }), dir)
  assert.equal(testnet?.confirmations, 6)
  assert.equal(testnet?.contracts.AnchorRelay, '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0')
  assert.equal(await resolveChain(parseConfig(base), dir), undefined)
})
