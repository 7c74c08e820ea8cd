// The log as an agency node's service: a real node on the embedded chain serves its log over its HTTP API
// (public, no token) and libp2p, and anchors it every second.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { hexlify, parseEther } from 'ethers'
import { TileHashReader, equalHashes, openCheckpoint, rootAt } from '../../../protocol/tlog/index.js'
import { createNode, roleSetup, type PorchlightNode } from '../../../node/index.js'
import { parseConfig } from '../../../node/config/index.js'
import { ChainClient, startEmbeddedChain, type EmbeddedChain } from '../../../node/chain/index.js'
import { createPorchlightLibp2p } from '../../../node/p2p/index.js'
import { fetchAuditResource, type AgencyLogService } from '../../../node/log/index.js'
import { entryFor } from '../../helpers/log-store.js'

describe('an agency node', () => {
  let chain: EmbeddedChain
  let council: ChainClient
  before(async () => {
    chain = await startEmbeddedChain()
    council = await ChainClient.connect({ deployment: chain.deployment!, privateKey: chain.accounts[0]!.privateKey, pollingIntervalMs: 0 })
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
})
