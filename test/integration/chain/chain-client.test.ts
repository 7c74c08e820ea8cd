import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Wallet, hexlify, randomBytes } from 'ethers'
import { ChainClient, type AnchorEvent, type ChainClientOptions, type Deployment, type EmbeddedChain, startEmbeddedChain } from '../../../node/chain/index.js'
import { rejectsWith } from '../../helpers/chain.js'
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js'

const root = (): string => hexlify(randomBytes(32))
const cells = ['87283082effffff', '872830828ffffff', '872830828ffffff']

describe('ChainClient', () => {
  let chain: EmbeddedChain
  let deployment: Deployment
  let dir: string
  let council: ChainClient
  const clients: ChainClient[] = []
  let validUntil: number

  async function client (opts: Partial<ChainClientOptions> = {}): Promise<ChainClient> {
    const c = await ChainClient.connect({ deployment, pollingIntervalMs: 0, retry: { minDelayMs: 20, maxDelayMs: 100 }, ...opts })
    clients.push(c)
    return c
  }

  async function agency (index: number): Promise<ChainClient> {
    const key = chain.accounts[index]!.privateKey
    const c = await client({ privateKey: key, anchorQueue: join(dir, `queue-${index}`) })
    await council.registerAgency(c.address, { name: `Agency ${index}`, cells, validUntil })
    return c
  }

  before(async () => {
    // The test-only single-key chain: this file tests the client, the council's path has council.test.ts.
    chain = await startEmbeddedChain({ council: false })
    deployment = chain.deployment!
    dir = await mkdtemp(join(tmpdir(), 'porchlight-chain-'))
    council = await client({ privateKey: chain.accounts[0]!.privateKey })
    validUntil = Math.floor(Date.now() / 1000) + 86400
  })
  after(async () => {
    for (const c of clients) await c.close()
    await chain.stop()
    await rm(dir, { recursive: true, force: true })
  })

  test('council operations: cells are checked, sorted and deduplicated; gas comes from the receipt', async () => {
    const address = Wallet.createRandom().address
    const result = await council.registerAgency(address, { name: 'Metro PD', cells, validUntil: new Date(validUntil * 1000) })
    assert.ok(result.gasUsed > 21_000)
    assert.match(result.transactionHash, /^0x[0-9a-f]{64}$/)
    assert.deepEqual(await council.agencyInfo(address), { address, name: 'Metro PD', cells: ['872830828ffffff', '87283082effffff'], validUntil, status: 'active' })
    const before = await council.provider.getBlockNumber()
    await rejectsWith(council.updateAgency(address, { name: 'X', cells: ['8828308281fffff'], validUntil }), 'AgencyRegistryInvalidCell')
    assert.equal(await council.provider.getBlockNumber(), before, 'refused before any transaction')
    await rejectsWith(council.registerAgency(address, { name: 'Metro PD', cells, validUntil }), 'AgencyRegistryAlreadyRegistered')
  })

  test('registry reads are cached and refreshed from the registry\'s events', async () => {
    const reader = await client()
    await reader.sync() // starts following at the current block
    const address = Wallet.createRandom().address
    await council.registerAgency(address, { name: 'County Sheriff', cells, validUntil })
    assert.equal(await reader.isActive(address), true)
    assert.deepEqual(await reader.jurisdictionOf(address), ['872830828ffffff', '87283082effffff'])
    await council.suspendAgency(address, 'audit')
    assert.equal(await reader.isActive(address), true, 'still the cached record')
    await reader.sync()
    assert.equal(await reader.isActive(address), false)
    assert.equal((await reader.agencyInfo(address)).status, 'suspended')
    await council.reinstateAgency(address)
    await reader.sync()
    assert.equal(await reader.isActive(address), true)
    assert.equal(await reader.isActive(address, validUntil + 1), false, 'not past its valid-until time')
    await council.revokeAgency(address, 'closed')
    await reader.sync()
    assert.equal((await reader.agencyInfo(address)).status, 'revoked')
  })

  test('anchor goes through the queue; latestAnchor, getAnchors and onAnchored see it', async () => {
    const a = await agency(1)
    const watcher = await client()
    await watcher.sync()
    const seen: AnchorEvent[] = []
    const unsubscribe = watcher.onAnchored((e) => seen.push(e))
    const r1 = root()
    const first = await a.anchor(10, r1)
    assert.equal(first.status, 'anchored')
    const r2 = root()
    const second = await a.anchor(20n, randomBytesOf(r2))
    assert.ok(second.status === 'anchored' && second.gasUsed <= 35_000, 'a steady-state anchor, gas from the receipt')
    assert.deepEqual(a.pendingAnchors(), [])
    const latest = await watcher.latestAnchor(a.address)
    assert.deepEqual([latest?.treeSize, latest?.root], [20, r2])
    assert.deepEqual((await watcher.getAnchors(a.address)).map((e) => [e.treeSize, e.root]), [[10, r1], [20, r2]])
    await watcher.sync()
    assert.deepEqual(seen.map((e) => [e.agency, e.treeSize, e.root]), [[a.address, 10, r1], [a.address, 20, r2]])
    unsubscribe()
    assert.equal(await watcher.latestAnchor(Wallet.createRandom().address), undefined)
  })

  test('the chain\'s refusals reject the anchor with the contract\'s error and leave the queue empty', async () => {
    const a = await agency(2)
    await a.anchor(5, root())
    await rejectsWith(a.anchor(5, root()), 'AuditAnchorFork')
    const stale = await a.anchor(4, root())
    assert.deepEqual([stale.status, stale.treeSize], ['superseded', 4], 'a smaller size is already covered on chain')
    await council.suspendAgency(a.address, 'review')
    await rejectsWith(a.anchor(6, root()), 'AuditAnchorNotActive')
    assert.deepEqual(a.pendingAnchors(), [])
  })

  test('the batch path: one bad signature in the middle is skipped and reported', async () => {
    const [a, b, c] = [await agency(3), await agency(4), await agency(5)]
    const relayer = await client({ privateKey: chain.accounts[6]!.privateKey })
    const bad = { ...await b.signAnchor(7, root()), root: root() }
    const result = await relayer.anchorBatch([await a.signAnchor(7, root()), bad, await c.signAnchor(7, root())])
    assert.deepEqual(result.anchored.map((e) => e.agency), [a.address, c.address])
    assert.deepEqual(result.skipped, [{ agency: b.address, treeSize: 7, root: bad.root, reason: 'invalid-signature' }])
    assert.ok(result.gasUsed > 0)
  })

  describe('while the RPC is down', () => {
    let proxy: TcpProxy
    before(async () => { proxy = await startTcpProxy(chain.port) })
    after(async () => { await proxy.stop() })

    test('anchors wait in the queue, survive a restart of the client, and go out when the RPC is back', async () => {
      const key = chain.accounts[7]!.privateKey
      const queuePath = join(dir, 'outage')
      await council.registerAgency(new Wallet(key).address, { name: 'Agency 7', cells, validUntil })
      const viaProxy = { ...deployment, rpc: proxy.url }

      await proxy.pause()
      const first = await client({ deployment: viaProxy, privateKey: key, anchorQueue: queuePath })
      const lost = first.anchor(30, root())
      await once(first, 'anchor:retrying')
      assert.deepEqual(first.pendingAnchors().map((e) => e.treeSize), [30])
      const lostRejected = rejectsWith(lost, 'ChainClientClosedError')
      await first.close()
      await lostRejected

      // A new process: the stored anchor is picked up, and another is queued while the RPC is still down.
      const second = await client({ deployment: viaProxy, privateKey: key, anchorQueue: queuePath })
      const retrying = once(second, 'anchor:retrying')
      const r31 = root()
      const newer = second.anchor(31, r31)
      await retrying
      assert.deepEqual(second.pendingAnchors().map((e) => e.treeSize), [30, 31])

      const settled: string[] = []
      second.on('anchor:anchored', (o) => settled.push(`${o.treeSize}:${o.status}`))
      await proxy.resume()
      const outcome = await newer
      assert.equal(outcome.status, 'anchored')
      assert.deepEqual(settled.sort(), ['30:superseded', '31:anchored'], 'one transaction covers both')
      assert.deepEqual(second.pendingAnchors(), [])
      const latest = await council.latestAnchor(second.address)
      assert.deepEqual([latest?.treeSize, latest?.root], [31, r31])
      assert.equal((await council.getAnchors(second.address)).length, 1)
    })

    test('a sync repeats its read once on a fresh socket when the server resets one', async () => {
      const reader = await client({ deployment: { ...deployment, rpc: proxy.url } })
      const errors: unknown[] = []
      reader.on('sync:error', (err) => { errors.push(err) })
      await reader.sync()
      const agency = Wallet.createRandom().address
      assert.equal((await reader.agencyInfo(agency)).status, 'none')
      await council.registerAgency(agency, { name: 'Agency reset', cells, validUntil })
      proxy.resetNext()
      await reader.sync()
      assert.equal(proxy.resets, 1)
      assert.deepEqual(errors, [])
      // The sync read the registration's event: the cached "not registered" is gone.
      assert.equal((await reader.agencyInfo(agency)).name, 'Agency reset')
    })

    test('a sync that fails twice reports ChainUnavailableError', async () => {
      const reader = await client({ deployment: { ...deployment, rpc: proxy.url } })
      const errors: unknown[] = []
      reader.on('sync:error', (err) => { errors.push(err) })
      await proxy.pause()
      try {
        await rejectsWith(reader.sync(), 'ChainUnavailableError')
        assert.equal(errors.length, 1)
      } finally {
        await proxy.resume()
      }
    })

    test('registry reads fail with ChainUnavailableError, not a hang', async () => {
      const reader = await client({ deployment: { ...deployment, rpc: proxy.url } })
      await proxy.pause()
      try {
        await rejectsWith(reader.agencyInfo(Wallet.createRandom().address), 'ChainUnavailableError')
      } finally {
        await proxy.resume()
      }
    })
  })
})

function randomBytesOf (hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'))
}
