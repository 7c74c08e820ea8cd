import { after, before, beforeEach, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ContractFactory, randomBytes, type Contract } from 'ethers'
import { witnessRegistryArtifact, witnessRegistryInterface } from '../../../node/chain/index.js'
import { encodeVerifierKey } from '../../../protocol/tlog/cosignature.js'
import { eventsOf, rejectsWith, send, startChainFixture, type ChainFixture } from '../../helpers/chain.js'

/** A witness record as the contract takes it: [name, vkey, url, multiaddr]. */
function witness (name: string, endpoints: { url?: string, multiaddr?: string } = {}): [string, string, string, string] {
  return [name, encodeVerifierKey(name, randomBytes(32)), endpoints.url ?? `https://${name}.example/`, endpoints.multiaddr ?? '']
}

const peer = '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN'

describe('WitnessRegistry', () => {
  let f: ChainFixture
  let registry: Contract
  before(async () => { f = await startChainFixture() })
  after(async () => { await f.stop() })
  // Each test gets a registry of its own, so none depends on what another added.
  beforeEach(async () => {
    const deployed = await new ContractFactory(witnessRegistryArtifact.abi, witnessRegistryArtifact.bytecode, f.council).deploy(f.council.address)
    await deployed.waitForDeployment()
    registry = deployed as unknown as Contract
  })

  const names = async (r = registry): Promise<string[]> => (await r.getFunction('witnesses')()).map((w: { name: string }) => w.name)
  const add = async (name: string, endpoints?: { url?: string, multiaddr?: string }): Promise<void> => { await send(registry, 'addWitness', ...witness(name, endpoints)) }

  test('the deployment has one, governed by the council, empty and with no quorum', async () => {
    const deployed = f.witnessesAs(f.council)
    assert.equal(await deployed.getFunction('hasRole')(await deployed.getFunction('DEFAULT_ADMIN_ROLE')(), f.council.address), true)
    assert.equal(await deployed.getFunction('hasRole')(await deployed.getFunction('REGISTRAR_ROLE')(), f.council.address), true)
    assert.equal(await deployed.getFunction('MAX_WITNESSES')(), 16n)
    assert.equal(await deployed.getFunction('quorum')(), 0n)
    assert.deepEqual(await names(deployed), [])
  })

  test('addWitness stores the record in registration order and emits WitnessAdded', async () => {
    const a = witness('witness.a', { url: 'https://a.example/', multiaddr: peer })
    const receipt = await send(registry, 'addWitness', ...a)
    assert.deepEqual(eventsOf(receipt, witnessRegistryInterface, 'WitnessAdded'), [a])
    await add('witness.c', { url: '', multiaddr: peer })
    await add('witness.b', { url: 'http://b.example:8080', multiaddr: '' })
    const all = await registry.getFunction('witnesses')()
    assert.deepEqual(all.map((w: { name: string, vkey: string, url: string, multiaddr: string }) => [w.name, w.vkey, w.url, w.multiaddr])[0], a)
    assert.deepEqual(await names(), ['witness.a', 'witness.c', 'witness.b'])
  })

  test('addWitness refuses a bad name, key or endpoint, and a name registered already', async () => {
    const [, vkey] = witness('w')
    assert.equal((await rejectsWith(send(registry, 'addWitness', '', vkey, 'https://x/', ''), 'WitnessRegistryInvalidName')).details.length, '0')
    const long = 'n'.repeat(65)
    assert.equal((await rejectsWith(send(registry, 'addWitness', ...witness(long)), 'WitnessRegistryInvalidName')).details.length, '65')
    await add('n'.repeat(64))
    assert.equal((await rejectsWith(send(registry, 'addWitness', 'w', '', 'https://x/', ''), 'WitnessRegistryInvalidKey')).details.length, '0')
    assert.equal((await rejectsWith(send(registry, 'addWitness', 'w', `w+${'k'.repeat(255)}`, 'https://x/', ''), 'WitnessRegistryInvalidKey')).details.length, '257')
    // The key's own name must be the record's: another name, a longer name with this one as its prefix, no '+'.
    await rejectsWith(send(registry, 'addWitness', 'v', vkey, 'https://x/', ''), 'WitnessRegistryKeyNameMismatch')
    await rejectsWith(send(registry, 'addWitness', 'w', vkey.replace('w+', 'wx+'), 'https://x/', ''), 'WitnessRegistryKeyNameMismatch')
    await rejectsWith(send(registry, 'addWitness', 'w', 'w', 'https://x/', ''), 'WitnessRegistryKeyNameMismatch')
    await rejectsWith(send(registry, 'addWitness', 'w+', vkey, 'https://x/', ''), 'WitnessRegistryKeyNameMismatch')
    assert.equal((await rejectsWith(send(registry, 'addWitness', 'w', vkey, `https://${'x'.repeat(248)}/`, ''), 'WitnessRegistryEndpointTooLong')).details.length, '257')
    await rejectsWith(send(registry, 'addWitness', 'w', vkey, '', `/${'x'.repeat(256)}`), 'WitnessRegistryEndpointTooLong')
    await rejectsWith(send(registry, 'addWitness', 'w', vkey, '', ''), 'WitnessRegistryNoEndpoint')
    await add('w', { url: `https://${'x'.repeat(247)}/` }) // 256 bytes: the most allowed
    assert.equal((await rejectsWith(send(registry, 'addWitness', ...witness('w')), 'WitnessRegistryAlreadyRegistered')).details.name, 'w')
    assert.deepEqual(await names(), ['n'.repeat(64), 'w'], 'refusals changed nothing')
  })

  test('at most 16 witnesses', async () => {
    for (let i = 0; i < 16; i++) await add(`w${i}`)
    assert.equal((await rejectsWith(send(registry, 'addWitness', ...witness('w16')), 'WitnessRegistryFull')).details.max, '16')
    assert.equal((await names()).length, 16)
  })

  test('updateWitness replaces the endpoints, keeps the key, and emits WitnessUpdated', async () => {
    await add('a')
    const [, vkey] = (await registry.getFunction('witnesses')())[0]
    const receipt = await send(registry, 'updateWitness', 'a', '', peer)
    assert.deepEqual(eventsOf(receipt, witnessRegistryInterface, 'WitnessUpdated'), [['a', '', peer]])
    assert.deepEqual([...(await registry.getFunction('witnesses')())[0]], ['a', vkey, '', peer])
    await rejectsWith(send(registry, 'updateWitness', 'b', 'https://b/', ''), 'WitnessRegistryNotRegistered')
    await rejectsWith(send(registry, 'updateWitness', 'a', '', ''), 'WitnessRegistryNoEndpoint')
    await rejectsWith(send(registry, 'updateWitness', 'a', 'h'.repeat(257), ''), 'WitnessRegistryEndpointTooLong')
    assert.deepEqual([...(await registry.getFunction('witnesses')())[0]], ['a', vkey, '', peer], 'refusals changed nothing')
  })

  test('removeWitness keeps the others in order, emits WitnessRemoved and frees the name', async () => {
    for (const name of ['a', 'b', 'c', 'd']) await add(name)
    const receipt = await send(registry, 'removeWitness', 'b', 'key compromised')
    assert.deepEqual(eventsOf(receipt, witnessRegistryInterface, 'WitnessRemoved'), [['b', 'key compromised']])
    assert.deepEqual(await names(), ['a', 'c', 'd'])
    // The entries that moved are still found by name.
    await send(registry, 'updateWitness', 'd', 'https://d2/', '')
    assert.equal((await registry.getFunction('witnesses')())[2].url, 'https://d2/')
    await send(registry, 'removeWitness', 'c', '')
    assert.deepEqual(await names(), ['a', 'd'])
    await rejectsWith(send(registry, 'removeWitness', 'b', ''), 'WitnessRegistryNotRegistered')
    await add('b')
    assert.deepEqual(await names(), ['a', 'd', 'b'])
    await send(registry, 'removeWitness', 'b', '')
    await send(registry, 'removeWitness', 'a', '')
    assert.deepEqual(await names(), ['d'])
  })

  test('setQuorum needs 1 ≤ k ≤ n and emits WitnessQuorumSet', async () => {
    assert.deepEqual((await rejectsWith(send(registry, 'setQuorum', 1), 'WitnessRegistryInvalidQuorum')).details, { quorum: '1', count: '0' })
    for (const name of ['a', 'b', 'c']) await add(name)
    assert.deepEqual((await rejectsWith(send(registry, 'setQuorum', 0), 'WitnessRegistryInvalidQuorum')).details, { quorum: '0', count: '3' })
    await rejectsWith(send(registry, 'setQuorum', 4), 'WitnessRegistryInvalidQuorum')
    assert.equal(await registry.getFunction('quorum')(), 0n, 'refusals changed nothing')
    const receipt = await send(registry, 'setQuorum', 3)
    assert.deepEqual(eventsOf(receipt, witnessRegistryInterface, 'WitnessQuorumSet'), [[3n]])
    assert.equal(await registry.getFunction('quorum')(), 3n)
    await send(registry, 'setQuorum', 2)
    assert.equal(await registry.getFunction('quorum')(), 2n)
  })

  test('a removal below the quorum reverts until the quorum is lowered', async () => {
    for (const name of ['a', 'b', 'c']) await add(name)
    await send(registry, 'setQuorum', 3)
    assert.deepEqual((await rejectsWith(send(registry, 'removeWitness', 'a', ''), 'WitnessRegistryBelowQuorum')).details, { quorum: '3', count: '2' })
    assert.deepEqual(await names(), ['a', 'b', 'c'])
    await send(registry, 'setQuorum', 2)
    await send(registry, 'removeWitness', 'a', '')
    await rejectsWith(send(registry, 'removeWitness', 'b', ''), 'WitnessRegistryBelowQuorum')
    await send(registry, 'setQuorum', 1)
    await send(registry, 'removeWitness', 'b', '')
    await rejectsWith(send(registry, 'removeWitness', 'c', ''), 'WitnessRegistryBelowQuorum')
    assert.deepEqual([await names(), await registry.getFunction('quorum')()], [['c'], 1n])
  })

  test('only the registrar changes the set or the quorum; the admin may grant that role', async () => {
    await add('a')
    const [outsider] = f.accounts
    const as = registry.connect(outsider!) as Contract
    await rejectsWith(send(as, 'addWitness', ...witness('b')), 'AccessControlUnauthorizedAccount')
    await rejectsWith(send(as, 'updateWitness', 'a', 'https://evil/', ''), 'AccessControlUnauthorizedAccount')
    await rejectsWith(send(as, 'removeWitness', 'a', ''), 'AccessControlUnauthorizedAccount')
    const refused = await rejectsWith(send(as, 'setQuorum', 1), 'AccessControlUnauthorizedAccount')
    assert.equal(refused.details.account, outsider!.address)
    assert.deepEqual([await names(), await registry.getFunction('quorum')()], [['a'], 0n])
    await send(registry, 'grantRole', await registry.getFunction('REGISTRAR_ROLE')(), outsider!.address)
    await send(as, 'setQuorum', 1)
    assert.equal(await registry.getFunction('quorum')(), 1n)
  })
})
