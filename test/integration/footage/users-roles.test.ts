// Agency users and their roles through a real agency node's HTTP API (issue 19, item 1): each user's own
// credential, `request.user` set from it, every gated route refusing a user without its role (403
// ROLE_REQUIRED, counted, nothing logged), the entries naming the user who acted, a share waiting for a
// supervisor's approval and logged naming both, and a disabled user refused — also mid-stream.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { request as httpRequest } from 'node:http'
import { decodeLogEntry, type LogEntry, type UserRole } from '../../../protocol/index.js'
import { randomClip } from '../../support/byte-streams.js'
import { addClip, call, draft, issueRequest, shareWhere, startFootageWorld, type FootageWorld, type ResidentNode } from '../../helpers/footage-world.js'

let world: FootageWorld
let ann: ResidentNode
let requestId: string
const cids: string[] = []
const tokens: Partial<Record<UserRole, string>> = {}

const logSize = (): number => world.agency.services.log.log!.size
const entryAt = async (i: number): Promise<LogEntry> => decodeLogEntry(await world.agency.services.log.log!.entry(i))

async function addUser (id: string, role: UserRole, as?: string): Promise<string> {
  const res = await call(world.agency, 'POST', '/api/users', { id, role }, as)
  assert.equal(res.status, 201, JSON.stringify(res.json))
  assert.deepEqual([res.json.user.id, res.json.user.role], [id, role])
  return res.json.token
}

async function refusedCount (): Promise<number> {
  const text = new TextDecoder().decode((await call(world.agency, 'GET', '/metrics')).body)
  return Number(/porchlight_api_requests_refused_total\{code="ROLE_REQUIRED"\} (\d+)/.exec(text)?.[1] ?? 0)
}

before(async () => {
  world = await startFootageWorld()
  ann = await world.resident('ann')
  requestId = (await issueRequest(world, draft({ caseCode: 'ROLES-1' }))).id
  const start = Math.floor(Date.now() / 1000) - 1800
  for (let i = 0; i < 3; i++) cids.push(await addClip(ann, randomClip(2000 + i), start))
  const consent = await call(ann, 'POST', `/api/inbox/${requestId}/consent`, { clips: cids })
  assert.equal(consent.status, 202, JSON.stringify(consent.json))
  assert.equal((await shareWhere(ann, consent.json.id, (s) => s.state === 'delivered' || s.state === 'failed')).state, 'delivered')
  // The operator (the node's token) adds the first admin; that admin adds the rest.
  tokens.admin = await addUser('adm-1', 'admin')
  tokens.supervisor = await addUser('sgt-2210', 'supervisor', tokens.admin)
  tokens.investigator = await addUser('ofc-7f3a', 'investigator', tokens.admin)
})
after(async () => { await world.stop() })

test('GET /api/me answers the credential\'s user; the node\'s token is the operator', async () => {
  assert.deepEqual((await call(world.agency, 'GET', '/api/me', undefined, tokens.investigator)).json, { id: 'ofc-7f3a', role: 'investigator' })
  assert.deepEqual((await call(world.agency, 'GET', '/api/me')).json, { id: 'operator', role: 'admin' })
  assert.equal((await call(world.agency, 'GET', '/api/me', undefined, 'not-a-credential')).json.error.code, 'UNAUTHORIZED')
})

test('each gated route refuses a user without its role: 403 ROLE_REQUIRED, counted, nothing logged or changed', async () => {
  const gated: Array<{ role: UserRole, method: string, path: string, body?: unknown }> = [
    { role: 'supervisor', method: 'POST', path: `/api/footage/${cids[0]!}/share`, body: { recipient: world.address } },
    { role: 'supervisor', method: 'DELETE', path: `/api/footage/${cids[0]!}` },
    { role: 'supervisor', method: 'POST', path: '/api/share-proposals/0123456789abcdef/approve', body: {} },
    { role: 'admin', method: 'GET', path: '/api/users' },
    { role: 'admin', method: 'POST', path: '/api/users', body: { id: 'ofc-new', role: 'investigator' } },
    { role: 'admin', method: 'POST', path: '/api/users/ofc-7f3a/disable', body: {} }
  ]
  const below: Record<UserRole, UserRole[]> = { investigator: [], supervisor: ['investigator'], admin: ['investigator', 'supervisor'] }
  let expected = await refusedCount()
  for (const route of gated) {
    for (const role of below[route.role]) {
      const before = logSize()
      const res = await call(world.agency, route.method, route.path, route.body, tokens[role])
      assert.equal(res.status, 403, `${role} on ${route.method} ${route.path}: ${JSON.stringify(res.json)}`)
      assert.equal(res.json.error.code, 'ROLE_REQUIRED')
      assert.equal(logSize(), before, 'nothing logged')
      expected++
    }
  }
  assert.equal(await refusedCount(), expected, 'each refusal counted')
  assert.equal((await call(world.agency, 'GET', '/api/users')).json.some((u: { id: string }) => u.id === 'ofc-new'), false, 'no user added')
  assert.equal((await call(world.agency, 'GET', '/api/me', undefined, tokens.investigator)).status, 200, 'the investigator is not disabled')
  // A user never manages devices: that is the node's own token only.
  assert.equal((await call(world.agency, 'GET', '/api/devices', undefined, tokens.admin)).json.error.code, 'NODE_TOKEN_REQUIRED')
})

test('an investigator lists deliveries and opens footage; the access names them', async () => {
  const list = await call(world.agency, 'GET', `/api/requests/${requestId}/deliveries`, undefined, tokens.investigator)
  assert.equal(list.status, 200)
  const opened = await call(world.agency, 'GET', `/api/footage/${cids[0]!}?purpose=case%20ROLES-1`, undefined, tokens.investigator)
  assert.equal(opened.status, 200)
  const entry = await entryAt(Number(opened.headers.get('x-porchlight-access-index')))
  assert.deepEqual([entry.kind, (entry as { actor: string }).actor], ['access', 'ofc-7f3a'])
})

test('an investigator\'s share waits for a supervisor; approved, it is logged naming both', async () => {
  const before = logSize()
  const proposed = await call(world.agency, 'POST', `/api/footage/${cids[0]!}/share-proposals`, { recipient: 'County DA', legalBasis: 'subpoena 2026-7' }, tokens.investigator)
  assert.equal(proposed.status, 201, JSON.stringify(proposed.json))
  assert.equal(logSize(), before, 'a proposal is not a share: nothing logged')
  const bad = await call(world.agency, 'POST', `/api/footage/${cids[0]!}/share-proposals`, { recipient: 'County DA' }, tokens.investigator)
  assert.equal(bad.json.error.code, 'LEGAL_BASIS_REQUIRED', 'checked when proposed')
  assert.deepEqual((await call(world.agency, 'GET', '/api/share-proposals', undefined, tokens.investigator)).json.map((p: { id: string }) => p.id), [proposed.json.id])

  const approved = await call(world.agency, 'POST', `/api/share-proposals/${proposed.json.id as string}/approve`, {}, tokens.supervisor)
  assert.equal(approved.status, 201, JSON.stringify(approved.json))
  const entry = await entryAt(approved.json.logIndex)
  assert.deepEqual({ ...entry, at: 0 }, { kind: 'share', clip: cids[0]!, recipient: 'County DA', legalBasis: 'subpoena 2026-7', actor: 'ofc-7f3a', approvedBy: 'sgt-2210', at: 0 })
  const again = await call(world.agency, 'POST', `/api/share-proposals/${proposed.json.id as string}/approve`, {}, tokens.supervisor)
  assert.equal(again.json.error.code, 'UNKNOWN_SHARE_PROPOSAL', 'approved once')
})

test('a proposal is withdrawn by its proposer or rejected by a supervisor, never by another investigator', async () => {
  const other = await addUser('ofc-9c1d', 'investigator', tokens.admin)
  const propose = async (): Promise<string> => (await call(world.agency, 'POST', `/api/footage/${cids[1]!}/share-proposals`, { recipient: world.address }, tokens.investigator)).json.id
  const first = await propose()
  assert.equal((await call(world.agency, 'DELETE', `/api/share-proposals/${first}`, undefined, other)).json.error.code, 'ROLE_REQUIRED')
  assert.equal((await call(world.agency, 'DELETE', `/api/share-proposals/${first}`, undefined, tokens.investigator)).status, 200)
  const second = await propose()
  assert.equal((await call(world.agency, 'DELETE', `/api/share-proposals/${second}`, undefined, tokens.supervisor)).status, 200)
  assert.deepEqual((await call(world.agency, 'GET', '/api/share-proposals')).json, [])
})

test('a supervisor deletes footage: the `delete` entry names them', async () => {
  const res = await call(world.agency, 'DELETE', `/api/footage/${cids[2]!}`, undefined, tokens.supervisor)
  assert.equal(res.status, 200, JSON.stringify(res.json))
  const entry = await entryAt(res.json.logIndex)
  assert.deepEqual([entry.kind, (entry as { reason: string }).reason, (entry as { actor: string }).actor], ['delete', 'agency', 'sgt-2210'])
})

test('users: an id is never given twice (disabled or not, in any case), reserved ids refused', async () => {
  assert.equal((await call(world.agency, 'POST', '/api/users', { id: 'OFC-7F3A', role: 'admin' })).json.error.code, 'USER_EXISTS')
  assert.equal((await call(world.agency, 'POST', '/api/users', { id: 'retention', role: 'admin' })).json.error.code, 'RESERVED_USER_ID')
  assert.equal((await call(world.agency, 'POST', '/api/users', { id: 'has space', role: 'admin' })).json.error.code, 'VALIDATION_FAILED')
  assert.equal((await call(world.agency, 'POST', '/api/users', { id: 'x', role: 'chief' })).json.error.code, 'VALIDATION_FAILED')
  const listed = (await call(world.agency, 'GET', '/api/users', undefined, tokens.admin)).json as Array<{ id: string, tokenHash?: string }>
  assert.ok(listed.every((u) => u.tokenHash === undefined), 'never a credential or its hash')
})

test('a disabled user\'s credential is refused, and their open event stream ends', async () => {
  const token = await addUser('ofc-gone', 'investigator', tokens.admin)
  const url = new URL(world.agency.info().api!.url + '/api/events')
  const stream = httpRequest(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } })
  stream.end()
  const [res] = await once(stream, 'response') as [import('node:http').IncomingMessage]
  assert.equal(res.statusCode, 200)
  res.resume()
  const ended = assert.rejects(once(res, 'end'), { code: 'ECONNRESET' }, 'the stream is cut, not left open')
  const disabled = await call(world.agency, 'POST', '/api/users/ofc-gone/disable', {}, tokens.admin)
  assert.equal(disabled.status, 200, JSON.stringify(disabled.json))
  assert.ok(disabled.json.disabledAt !== undefined)
  await ended
  assert.equal((await call(world.agency, 'GET', '/api/me', undefined, token)).json.error.code, 'UNAUTHORIZED')
  assert.equal((await call(world.agency, 'GET', `/api/requests/${requestId}/deliveries`, undefined, token)).status, 401)
  assert.equal((await call(world.agency, 'POST', '/api/users/ofc-gone/disable', {})).json.error.code, 'USER_DISABLED')
  assert.equal((await call(world.agency, 'POST', '/api/users', { id: 'ofc-gone', role: 'investigator' })).json.error.code, 'USER_EXISTS')
})
