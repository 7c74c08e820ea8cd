// The agency's use of delivered footage through a real agency node's HTTP API (its level store, its
// persistent log): deliveries listed, a clip opened only after its `access` entry is durable, shares and
// deletions logged first, the retention job deleting on an injected clock. Each bad input is its own case,
// refused with its code and no log entry.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { access } from 'node:fs/promises'
import { decodeLogEntry, type LogEntry } from '../../../protocol/index.js'
import { RetentionJob } from '../../../node/deliveries/index.js'
import { randomClip } from '../../support/byte-streams.js'
import { addClip, call, draft, issueRequest, shareWhere, startFootageWorld, type FootageWorld, type ResidentNode } from '../../helpers/footage-world.js'

let world: FootageWorld
let ann: ResidentNode
let requestId: string
let consentId: string
const clips: Array<{ cid: string, bytes: Uint8Array }> = []

/** An MP4-looking clip (an `ftyp` box first), so the agency serves it as video/mp4. */
function mp4Clip (n: number): Uint8Array {
  const bytes = randomClip(n)
  bytes.set([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70], 0)
  return bytes
}

const logSize = (): number => world.agency.services.log.log!.size
const entryAt = async (i: number): Promise<LogEntry> => decodeLogEntry(await world.agency.services.log.log!.entry(i))

async function share (r: ResidentNode, request: string, cids: string[]): Promise<string> {
  const consent = await call(r, 'POST', `/api/inbox/${request}/consent`, { clips: cids })
  assert.equal(consent.status, 202, JSON.stringify(consent.json))
  const done = await shareWhere(r, consent.json.id, (s) => s.state === 'delivered' || s.state === 'failed')
  assert.equal(done.state, 'delivered', JSON.stringify(done.error))
  return consent.json.id
}

/** Calls the agency and asserts a refusal with `code` that appended nothing to the log. */
async function refused (method: string, path: string, body: unknown, status: number, code: string, token?: string | null): Promise<void> {
  const before = logSize()
  const res = await call(world.agency, method, path, body, token)
  assert.equal(res.status, status, JSON.stringify(res.json))
  assert.equal(res.json.error.code, code)
  assert.equal(logSize(), before, 'nothing logged')
}

before(async () => {
  world = await startFootageWorld()
  ann = await world.resident('ann')
  requestId = (await issueRequest(world, draft({ caseCode: 'USE-1' }))).id
  const start = Math.floor(Date.now() / 1000) - 1800
  for (const bytes of [mp4Clip(300_000), randomClip(1234)]) clips.push({ bytes, cid: await addClip(ann, bytes, start) })
  consentId = await share(ann, requestId, clips.map((c) => c.cid))
})
after(async () => { await world.stop() })

test('GET /api/requests/:id/deliveries lists the delivery: consent, clips with sizes, time, log index', async () => {
  const res = await call(world.agency, 'GET', `/api/requests/${requestId}/deliveries`)
  assert.equal(res.status, 200)
  assert.equal(res.json.items.length, 1)
  const [d] = res.json.items
  assert.equal(d.consentId, consentId)
  assert.deepEqual(d.clips.map((c: { cid: string, size: number, deleted: boolean }) => [c.cid, c.size, c.deleted]), clips.map((c) => [c.cid, c.bytes.length, false]))
  assert.ok(d.clips.every((c: { size: number, ciphertextSize: number }) => c.ciphertextSize > c.size))
  const entry = await entryAt(d.logIndex)
  assert.equal(entry.kind, 'delivery')
  assert.equal((entry as { at: number }).at, d.deliveredAt)
  assert.equal((await call(world.agency, 'GET', `/api/requests/${requestId}`)).json.deliveries, 1)
})

test('deliveries of an unknown request: 404 UNKNOWN_REQUEST; a malformed id: 400', async () => {
  await refused('GET', `/api/requests/b${'a'.repeat(58)}/deliveries`, undefined, 404, 'UNKNOWN_REQUEST')
  await refused('GET', '/api/requests/nope/deliveries', undefined, 400, 'VALIDATION_FAILED')
})

test('GET /api/footage/:cid logs an access (actor, purpose) before the first byte, then streams the decrypted clip', async () => {
  const before = logSize()
  const res = await fetch(`${world.agency.info().api!.url}/api/footage/${clips[0]!.cid}?purpose=${encodeURIComponent('case SF-1 review')}`, { headers: { authorization: `Bearer ${world.agency.keys.apiToken}` } })
  assert.equal(res.status, 200)
  // Headers are here and no body byte read yet: the access entry is already durable in the log.
  const index = Number(res.headers.get('x-porchlight-access-index'))
  assert.equal(index, before)
  assert.equal(logSize(), before + 1)
  assert.deepEqual(await entryAt(index), { kind: 'access', clip: clips[0]!.cid, actor: 'operator', purpose: 'case SF-1 review', at: (await entryAt(index) as { at: number }).at })
  assert.equal(res.headers.get('content-type'), 'video/mp4')
  assert.equal(Number(res.headers.get('content-length')), clips[0]!.bytes.length)
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), clips[0]!.bytes)

  const other = await call(world.agency, 'GET', `/api/footage/${clips[1]!.cid}?purpose=compare`)
  assert.equal(other.status, 200)
  assert.equal(other.headers.get('content-type'), 'application/octet-stream')
  assert.deepEqual(other.body, clips[1]!.bytes)
})

test('opening footage without the token: 401, nothing logged', async () => {
  await refused('GET', `/api/footage/${clips[0]!.cid}?purpose=x`, undefined, 401, 'UNAUTHORIZED', null)
})

test('a HEAD of footage is not an opening: no route, nothing logged', async () => {
  const before = logSize()
  const res = await fetch(`${world.agency.info().api!.url}/api/footage/${clips[0]!.cid}?purpose=x`, { method: 'HEAD', headers: { authorization: `Bearer ${world.agency.keys.apiToken}` } })
  assert.equal(res.status, 404)
  assert.equal(logSize(), before)
})

test('opening footage without a purpose: 400 VALIDATION_FAILED, nothing logged', async () => {
  await refused('GET', `/api/footage/${clips[0]!.cid}`, undefined, 400, 'VALIDATION_FAILED')
})

test('opening footage with a blank purpose: 400 BLANK_FIELD, nothing logged', async () => {
  await refused('GET', `/api/footage/${clips[0]!.cid}?purpose=%20%20`, undefined, 400, 'BLANK_FIELD')
  await refused('GET', `/api/footage/${clips[0]!.cid}?purpose=`, undefined, 400, 'BLANK_FIELD')
})

test('opening footage with a purpose over 500 characters: 422 TEXT_TOO_LONG, nothing logged', async () => {
  await refused('GET', `/api/footage/${clips[0]!.cid}?purpose=${'p'.repeat(501)}`, undefined, 422, 'TEXT_TOO_LONG')
})

test('opening an unknown clip: 404 FOOTAGE_NOT_FOUND; a malformed CID: 400; an unknown query field: 400', async () => {
  await refused('GET', `/api/footage/b${'a'.repeat(58)}?purpose=x`, undefined, 404, 'FOOTAGE_NOT_FOUND')
  await refused('GET', '/api/footage/QmNotACid?purpose=x', undefined, 400, 'VALIDATION_FAILED')
  await refused('GET', `/api/footage/${clips[0]!.cid}?purpose=x&actor=someone`, undefined, 400, 'VALIDATION_FAILED')
})

test('a share with a registered agency needs no legal basis; it is logged', async () => {
  const res = await call(world.agency, 'POST', `/api/footage/${clips[0]!.cid}/share`, { recipient: world.address })
  assert.equal(res.status, 201, JSON.stringify(res.json))
  assert.deepEqual(await entryAt(res.json.logIndex), { kind: 'share', clip: clips[0]!.cid, recipient: world.address, legalBasis: '', actor: 'operator', approvedBy: 'operator', at: (await entryAt(res.json.logIndex) as { at: number }).at })
})

test('a share with anyone else needs a legal basis: 422 LEGAL_BASIS_REQUIRED without, logged with one', async () => {
  await refused('POST', `/api/footage/${clips[0]!.cid}/share`, { recipient: 'County DA', legalBasis: ' ' }, 422, 'LEGAL_BASIS_REQUIRED')
  await refused('POST', `/api/footage/${clips[0]!.cid}/share`, { recipient: '0x' + '12'.repeat(20) }, 422, 'LEGAL_BASIS_REQUIRED')
  const res = await call(world.agency, 'POST', `/api/footage/${clips[0]!.cid}/share`, { recipient: 'County DA', legalBasis: 'subpoena 2026-114' })
  assert.equal(res.status, 201)
  assert.equal((await entryAt(res.json.logIndex) as { legalBasis: string }).legalBasis, 'subpoena 2026-114')
})

test('bad shares: blank recipient 400, too long 422, unknown field 400, unknown clip 404 — nothing logged', async () => {
  const path = `/api/footage/${clips[0]!.cid}/share`
  await refused('POST', path, { recipient: '  ', legalBasis: 'x' }, 400, 'BLANK_FIELD')
  await refused('POST', path, { recipient: 'r'.repeat(257), legalBasis: 'x' }, 422, 'TEXT_TOO_LONG')
  await refused('POST', path, { recipient: 'County DA', legalBasis: 'l'.repeat(1001) }, 422, 'TEXT_TOO_LONG')
  await refused('POST', path, { recipient: 'County DA', legalBasis: 'x', copies: 3 }, 400, 'VALIDATION_FAILED')
  await refused('POST', path, {}, 400, 'VALIDATION_FAILED')
  await refused('POST', `/api/footage/b${'a'.repeat(58)}/share`, { recipient: 'County DA', legalBasis: 'x' }, 404, 'FOOTAGE_NOT_FOUND')
})

test('DELETE /api/footage/:cid logs `delete` (reason agency), then the file is gone; later uses are 410', async () => {
  const cid = clips[1]!.cid
  const path = world.agency.services.footage.vault.path(consentId, cid)
  await access(path)
  const res = await call(world.agency, 'DELETE', `/api/footage/${cid}`)
  assert.equal(res.status, 200, JSON.stringify(res.json))
  const entry = await entryAt(res.json.logIndex)
  assert.equal(entry.kind, 'delete')
  assert.equal((entry as { reason: string }).reason, 'agency')
  assert.equal((entry as { actor: string }).actor, 'operator', 'the node\'s own token acts as the operator')
  await assert.rejects(access(path), { code: 'ENOENT' })
  await refused('GET', `/api/footage/${cid}?purpose=again`, undefined, 410, 'FOOTAGE_DELETED')
  await refused('POST', `/api/footage/${cid}/share`, { recipient: world.address }, 410, 'FOOTAGE_DELETED')
  await refused('DELETE', `/api/footage/${cid}`, undefined, 410, 'FOOTAGE_DELETED')
  await refused('DELETE', `/api/footage/b${'a'.repeat(58)}`, undefined, 404, 'FOOTAGE_NOT_FOUND')
  const listed = (await call(world.agency, 'GET', `/api/requests/${requestId}/deliveries`)).json.items[0]
  assert.deepEqual(listed.clips.map((c: { deleted: boolean }) => c.deleted), [false, true])
})

test('the retention job deletes footage at its request\'s promise (reason retention), not before, on an injected clock', async () => {
  const { id } = await issueRequest(world, draft({ caseCode: 'USE-RET', retentionDays: 1 }))
  const bytes = randomClip(5000)
  const cid = await addClip(ann, bytes, Math.floor(Date.now() / 1000) - 1200)
  const consent = await share(ann, id, [cid])
  const delivered = (await world.agency.services.footage.delivery(consent))!
  const deadline = delivered.at + 86_400
  let now = deadline - 3600 - 1
  const job = new RetentionJob({ keeper: world.agency.services.footage.keeper, now: () => now, intervalMs: 3_600_000 })

  const before = logSize()
  assert.deepEqual(await job.sweep(), [], 'more than one interval before the deadline: kept')
  assert.equal(logSize(), before)
  now = deadline - 3600
  const swept = await job.sweep()
  assert.deepEqual(swept.map((d) => d.cid), [cid], 'the next run would be late: deleted now; the 90-day clips are kept')
  const entry = await entryAt(swept[0]!.logIndex)
  assert.equal(entry.kind, 'delete')
  assert.equal((entry as { reason: string }).reason, 'retention')
  assert.ok((entry as { at: number }).at <= deadline)
  await assert.rejects(access(world.agency.services.footage.vault.path(consent, cid)), { code: 'ENOENT' })
  assert.deepEqual(await job.sweep(), [], 'a deleted clip is not deleted twice')
  assert.equal(logSize(), before + 1)
})
