// The relayer path (issue 21, item 4): agencies sign their checkpoints for the AnchorRelay, a relayer
// anchors the Merkle root of all of them in one transaction and serves each with its inclusion proof over
// HTTP, and the auditor counts a relayed checkpoint only when the chain, the proof and the agency's signature
// all agree. Without the relayed source the same agencies look as if they never anchored: the control.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { Wallet, hexlify } from 'ethers'
import { Auditor, ChainFollower, relayedAnchorsFrom, type Finding, type RelayedAnchorSource } from '../../../node/auditor/index.js'
import { AnchorRelayer, ChainClient, anchorRelayerRoutes, buildRelayBatch, signAnchor, type RelayedAnchor } from '../../../node/chain/index.js'
import { startAuditChain, type AuditChainFixture, type TestAgency } from '../../helpers/audit-chain.js'
import { rejectsWith } from '../../helpers/chain.js'

let fx: AuditChainFixture
let relayClient: ChainClient
let relayer: AnchorRelayer
let app: FastifyInstance
let url: string

before(async () => {
  fx = await startAuditChain(12)
  relayClient = await ChainClient.connect({ deployment: fx.chain.deployment!, privateKey: fx.chain.accounts[11]!.privateKey, pollingIntervalMs: 0 })
  relayer = new AnchorRelayer({ chain: relayClient })
  app = Fastify()
  await app.register(anchorRelayerRoutes(relayer))
  await app.listen({ host: '127.0.0.1', port: 0 })
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
})
after(async () => {
  await app?.close()
  await relayer?.stop()
  await relayClient?.close()
  await fx?.stop()
})

const findingsOf = (fs: Finding[], a: TestAgency): Finding[] => fs.filter((f) => f.agency === a.address)
const signFor = async (a: TestAgency, size: number, root = hexlify(a.log.rootAt(size))): Promise<ReturnType<typeof signAnchor>> =>
  await signAnchor(new Wallet(a.key), relayClient.relayDomain!, size, root)

test('one relayed root anchors three agencies; the auditor counts each, and without the relayer they look unanchored', async () => {
  const agencies = [await fx.agencyWith(6), await fx.agencyWith(9), await fx.agencyWith(4)]
  for (const a of agencies) {
    const res = await app.inject({ method: 'POST', url: '/api/relay/anchors', payload: await signFor(a, a.log.size) })
    assert.equal(res.statusCode, 202, res.body)
  }
  const batch = await relayer.flush()
  assert.equal(batch?.count, 3)
  const logs = Object.fromEntries(agencies.map((a) => [a.address, a.url]))
  const wall = (await fx.now()) + 2 * 3600 // long past the promised interval: an unanchored entry is flagged
  const withRelay = new Auditor({ chain: fx.reader, logs, clock: () => wall, relayed: relayedAnchorsFrom([url]) })
  const without = new Auditor({ chain: fx.reader, logs, clock: () => wall })
  const report = await withRelay.audit()
  const control = await without.audit()
  for (const a of agencies) {
    assert.deepEqual(findingsOf(report.findings, a), [], `agency ${a.address}`)
    assert.ok(findingsOf(control.findings, a).some((f) => f.rule === 'LOG_NOT_ANCHORING'), 'the control sees no anchor')
  }
  const view = await new ChainFollower(fx.reader, relayedAnchorsFrom([url])).load()
  for (const a of agencies) {
    const anchored = view.anchors.get(a.address)!
    assert.deepEqual(anchored.map((r) => [r.treeSize, r.via, r.transactionHash]), [[a.log.size, 'relay', batch.transactionHash.toLowerCase()]])
  }
})

test('the relayer refuses a bad signature, a stale size and a suspended agency, each with its code', async () => {
  const [a, b] = [await fx.agencyWith(3), await fx.agencyWith(3)]
  const forged = { ...await signFor(a, 3), agency: b.address }
  const res = await app.inject({ method: 'POST', url: '/api/relay/anchors', payload: forged })
  assert.equal(res.statusCode, 400)
  assert.equal(res.json<{ code: string }>().code, 'RELAYED_ANCHOR_SIGNATURE')
  await relayer.submit(await signFor(a, 3))
  await rejectsWith(relayer.submit(await signFor(a, 2)), 'RelayedAnchorStaleError')
  await fx.council.suspendAgency(b.address, 'test')
  await rejectsWith(relayer.submit(await signFor(b, 3)), 'RelayedAnchorAgencyNotActiveError')
  assert.equal(relayer.pending, 1, 'only the good one waits for the batch')
  await relayer.flush()
})

test('a leaf with another key\'s signature, a bent proof and an equivocating root: none counts as the log\'s anchor', async () => {
  const [a, b, c] = [await fx.agencyWith(5), await fx.agencyWith(5), await fx.agencyWith(5)]
  // A relayer that checks nothing: b's leaf is signed by a's key, c signed a root its log never had.
  const leaves = [await signFor(a, 5), { ...await signFor(a, 5), agency: b.address }, await signFor(c, 5, `0x${'ab'.repeat(32)}`)]
  const { root, proofs } = await buildRelayBatch(leaves)
  const tx = await relayClient.anchorBatchRoot(root, leaves.length)
  const served: RelayedAnchor[] = leaves.map((anchor, i) => ({ anchor, batch: { ...proofs[i]!, transactionHash: tx.transactionHash, blockNumber: tx.blockNumber } }))
  // a's own leaf is served with one bit of its proof flipped.
  const bent = structuredClone(served[0]!)
  bent.batch.proof[0] = bent.batch.proof[0]!.slice(0, -1) + (bent.batch.proof[0]!.endsWith('0') ? '1' : '0')
  const source: RelayedAnchorSource = async (agency) => [bent, ...served.slice(1)].filter((r) => r.anchor.agency === agency)
  const follower = new ChainFollower(fx.reader, source)
  const view = await follower.load()
  assert.equal(view.anchors.get(a.address), undefined)
  assert.equal(view.anchors.get(b.address), undefined)
  assert.deepEqual(follower.rejectedRelayed.map((r) => [r.agency, r.problem]), [[a.address, 'proof'], [b.address, 'signature']])
  // c's signature is valid, so the chain holds its word: and its word contradicts its log.
  const wall = await fx.now()
  const found = findingsOf((await new Auditor({ chain: fx.reader, logs: { [c.address]: c.url }, clock: () => wall, relayed: source }).audit({ agency: c.address })).findings, c)
  assert.ok(found.some((f) => f.rule === 'ANCHOR_ROOT_MISMATCH'), JSON.stringify(found))
})

test('an empty batch root is refused with the contract\'s own error', async () => {
  await rejectsWith(relayClient.anchorBatchRoot(`0x${'00'.repeat(32)}`, 0), 'AnchorRelayEmptyBatch')
  assert.equal(await relayer.flush(), undefined, 'the relayer sends nothing when it holds nothing')
})
