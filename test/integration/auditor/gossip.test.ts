// Issue 14's attack, seen by an auditor with no peer auditors: a real agency node, a resident that relays, and
// an auditor node listening read-only on the request topics of the agency's jurisdiction. The agency (the test,
// signing with its key) gossips an honest announcement, then one whose checkpoint is a private tree of the
// public log's size with another root: the honest one is no finding; the fork is SPLIT_VIEW with both roots,
// found by the auditor on its own. A resident's receipt reaches it over HTTP without a token.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createNode, auditorRole, roleSetup, type AuditorServices, type PorchlightNode } from '../../../node/index.js'
import type { AuditReport, AuditorService, Sighting } from '../../../node/auditor/index.js'
import type { AgencyLogService } from '../../../node/log/index.js'
import { parseConfig } from '../../../node/config/index.js'
import { announcementMessageId } from '../../../node/network/index.js'
import { encodeAnnouncement, encodeLogEntry, signTyped, toHex, topicName, messageId } from '../../../protocol/index.js'
import { TEST_WITNESSES, TEST_WITNESS_SET, TestAgency, cosign } from '../../helpers/announcements.js'
import { ChainClient, devCouncil } from '../../../node/chain/index.js'
import { startChainFixture } from '../../helpers/chain.js'
import { AREA_TOPIC_CELLS, JURISDICTION, liveFields, placements, startResident, waitForSubscribers } from '../../helpers/resident-network.js'

const gossip = { messageId: announcementMessageId, heartbeatIntervalMs: 200 }

/** The first report after now that satisfies `pred`. */
async function reportWhere (auditor: AuditorService, pred: (r: AuditReport) => boolean, signal: AbortSignal): Promise<AuditReport> {
  for (;;) {
    const [report] = await once(auditor, 'audit:completed', { signal }) as [AuditReport]
    if (pred(report)) return report
  }
}

async function sighted (auditor: AuditorService, pred: (s: Sighting) => boolean, signal: AbortSignal): Promise<Sighting> {
  for (;;) {
    const [s] = await once(auditor, 'checkpoint:sighted', { signal }) as [Sighting]
    if (pred(s)) return s
  }
}

test('an auditor alone finds a gossiped private fork of an agency log (SPLIT_VIEW, both roots); an honest announcement is no finding', async (t) => {
  const signal = AbortSignal.timeout(90_000)
  const fixture = await startChainFixture()
  t.after(async () => { await fixture.stop() })
  const d = fixture.deployment
  const endpoint = { rpc: d.rpc, chainId: d.chainId, contracts: d.contracts }

  const agencyNode = await createNode({
    config: parseConfig({ version: 1, role: 'agency', name: 'north', chain: endpoint }),
    services: roleSetup('agency').services,
    libp2p: gossip,
    staticDir: false
  }) as PorchlightNode<{ log: AgencyLogService }>
  t.after(async () => { await agencyNode.stop() })
  await agencyNode.start()
  const address = agencyNode.info().address!
  const council = await ChainClient.connect({ deployment: d, privateKey: fixture.chain.accounts[0]!.privateKey, pollingIntervalMs: 0, registrar: devCouncil(d) })
  await council.registerAgency(address, { name: 'North PD', cells: JURISDICTION, validUntil: Math.floor(Date.now() / 1000) + 365 * 86400 })
  // The witnesses the honest announcement is cosigned by: relays hold (and answer catch-up with) only witnessed ones.
  for (const w of TEST_WITNESS_SET.witnesses) await council.addWitness(w)
  await council.setWitnessQuorum(TEST_WITNESS_SET.quorum)
  await council.close()

  const relay = await startResident('relay', [placements().inside[0]!], endpoint)
  t.after(async () => { await relay.stop() })
  const auditorNode: PorchlightNode<AuditorServices> = await createNode({
    config: parseConfig({ version: 1, role: 'auditor', name: 'watch', chain: endpoint, audit: { logs: { [address]: agencyNode.info().api!.url }, intervalSeconds: 3600 } }),
    services: auditorRole(),
    libp2p: gossip,
    staticDir: false
  })
  t.after(async () => { await auditorNode.stop() })
  const firstPass = once(auditorNode.services.auditor, 'audit:completed', { signal })
  await auditorNode.start()
  await firstPass
  const auditor = auditorNode.services.auditor

  // The auditor listens on every res-7 topic of the jurisdiction (it publishes nothing of its own).
  for (const cell of AREA_TOPIC_CELLS) assert.ok(auditorNode.services.network.cells().includes(cell))
  await agencyNode.libp2p.dial(relay.libp2p.getMultiaddrs())
  await auditorNode.libp2p.dial(relay.libp2p.getMultiaddrs())
  await agencyNode.libp2p.dial(auditorNode.libp2p.getMultiaddrs())
  for (const cell of AREA_TOPIC_CELLS) await waitForSubscribers(agencyNode.libp2p, topicName(cell), [auditorNode.libp2p], signal)
  const publish = async (bytes: Uint8Array): Promise<void> => {
    for (const cell of AREA_TOPIC_CELLS) await agencyNode.libp2p.services.pubsub.publish(topicName(cell), bytes)
  }

  // Honest: logged in the agency's public log, with its own checkpoint.
  // Its fork is cosigned by no witness (none would cosign a tree inconsistent with the public one).
  const agency = new TestAgency(agencyNode.keys.agencyKey!, { chainId: d.chainId, verifyingContract: d.contracts.AgencyRegistry }, { witnesses: [] })
  const log = agencyNode.services.log.log!
  const signed = agency.sign(liveFields())
  const index = await log.append(encodeLogEntry({ kind: 'request', request: signed }))
  const proof = await log.proof(index)
  const publicRoot = toHex(await log.rootAt(1))
  const honestSeen = sighted(auditor, (s) => s.source === 'gossip' && s.size === 1 && s.root === publicRoot, signal)
  const witnessed = cosign(proof.checkpoint, TEST_WITNESSES, signed.message.issuedAt)
  await publish(encodeAnnouncement({ kind: 'request', request: signed, logIndex: index, checkpoint: witnessed, proof: proof.proof.map(toHex) }))
  await honestSeen
  const afterHonest = await reportWhere(auditor, (r) => r.pendingCheckpoints === 0, signal)
  // The test witnesses are keys only, with no node to poll: WITNESS_UNAVAILABLE is expected and beside the point.
  assert.deepEqual(afterHonest.findings.filter((f) => f.agency === address && f.rule !== 'WITNESS_UNAVAILABLE'), [])

  // The fork: a request "logged" in a private tree of size 1 that was never published, signed by the agency.
  const fork = agency.request(liveFields())
  const forkRoot = toHex(agency.tree.root())
  assert.notEqual(forkRoot, publicRoot)
  const found = reportWhere(auditor, (r) => r.findings.some((f) => f.agency === address && f.rule === 'SPLIT_VIEW'), signal)
  await publish(fork.bytes)
  const report = await found
  const split = report.findings.filter((f) => f.agency === address && f.rule === 'SPLIT_VIEW')
  assert.equal(split.length, 1)
  assert.equal(split[0]!.evidence.size, 1)
  const seen = split[0]!.evidence.seen as Array<{ root: string, source: string, note: string }>
  assert.deepEqual(seen.map((s) => [s.source, s.root]), [['log', publicRoot], ['gossip', forkRoot]])
  assert.equal(seen[1]!.note, fork.announcement.checkpoint)

  // An auditor that joins later hears of what the relay holds through catch-up, and keeps that checkpoint too.
  // Its only peer is the relay, which answers its catch-up, and whose gossip may also hand it the request
  // first (gossipsub's message cache gossips recent messages to a newly subscribed peer): a checkpoint counts
  // once, from whichever came first, so the sighting is the relay's by either path.
  const late: PorchlightNode<AuditorServices> = await createNode({
    config: parseConfig({ version: 1, role: 'auditor', name: 'late', chain: endpoint, audit: { logs: { [address]: agencyNode.info().api!.url }, intervalSeconds: 3600 } }),
    services: auditorRole(),
    libp2p: gossip,
    listenApi: false,
    staticDir: false
  })
  t.after(async () => { await late.stop() })
  const caughtUp = sighted(late.services.auditor, (s) => (s.source === 'catch-up' || s.source === 'gossip') && s.root === publicRoot, signal)
  await late.start()
  await late.libp2p.dial(relay.libp2p.getMultiaddrs())
  // The node asks on its own (on identify, and when the auditor joins its topics), each once: asked here too,
  // so a first question that lost a race with the join (or was cut short on a loaded machine) is not the end.
  await late.services.auditor.audit()
  await late.services.network.catchUp(relay.libp2p.peerId)
  assert.equal((await caughtUp).from, relay.peerId.toString())

  // A resident hands the auditor a receipt, without a token: a forged one is refused (typed, counted), an honest one kept.
  const api = auditorNode.info().api!.url
  const receipt = (checkpoint: string, key: string): string => JSON.stringify({
    receipt: signTyped('Receipt', { consent: messageId(Uint8Array.of(1)), request: messageId(Uint8Array.of(2)), logIndex: 0, checkpoint, proof: [] }, agency.domain, key)
  })
  const post = async (body: string): Promise<Response> => await fetch(`${api}/api/receipts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  const bad = await post(receipt(proof.checkpoint, fixture.chain.accounts[3]!.privateKey))
  assert.equal(bad.status, 422)
  assert.equal((await bad.json() as { error: { code: string } }).error.code, 'RECEIPT_NOT_VERIFIED')
  // The late auditor's arrival may have brought the honest checkpoint back to this one by gossip: a pass
  // compares what is pending with the log and forgets it.
  await auditor.audit()
  const good = await post(receipt(proof.checkpoint, agencyNode.keys.agencyKey!))
  assert.equal(good.status, 200)
  // Fresh again: the gossiped copy was compared with the log and forgotten; this one waits for the next pass.
  assert.deepEqual(await good.json(), { agency: address, size: 1, root: publicRoot, fresh: true })
  assert.equal((await post('{"receipt":{}}')).status, 400)
  const metrics = await (await fetch(`${api}/metrics`, { headers: { authorization: `Bearer ${auditorNode.keys.apiToken}` } })).text()
  assert.match(metrics, /porchlight_audit_checkpoints_refused_total\{source="receipt",code="RECEIPT_NOT_VERIFIED"\} 1/)
  assert.match(metrics, /porchlight_audit_checkpoints_sighted_total\{source="gossip"\} 2/)
})
