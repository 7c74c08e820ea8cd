// Anchoring against the real embedded chain: the anchored (size, root) is the log's, recorded with its
// transaction; with the RPC down the anchor waits (also across a restart of the anchorer and chain client)
// and is sent when the RPC is back — nothing lost.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { hexlify } from 'ethers'
import { ChainClient, startEmbeddedChain, type Deployment, type EmbeddedChain, devCouncil } from '../../../node/chain/index.js'
import type { AnchorQueueStore } from '../../../node/chain/index.js'
import { AgencyLog, Anchorer, type LogDatabase } from '../../../node/log/index.js'
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js'
import { entryFor, tempStore, type TempStore } from '../../helpers/log-store.js'

const cells = ['87283082effffff', '872830828ffffff']

describe('anchoring on the embedded chain', () => {
  let chain: EmbeddedChain
  let deployment: Deployment
  let council: ChainClient
  let proxy: TcpProxy

  before(async () => {
    chain = await startEmbeddedChain()
    deployment = chain.deployment!
    council = await ChainClient.connect({ deployment, privateKey: chain.accounts[0]!.privateKey, pollingIntervalMs: 0, registrar: devCouncil(deployment) })
    proxy = await startTcpProxy(chain.port)
  })
  after(async () => {
    await council.close()
    await proxy.stop()
    await chain.stop()
  })

  /** An agency (dev account `index`) registered on chain, its log, chain client (via the proxy) and anchorer. */
  async function agency (index: number, store: TempStore): Promise<{ log: AgencyLog, client: ChainClient, anchorer: Anchorer, close: () => Promise<void> }> {
    const key = chain.accounts[index]!.privateKey
    const log = await AgencyLog.open({ db: store.db, agencyKey: key, chainId: chain.chainId, checkpointIntervalMs: 100 })
    const queue = store.root.sublevel<string, string>('anchor-queue', { keyEncoding: 'utf8', valueEncoding: 'utf8' }) as unknown as AnchorQueueStore
    const client = await ChainClient.connect({
      deployment: { ...deployment, rpc: proxy.url }, privateKey: key, anchorQueue: queue, pollingIntervalMs: 0, retry: { minDelayMs: 20, maxDelayMs: 200 }
    })
    const anchorsDb = store.root.sublevel<string, Uint8Array>('anchors', { keyEncoding: 'utf8', valueEncoding: 'view' }) as unknown as LogDatabase
    const anchorer = await Anchorer.open({ log, chain: client, db: anchorsDb, anchorIntervalMs: 1000 })
    return {
      log,
      client,
      anchorer,
      close: async () => { anchorer.stop(); await client.close(); await log.close() }
    }
  }

  test('each interval the grown log is anchored with its root, and the transaction recorded', async (t) => {
    const store = await tempStore()
    const { log, anchorer, close } = await agency(1, store)
    t.after(async () => { await close(); await store.destroy() })
    await council.registerAgency(log.agency, { name: 'Agency 1', cells, validUntil: Math.floor(Date.now() / 1000) + 86400 })

    await Promise.all(Array.from({ length: 300 }, async (_, i) => await log.append(entryFor(i))))
    const recorded = once(anchorer, 'anchor:recorded')
    anchorer.start()
    const [record] = await recorded
    assert.equal(record.treeSize, 300)
    assert.equal(record.root, hexlify(await log.rootAt(300)))
    const onChain = await council.latestAnchor(log.agency)
    assert.deepEqual([onChain?.treeSize, onChain?.root], [300, record.root])
    const receipt = await council.provider.getTransactionReceipt(record.transactionHash)
    assert.equal(receipt?.status, 1)
    assert.equal(receipt?.blockNumber, record.blockNumber)

    await log.append(entryFor(300))
    const [next] = await once(anchorer, 'anchor:recorded')
    assert.equal(next.treeSize, 301)
    assert.deepEqual((await anchorer.anchors()).map((r) => r.treeSize), [300, 301])
  })

  test('RPC down: the anchor waits, survives a restart, and goes out when the RPC is back', async (t) => {
    const store = await tempStore()
    let down = false
    t.after(async () => { if (down) await proxy.resume(); await store.destroy() })
    let node = await agency(2, store)
    await council.registerAgency(node.log.agency, { name: 'Agency 2', cells, validUntil: Math.floor(Date.now() / 1000) + 86400 })
    for (let i = 0; i < 10; i++) await node.log.append(entryFor(i))
    assert.equal((await node.anchorer.anchorNow())?.treeSize, 10)

    await proxy.pause()
    down = true
    await Promise.all(Array.from({ length: 20 }, async (_, i) => await node.log.append(entryFor(10 + i))))
    const retrying = once(node.client, 'anchor:retrying')
    const waiting = node.anchorer.anchorNow()
    waiting.catch(() => {}) // rejected by the restart below (ChainClientClosedError): the anchor stays queued
    await retrying
    assert.deepEqual(node.client.pendingAnchors().map((a) => a.treeSize), [30])
    await node.close()
    await store.closeDb()

    // A restart while the RPC is still down: the queued anchor is picked up again, and more entries arrive.
    await store.reopen()
    node = await agency(2, store)
    t.after(async () => { await node.close() })
    assert.deepEqual(node.client.pendingAnchors().map((a) => a.treeSize), [30])
    await node.log.append(entryFor(30))
    const settled = once(node.client, 'anchor:anchored')
    await proxy.resume()
    down = false
    const [outcome] = await settled
    assert.deepEqual([outcome.treeSize, outcome.status], [30, 'anchored'])
    assert.equal((await council.latestAnchor(node.log.agency))?.treeSize, 30)

    // The anchorer catches up with the entry added during the outage; every anchor is consistent on chain.
    const record = await node.anchorer.anchorNow()
    assert.equal(record?.treeSize, 31)
    const latest = await council.latestAnchor(node.log.agency)
    assert.deepEqual([latest?.treeSize, latest?.root], [31, hexlify(await node.log.rootAt(31))])
    assert.deepEqual(node.client.pendingAnchors(), [])
  })
})
