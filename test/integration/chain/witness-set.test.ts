import { after, before, beforeEach, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { Writable } from 'node:stream'
import { Contract, Wallet, randomBytes } from 'ethers'
import { Registry } from 'prom-client'
import {
  ChainClient, chainService, connectProvider, startEmbeddedChain, type ChainComponents, witnessRegistryArtifact, deployWitnessRegistry,
  type Deployment, type EmbeddedChain, type IgnoredWitness, type WitnessEvent
} from '../../../node/chain/index.js'
import { chainMetrics } from '../../../node/metrics/chain.js'
import { parseConfig } from '../../../node/config/index.js'
import { createLogger } from '../../../node/logging/index.js'
import type { RegisteredWitness } from '../../../protocol/api/witnesses.js'
import { encodeBase64 } from '../../../protocol/tlog/base64.js'
import { encodeVerifierKey, parseVerifierKey } from '../../../protocol/tlog/cosignature.js'
import { noteKeyId } from '../../../protocol/tlog/signed-note.js'
import { rejectsWith, send } from '../../helpers/chain.js'

const peer = '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN'

function witness (name: string, publicKey: Uint8Array = randomBytes(32)): RegisteredWitness {
  return { name, vkey: encodeVerifierKey(name, publicKey), url: `http://${name}.example:8080`, multiaddr: '' }
}

describe('ChainClient and the witness set', () => {
  let chain: EmbeddedChain
  let deployment: Deployment
  let council: ChainClient
  let raw: Contract
  const clients: ChainClient[] = []

  async function client (opts: { privateKey?: string, pollingIntervalMs?: number } = {}): Promise<ChainClient> {
    const c = await ChainClient.connect({ deployment, pollingIntervalMs: 0, ...opts })
    clients.push(c)
    return c
  }

  before(async () => { chain = await startEmbeddedChain() })
  after(async () => {
    for (const c of clients) await c.close()
    await chain.stop()
  })
  // A WitnessRegistry of its own per test (the other contracts are shared): no test sees another's witnesses.
  beforeEach(async () => {
    const provider = connectProvider(chain.rpcUrl, chain.chainId)
    const { address } = await deployWitnessRegistry(new Wallet(chain.accounts[0]!.privateKey, provider))
    provider.destroy()
    deployment = { ...chain.deployment!, contracts: { ...chain.deployment!.contracts, WitnessRegistry: address } }
    council = await client({ privateKey: chain.accounts[0]!.privateKey })
    // The council's own contract handle, for records its client would refuse to send.
    raw = new Contract(address, witnessRegistryArtifact.abi, council.wallet)
  })

  test('an empty registry is an empty set with quorum 0', async () => {
    assert.deepEqual(await (await client()).witnessSet(), { quorum: 0, witnesses: [] })
  })

  test('the set is cached, and dropped on any witness event the follower reads', async () => {
    const reader = await client()
    await reader.sync() // follow from here
    const [a, b, c] = [witness('a'), witness('b'), { ...witness('c'), url: '', multiaddr: peer }]
    await council.addWitness(a)
    await council.addWitness(b)
    await council.setWitnessQuorum(2)
    assert.deepEqual(await reader.witnessSet(), { quorum: 2, witnesses: [a, b] })

    await council.addWitness(c)
    assert.deepEqual(await reader.witnessSet(), { quorum: 2, witnesses: [a, b] }, 'still the cached set')
    const changed = once(reader, 'witnesses:changed')
    await reader.sync()
    const [events] = await changed as [WitnessEvent[]]
    assert.deepEqual(events.map((e) => [e.kind, e.name ?? e.quorum]), [['added', 'a'], ['added', 'b'], ['quorum', 2], ['added', 'c']])
    assert.deepEqual(await reader.witnessSet(), { quorum: 2, witnesses: [a, b, c] })

    // Each kind of event drops it: an update, a quorum, a removal.
    await council.updateWitness('a', { url: 'https://a2.example' })
    await reader.sync()
    assert.equal((await reader.witnessSet()).witnesses[0]!.url, 'https://a2.example')
    await council.setWitnessQuorum(3)
    await reader.sync()
    assert.equal((await reader.witnessSet()).quorum, 3)
    await council.setWitnessQuorum(1)
    await council.removeWitness('b', 'retired')
    await reader.sync()
    assert.deepEqual((await reader.witnessSet()).witnesses.map((w) => w.name), ['a', 'c'])
  })

  test('a polling client drops the set by itself when the council changes it', async () => {
    const reader = await client({ pollingIntervalMs: 20 })
    await reader.sync()
    await council.addWitness(witness('a'))
    const changed = once(reader, 'witnesses:changed')
    await council.setWitnessQuorum(1)
    await changed
    assert.equal((await reader.witnessSet()).quorum, 1)
  })

  test('what a client read before it started following is dropped at its first sync', async () => {
    const reader = await client()
    assert.deepEqual((await reader.witnessSet()).witnesses, [])
    await council.addWitness(witness('a'))
    await reader.sync() // starts following after the change: it never sees that event
    assert.deepEqual((await reader.witnessSet()).witnesses.map((w) => w.name), ['a'])
  })

  test('the council\'s own changes drop its cache at once', async () => {
    assert.deepEqual((await council.witnessSet()).witnesses, [])
    await council.addWitness(witness('a'))
    assert.deepEqual((await council.witnessSet()).witnesses.map((w) => w.name), ['a'])
  })

  test('entries no node may trust are left out, reported once, and counted in /metrics', async () => {
    const good = witness('good')
    const key = randomBytes(32)
    // A signed-note Ed25519 key (type 0x01) is not a witness key; `twin` repeats `good`'s key under another name.
    const noteKey = `note+${noteKeyId('note', Uint8Array.of(0x01), key).toString(16).padStart(8, '0')}+${encodeBase64(Uint8Array.of(0x01, ...key))}`
    const twin = witness('twin', parseVerifierKey(good.vkey).publicKey)
    await council.addWitness(good)
    await send(raw, 'addWitness', 'junk', 'junk+00000000+AAAA', 'http://junk.example', '')
    await send(raw, 'addWitness', 'note', noteKey, 'http://note.example', '')
    await send(raw, 'addWitness', twin.name, twin.vkey, twin.url, '')
    const reader = await client()
    const metrics = new Registry()
    chainMetrics(metrics, () => [reader])
    const ignored: IgnoredWitness[] = []
    reader.on('witness:ignored', (entry) => ignored.push(entry))

    assert.deepEqual(await reader.witnessSet(), { quorum: 0, witnesses: [good] })
    assert.deepEqual(ignored.map((e) => [e.witness.name, e.error.name, e.error.code, e.error.details.field]), [
      ['junk', 'InvalidWitnessRecordError', 'INVALID_WITNESS_RECORD', 'vkey'],
      ['note', 'InvalidWitnessRecordError', 'INVALID_WITNESS_RECORD', 'vkey'],
      ['twin', 'InvalidWitnessRecordError', 'INVALID_WITNESS_RECORD', 'vkey']
    ])
    await reader.sync()
    await council.setWitnessQuorum(1)
    await reader.sync()
    assert.deepEqual(await reader.witnessSet(), { quorum: 1, witnesses: [good] })
    assert.equal(ignored.length, 3, 'each entry is reported once, not at every read')
    assert.match(await metrics.getSingleMetricAsString('porchlight_chain_witness_entries_ignored_total'), /_total 3$/m)
  })

  test('the client refuses, before any transaction, a record every node would ignore', async () => {
    const before = await council.provider.getBlockNumber()
    const a = witness('a')
    await rejectsWith(council.addWitness({ ...a, name: 'b' }), 'InvalidWitnessRecordError')
    await rejectsWith(council.addWitness({ ...a, vkey: 'a+00000000+AAAA' }), 'InvalidWitnessRecordError')
    await rejectsWith(council.addWitness({ ...a, url: 'ftp://a.example' }), 'InvalidWitnessRecordError')
    await rejectsWith(council.addWitness({ ...a, url: '', multiaddr: '/ip4/127.0.0.1/tcp/4001' }), 'InvalidWitnessRecordError')
    await rejectsWith(council.addWitness({ ...a, url: '' }), 'InvalidWitnessRecordError')
    await council.addWitness(a)
    await rejectsWith(council.updateWitness('a', { url: 'not a url' }), 'InvalidWitnessRecordError')
    assert.equal(await council.provider.getBlockNumber(), before + 1, 'only the good record was sent')
    // The contract's own refusals come back typed.
    await rejectsWith(council.addWitness(a), 'WitnessRegistryAlreadyRegistered')
    await rejectsWith(council.removeWitness('nobody'), 'WitnessRegistryNotRegistered')
    await rejectsWith(council.updateWitness('nobody', { url: 'https://x.example' }), 'WitnessRegistryNotRegistered')
    await rejectsWith(council.setWitnessQuorum(2), 'WitnessRegistryInvalidQuorum')
    await rejectsWith((await client({ privateKey: chain.accounts[1]!.privateKey })).setWitnessQuorum(1), 'AccessControlUnauthorizedAccount')
  })

  test('updateWitness keeps what it is not given, and \'\' clears', async () => {
    const a = { ...witness('a'), multiaddr: peer }
    await council.addWitness(a)
    await council.updateWitness('a', { url: 'https://new.example' })
    assert.deepEqual((await council.witnessSet()).witnesses, [{ ...a, url: 'https://new.example' }])
    await council.updateWitness('a', { url: '' })
    assert.deepEqual((await council.witnessSet()).witnesses, [{ ...a, url: '' }])
  })

  test('witnessEvents lists every change of the set, oldest first', async () => {
    const a = witness('a')
    const added = await council.addWitness(a)
    await council.updateWitness('a', { multiaddr: peer })
    await council.setWitnessQuorum(1)
    await council.addWitness(witness('b'))
    await council.removeWitness('b', 'key lost')
    const events = await (await client()).witnessEvents()
    assert.deepEqual(events.map(({ blockNumber, transactionHash, ...e }) => e), [
      { kind: 'added', name: 'a', vkey: a.vkey, url: a.url, multiaddr: '' },
      { kind: 'updated', name: 'a', url: a.url, multiaddr: peer },
      { kind: 'quorum', quorum: 1 },
      { kind: 'added', name: 'b', vkey: events[3]!.vkey, url: 'http://b.example:8080', multiaddr: '' },
      { kind: 'removed', name: 'b', reason: 'key lost' }
    ])
    assert.deepEqual([events[0]!.blockNumber, events[0]!.transactionHash], [added.blockNumber, added.transactionHash])
  })

  test('the chain service serves the set to the node\'s services and logs an ignored entry once, at warn', async () => {
    const good = witness('good')
    await council.addWitness(good)
    await send(raw, 'addWitness', 'junk', 'junk+00000000+AAAA', 'http://junk.example', '')
    const lines: string[] = []
    const destination = new Writable({ write (chunk: Buffer, _enc, done) { lines.push(...chunk.toString().split('\n').filter((l) => l !== '')); done() } })
    const { rpc, chainId, contracts } = deployment
    const components = {
      config: parseConfig({ version: 1, role: 'resident', name: 'r', chain: { rpc, chainId, contracts } }),
      dir: undefined,
      keys: { apiToken: 'x' },
      logger: createLogger({ level: 'info', destination })
    } as unknown as ChainComponents // no agency key: the store is never opened
    const service = chainService({ pollingIntervalMs: 0 })(components)
    await service.start!()
    try {
      assert.deepEqual(await service.registry!.witnessSet(), { quorum: 0, witnesses: [good] })
      await service.client!.sync() // its first sync drops the cache: the next read is from the chain again
      assert.deepEqual(await service.registry!.witnessSet(), { quorum: 0, witnesses: [good] })
    } finally {
      await service.stop!()
    }
    const logged = lines.map((l) => JSON.parse(l) as { level: number, component: string, witness: string, err: { code: string, field: string } })
    assert.deepEqual(logged.map((l) => [l.level, l.component, l.witness, l.err.code, l.err.field]), [[40, 'chain', 'junk', 'INVALID_WITNESS_RECORD', 'vkey']])
  })
})
