// The log as an agency node's service: a real node on the embedded chain serves its log over its HTTP API
// (public, no token) and libp2p, and anchors it every second; GET /api/anchors lists its anchors (token).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { hexlify, parseEther } from 'ethers'
import { TileHashReader, equalHashes, openCheckpoint, rootAt } from '../../../protocol/tlog/index.js'
import { createNode, roleSetup, type PorchlightNode } from '../../../node/index.js'
import { parseConfig } from '../../../node/config/index.js'
import { ChainClient, startEmbeddedChain, type EmbeddedChain, devCouncil } from '../../../node/chain/index.js'
import { createPorchlightLibp2p } from '../../../node/p2p/index.js'
import { fetchAuditResource, type AgencyLogService, type AnchorHistory } from '../../../node/log/index.js'
import { entryFor } from '../../helpers/log-store.js'

describe('an agency node', () => {
  let chain: EmbeddedChain
  let council: ChainClient
  before(async () => {
    chain = await startEmbeddedChain()
    council = await ChainClient.connect({ deployment: chain.deployment!, privateKey: chain.accounts[0]!.privateKey, pollingIntervalMs: 0, registrar: devCouncil(chain.deployment!) })
  })
  after(async () => { await council.close(); await chain.stop() })

  test('serves its log over HTTP and libp2p and anchors it on its interval', async (t) => {
    const config = parseConfig({ version: 1, role: 'agency', name: 'sheriff', chain: { rpc: chain.rpcUrl, chainId: chain.chainId, contracts: chain.contracts }, anchorIntervalSeconds: 1 })
    const node = await createNode({ config, services: roleSetup('agency').services, staticDir: false }) as PorchlightNode<{ log: AgencyLogService }>
    const auditor = await createPorchlightLibp2p()
    t.after(async () => { await auditor.stop(); await node.stop() })
    await node.start()
    const address = node.info().address!
    // A fresh agency key: the council registers it and funds its gas.
    await (await council.wallet!.sendTransaction({ to: address, value: parseEther('1') })).wait()
    await council.registerAgency(address, { name: 'Sheriff', cells: ['872830828ffffff'], validUntil: Math.floor(Date.now() / 1000) + 86400 })

    const log = node.services.log.log!
    const recorded = once(node.services.log.anchorer!, 'anchor:recorded')
    await Promise.all(Array.from({ length: 500 }, async (_, i) => await log.append(entryFor(i))))
    const [record] = await recorded
    assert.equal((await council.latestAnchor(address))?.root, record.root)
    assert.equal(record.root, hexlify(await log.rootAt(record.treeSize)))

    const url = node.info().api!.url
    const res = await fetch(`${url}/checkpoint`)
    assert.equal(res.status, 200, 'public: no token needed')
    const { checkpoint } = openCheckpoint(await res.text(), `porchlight.${chain.chainId}/${address.toLowerCase()}`)
    const viaHttp = new TileHashReader(checkpoint.size, async (_tile, path) => new Uint8Array(await (await fetch(`${url}/${path}`)).arrayBuffer()))
    assert.ok(equalHashes(await rootAt(checkpoint.size, viaHttp), checkpoint.root))

    const note = new TextDecoder().decode(await fetchAuditResource(auditor, node.libp2p.getMultiaddrs(), 'checkpoint'))
    const overP2p = openCheckpoint(note, checkpoint.origin).checkpoint
    const viaP2p = new TileHashReader(overP2p.size, async (_tile, path) => await fetchAuditResource(auditor, node.libp2p.getMultiaddrs(), path))
    assert.ok(equalHashes(await rootAt(overP2p.size, viaP2p), overP2p.root))
  })

  test('without a chain the log is served but not anchored', async (t) => {
    const node = await createNode({ config: parseConfig({ version: 1, role: 'agency', name: 'solo' }), services: roleSetup('agency').services, staticDir: false }) as PorchlightNode<{ log: AgencyLogService }>
    t.after(async () => { await node.stop() })
    await node.start()
    assert.equal(node.services.log.anchorer, undefined)
    await node.services.log.log!.append(entryFor(0))
    await node.services.log.log!.checkpointCovering(0)
    assert.equal((await fetch(`${node.info().api!.url}/tile/entries/000.p/1`)).status, 200)
  })

  test('GET /api/anchors lists the agency\'s anchors from the chain, with the note where the node recorded it', async (t) => {
    const config = parseConfig({ version: 1, role: 'agency', name: 'sheriff', chain: { rpc: chain.rpcUrl, chainId: chain.chainId, contracts: chain.contracts }, anchorIntervalSeconds: 3600 })
    const node = await createNode({ config, services: roleSetup('agency').services, staticDir: false }) as PorchlightNode<{ log: AgencyLogService }>
    t.after(async () => { await node.stop() })
    await node.start()
    const address = node.info().address!
    await (await council.wallet!.sendTransaction({ to: address, value: parseEther('1') })).wait()
    await council.registerAgency(address, { name: 'Sheriff', cells: ['872830828ffffff'], validUntil: Math.floor(Date.now() / 1000) + 86400 })
    const url = node.info().api!.url
    const get = async (token?: string): Promise<Response> => await fetch(`${url}/api/anchors`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } })

    assert.deepEqual(await (await get(node.keys.apiToken)).json(), { items: [], source: 'chain' })

    const { log, anchorer, chain: { client: chainClient } } = node.services.log
    for (let i = 0; i < 3; i++) await log!.append(entryFor(i))
    const first = (await anchorer!.anchorNow())!
    // A second anchor sent by the chain client alone (as the queue does after a restart): the anchorer has no record.
    for (let i = 3; i < 7; i++) await log!.append(entryFor(i))
    const second = await log!.checkpointCovering(6)
    const outcome = await chainClient!.anchor(second.size, second.root)
    assert.equal(outcome.status, 'anchored')

    assert.equal((await get()).status, 401)
    assert.equal((await get('wrong')).status, 401)
    const res = await get(node.keys.apiToken)
    assert.equal(res.status, 200)
    const body = await res.json() as AnchorHistory
    assert.equal(body.source, 'chain')
    assert.deepEqual(body.items.map((a) => a.treeSize), [first.treeSize, second.size], 'oldest first, newest last')
    assert.deepEqual(body.items[0], { treeSize: first.treeSize, root: first.root, transactionHash: first.transactionHash, blockNumber: first.blockNumber, recordedAt: first.recordedAt, checkpoint: first.checkpoint })
    const [, last] = body.items
    assert.equal(last!.root, hexlify(second.root))
    assert.equal(last!.checkpoint, undefined)
    assert.match(last!.transactionHash, /^0x[0-9a-f]{64}$/)
    const block = await chainClient!.provider.getBlock(last!.blockNumber)
    assert.equal(last!.recordedAt, block!.timestamp * 1000)
  })
})
