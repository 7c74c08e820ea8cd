// The desk publishes only witnessed requests (issue 14), through the HTTP API of an agency node on the
// embedded chain with its real log service and three in-test witnesses, quorum 2: one down still publishes,
// two down refuse the create with WITNESS_QUORUM_UNREACHED (503) and announce nothing, and /checkpoint
// carries the cosignature lines.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { decodeAnnouncement, openCheckpoint, topicCells } from '../../../protocol/index.js'
import { createPorchlightLibp2p } from '../../../node/p2p/index.js'
import { fetchAuditResource } from '../../../node/log/index.js'
import { draft, startAgencyFixture, type AgencyFixture } from '../../helpers/agency-fixture.js'
import { verifiedCosigners, witnessDoubles } from '../../helpers/witness-doubles.js'

const { doubles, set, client } = witnessDoubles(3, 2)
let f: AgencyFixture
const published: string[] = []

before(async () => {
  f = await startAgencyFixture({ witnesses: { set: async () => set, client, attemptTimeoutMs: 300, quorumTimeoutMs: 1500, minBackoffMs: 20, maxBackoffMs: 200 } })
  // Every announcement the desk hands to the network, whether or not a peer is there to receive it.
  const publisher = f.node.services.requests.publisher
  const publish = publisher.publish.bind(publisher)
  publisher.publish = async (id, ...rest) => { published.push(id); return await publish(id, ...rest) }
})
after(async () => {
  for (const d of doubles) d.releaseHung()
  await f.stop()
})

const cosigners = (note: string): string[] => verifiedCosigners(note, set.witnesses)

function setModes (...modes: Array<typeof doubles[number]['mode']>): void {
  modes.forEach((m, i) => { doubles[i]!.mode = m })
}

test('all witnesses up: the request is announced with a checkpoint a quorum cosigned, and /checkpoint carries the lines', { timeout: 30_000 }, async (t) => {
  setModes('up', 'up', 'up')
  const created = await f.api('POST', '/api/requests', draft({ caseCode: 'W-ALL' }))
  assert.equal(created.status, 201, JSON.stringify(created.json))
  assert.ok(cosigners(created.json.checkpoint).length >= 2)
  assert.ok(published.includes(created.json.id))
  // What catch-up serves (the gossiped bytes) carries the same cosigned checkpoint.
  const now = Math.floor(Date.now() / 1000)
  const live = (await f.node.services.requests.liveAnnouncements(topicCells(created.json.request.cells), now)).map(decodeAnnouncement)
  const mine = live.find((a) => a.kind === 'request' && a.logIndex === created.json.logIndex)
  assert.ok(mine !== undefined && cosigners(mine.checkpoint).length >= 2)

  const res = await fetch(`${f.url}/checkpoint`)
  assert.equal(res.status, 200)
  const served = await res.text()
  openCheckpoint(served, f.node.services.log.log!.origin)
  assert.ok(cosigners(served).length >= 2, served)

  // The same note over /porchlight/audit/1.0.0, for auditors that reach the agency only by libp2p.
  const auditor = await createPorchlightLibp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  t.after(async () => { await auditor.stop() })
  const overP2p = new TextDecoder().decode(await fetchAuditResource(auditor, f.node.libp2p.getMultiaddrs(), 'checkpoint'))
  assert.ok(cosigners(overP2p).length >= 2, overP2p)
})

test('one witness down: the request is still published', { timeout: 30_000 }, async () => {
  setModes('down', 'up', 'up')
  const created = await f.api('POST', '/api/requests', draft({ caseCode: 'W-ONE-DOWN' }))
  assert.equal(created.status, 201, JSON.stringify(created.json))
  assert.deepEqual(cosigners(created.json.checkpoint).sort(), ['w1.example', 'w2.example'])
  assert.ok(published.includes(created.json.id))
})

test('two witnesses down: the create fails with WITNESS_QUORUM_UNREACHED, nothing is announced or stored, the identity is removed', { timeout: 30_000 }, async () => {
  setModes('down', 'hang', 'up')
  const before = { files: (await f.identityFiles()).length, stored: (await f.api('GET', '/api/requests')).json.length, published: published.length }
  const logSize = f.node.services.log.log!.size
  const refused = await f.api('POST', '/api/requests', draft({ caseCode: 'W-TWO-DOWN' }))
  assert.equal(refused.status, 503, JSON.stringify(refused.json))
  assert.equal(refused.json.error.code, 'WITNESS_QUORUM_UNREACHED')
  assert.equal((await f.identityFiles()).length, before.files)
  assert.equal((await f.api('GET', '/api/requests')).json.length, before.stored)
  assert.equal(published.length, before.published)
  // The entry itself stays in the append-only log (docs/tlog.md says so).
  assert.equal(f.node.services.log.log!.size, logSize + 1)

  // Refusals are counted by witness and result.
  const metrics = await (await fetch(`${f.url}/metrics`, { headers: { authorization: `Bearer ${f.token}` } })).text()
  assert.match(metrics, /porchlight_log_cosign_attempts_total\{witness="w0\.example",result="unreachable"\} [1-9]/)
  assert.match(metrics, /porchlight_log_cosign_attempts_total\{witness="w1\.example",result="timeout"\} [1-9]/)
  assert.match(metrics, /porchlight_log_witness_quorum_seconds_count [1-9]/)

  // Back to a quorum, the same draft publishes.
  setModes('up', 'hang', 'up')
  const created = await f.api('POST', '/api/requests', draft({ caseCode: 'W-TWO-DOWN' }))
  assert.equal(created.status, 201, JSON.stringify(created.json))
})
