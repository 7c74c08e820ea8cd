// `porchlight footage` against a real agency node's running API (its directory's node.json and token): list
// a request's deliveries, open a clip into a file (the access logged), share, delete; refusals exit 1 with
// the node's code, bad flags exit 2.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeLogEntry } from '../../../protocol/index.js'
import { randomClip } from '../../support/byte-streams.js'
import { exitOf, porchlight } from '../../helpers/cli.js'
import { addClip, call, draft, issueRequest, shareWhere, startFootageWorld, type FootageWorld } from '../../helpers/footage-world.js'

let world: FootageWorld
let out: string
let request: string
let cid: string
let ann: Awaited<ReturnType<FootageWorld['resident']>>
const bytes = randomClip(50_000)

before(async () => {
  world = await startFootageWorld()
  out = await mkdtemp(join(tmpdir(), 'porchlight-footage-cli-'))
  ann = await world.resident('ann')
  request = (await issueRequest(world, draft({ caseCode: 'CLI-1' }))).id
  cid = await addClip(ann, bytes, Math.floor(Date.now() / 1000) - 1800)
  const consent = await call(ann, 'POST', `/api/inbox/${request}/consent`, { clips: [cid] })
  assert.equal((await shareWhere(ann, consent.json.id, (s) => s.state === 'delivered' || s.state === 'failed')).state, 'delivered')
})
after(async () => {
  await world.stop()
  await rm(out, { recursive: true, force: true })
})

const dir = (): string => world.agency.dir!

test('footage list, open (into a new file, access logged), share and delete', { timeout: 60_000 }, async (t) => {
  const list = await exitOf(porchlight(t, ['footage', 'list', '--dir', dir(), '--request', request]))
  assert.equal(list.code, 0, list.stderr)
  assert.deepEqual(JSON.parse(list.stdout).items[0].clips.map((c: { cid: string }) => c.cid), [cid])

  const file = join(out, 'clip.bin')
  const opened = await exitOf(porchlight(t, ['footage', 'open', '--dir', dir(), '--cid', cid, '--purpose', 'court exhibit', '--out', file]))
  assert.equal(opened.code, 0, opened.stderr)
  assert.deepEqual(new Uint8Array(await readFile(file)), bytes)
  const { accessIndex, bytes: written } = JSON.parse(opened.stdout)
  assert.equal(written, bytes.length)
  const access = decodeLogEntry(await world.agency.services.log.log!.entry(accessIndex))
  assert.equal(access.kind, 'access')
  assert.equal((access as { purpose: string }).purpose, 'court exhibit')
  const size = world.agency.services.log.log!.size
  const again = await exitOf(porchlight(t, ['footage', 'open', '--dir', dir(), '--cid', cid, '--purpose', 'again', '--out', file]))
  assert.notEqual(again.code, 0, 'an existing file is never overwritten')
  assert.equal(world.agency.services.log.log!.size, size, 'and no access is logged for it')
  assert.deepEqual(new Uint8Array(await readFile(file)), bytes)

  const shared = await exitOf(porchlight(t, ['footage', 'share', '--dir', dir(), '--cid', cid, '--recipient', 'County DA', '--legal-basis', 'subpoena 114']))
  assert.equal(shared.code, 0, shared.stderr)
  assert.equal(decodeLogEntry(await world.agency.services.log.log!.entry(JSON.parse(shared.stdout).logIndex)).kind, 'share')

  const deleted = await exitOf(porchlight(t, ['footage', 'delete', '--dir', dir(), '--cid', cid]))
  assert.equal(deleted.code, 0, deleted.stderr)
  assert.equal(decodeLogEntry(await world.agency.services.log.log!.entry(JSON.parse(deleted.stdout).logIndex)).kind, 'delete')
})

test('a refusal exits 1 naming the node\'s code; bad flags exit 2', async (t) => {
  const unknown = await exitOf(porchlight(t, ['footage', 'delete', '--dir', dir(), '--cid', `b${'a'.repeat(58)}`]))
  assert.equal(unknown.code, 1)
  assert.match(unknown.stderr, /FOOTAGE_NOT_FOUND/)
  const deleted = await exitOf(porchlight(t, ['footage', 'open', '--dir', dir(), '--cid', cid, '--purpose', 'after', '--out', join(out, 'gone.bin')]))
  assert.equal(deleted.code, 1)
  assert.match(deleted.stderr, /FOOTAGE_DELETED/)
  await assert.rejects(readFile(join(out, 'gone.bin')), { code: 'ENOENT' }, 'the refused open leaves no file')
  assert.equal((await exitOf(porchlight(t, ['footage', 'open', '--dir', dir(), '--cid', cid, '--out', join(out, 'x')]))).code, 2, 'no --purpose')
  assert.equal((await exitOf(porchlight(t, ['footage', 'burn', '--dir', dir()]))).code, 2)
  assert.equal((await exitOf(porchlight(t, ['footage', 'list', '--dir', dir(), '--request', request, '--bogus', '1']))).code, 2)
})

test('footage approve: an investigator\'s proposed share logged naming them and the operator who approved', { timeout: 120_000 }, async (t) => {
  const clip = await addClip(ann, randomClip(3000), Math.floor(Date.now() / 1000) - 1700)
  const consent = await call(ann, 'POST', `/api/inbox/${request}/consent`, { clips: [clip] })
  assert.equal((await shareWhere(ann, consent.json.id, (s) => s.state === 'delivered' || s.state === 'failed')).state, 'delivered')
  const investigator = (await call(world.agency, 'POST', '/api/users', { id: 'ofc-cli-0', role: 'investigator' })).json.token as string
  const proposal = await call(world.agency, 'POST', `/api/footage/${clip}/share-proposals`, { recipient: 'County DA', legalBasis: 'subpoena 115' }, investigator)
  assert.equal(proposal.status, 201, JSON.stringify(proposal.json))
  const approved = await exitOf(porchlight(t, ['footage', 'approve', '--dir', dir(), '--proposal', proposal.json.id]))
  assert.equal(approved.code, 0, approved.stderr)
  const entry = decodeLogEntry(await world.agency.services.log.log!.entry(JSON.parse(approved.stdout).logIndex)) as { kind: string, actor: string, approvedBy: string }
  assert.deepEqual([entry.kind, entry.actor, entry.approvedBy], ['share', 'ofc-cli-0', 'operator'])
})

test('users add (the credential printed once), list, disable; the credential works until disabled', async (t) => {
  const added = await exitOf(porchlight(t, ['users', 'add', 'ofc-cli-1', '--role', 'investigator', '--dir', dir(), '--json']))
  assert.equal(added.code, 0, added.stderr)
  const { user, token } = JSON.parse(added.stdout) as { user: { id: string, role: string }, token: string }
  assert.deepEqual([user.id, user.role], ['ofc-cli-1', 'investigator'])
  assert.deepEqual((await call(world.agency, 'GET', '/api/me', undefined, token)).json, { id: 'ofc-cli-1', role: 'investigator' })
  const listed = await exitOf(porchlight(t, ['users', 'list', '--dir', dir()]))
  assert.equal(listed.code, 0, listed.stderr)
  assert.match(listed.stdout, /^ofc-cli-1 {2}investigator {2}added \S+ {2}active$/m)
  assert.ok(!listed.stdout.includes(token), 'never the credential again')
  const disabled = await exitOf(porchlight(t, ['users', 'disable', 'ofc-cli-1', '--dir', dir()]))
  assert.equal(disabled.code, 0, disabled.stderr)
  assert.equal((await call(world.agency, 'GET', '/api/me', undefined, token)).status, 401)
  const twice = await exitOf(porchlight(t, ['users', 'add', 'ofc-cli-1', '--role', 'admin', '--dir', dir()]))
  assert.equal(twice.code, 1)
  assert.match(twice.stderr, /USER_EXISTS/)
  assert.equal((await exitOf(porchlight(t, ['users', 'add', 'ofc-cli-2', '--role', 'chief', '--dir', dir()]))).code, 2, 'not a role')
})
