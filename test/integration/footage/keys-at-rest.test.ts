// Keys at rest through a real agency node (issue 19, item 4): a node that ran without a secret seals its
// request identities at its first start with one (and footage still opens); started again without it, the
// node runs but cannot open footage nor make requests, and says why (503 KEYS_LOCKED); a wrong secret
// refuses the start.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { createNode, roleSetup, type RoleInit } from '../../../node/index.js'
import { randomClip } from '../../support/byte-streams.js'
import { addClip, call, draft, issueRequest, shareWhere, startFootageWorld, type AgencyNode, type FootageWorld } from '../../helpers/footage-world.js'

let world: FootageWorld
let cid: string
let requestId: string
const bytes = randomClip(4000)
const COST = { N: 2 ** 10, r: 8, p: 1 }

/** The world's agency directory run again with `secret` (none: an empty environment). */
async function restart (t: { after: (fn: () => Promise<void>) => void }, env: Record<string, string>): Promise<AgencyNode> {
  const init: RoleInit = { requests: { secret: { env }, sealCost: COST } }
  const node = await createNode({ dir: world.agency.dir!, services: roleSetup('agency', init).services, libp2p: { messageId: roleSetup('agency').messageId }, staticDir: false }) as AgencyNode
  t.after(async () => { await node.stop().catch(() => {}) })
  await node.start()
  return node
}

before(async () => {
  // The world's agency starts without a secret (an empty environment): its identities are plain.
  world = await startFootageWorld({ agency: { requests: { secret: { env: {} } } } })
  const ann = await world.resident('ann')
  requestId = (await issueRequest(world, draft({ caseCode: 'KEYS-1' }))).id
  cid = await addClip(ann, bytes, Math.floor(Date.now() / 1000) - 1800)
  const consent = await call(ann, 'POST', `/api/inbox/${requestId}/consent`, { clips: [cid] })
  assert.equal((await shareWhere(ann, consent.json.id, (s) => s.state === 'delivered' || s.state === 'failed')).state, 'delivered')
  await world.agency.stop()
})
after(async () => { await world.stop() })

const keyFiles = async (): Promise<string[]> => (await readdir(join(world.agency.dir!, 'keys', 'requests'))).sort()

test('sealed at the first start with a secret; locked without it (KEYS_LOCKED, the rest served); a wrong secret refuses the start', { timeout: 60_000 }, async (t) => {
  assert.deepEqual(await keyFiles(), [`${requestId}.age`], 'plain before')

  const sealed = await restart(t, { PORCHLIGHT_SECRET: 'correct horse battery staple' })
  assert.deepEqual(await keyFiles(), [`${requestId}.sealed`, 'seal.json'], 'sealed, the plain file gone')
  const opened = await call(sealed, 'GET', `/api/footage/${cid}?purpose=after%20sealing`)
  assert.equal(opened.status, 200, JSON.stringify(opened.json))
  assert.deepEqual(opened.body, bytes)
  await sealed.stop()

  const locked = await restart(t, {})
  const size = locked.services.log.log!.size
  const refused = await call(locked, 'GET', `/api/footage/${cid}?purpose=without%20the%20secret`)
  assert.equal(refused.status, 503)
  assert.equal(refused.json.error.code, 'KEYS_LOCKED')
  const create = await call(locked, 'POST', '/api/requests', draft({ caseCode: 'KEYS-2' }))
  assert.equal(create.json.error.code, 'KEYS_LOCKED', 'no identity written unsealed beside the sealed ones')
  assert.equal((await call(locked, 'GET', `/api/requests/${requestId}/deliveries`)).status, 200, 'the rest is served')
  assert.equal(locked.services.log.log!.size, size, 'no access logged for footage it could not open')
  assert.deepEqual(await keyFiles(), [`${requestId}.sealed`, 'seal.json'])
  await locked.stop()

  await assert.rejects(restart(t, { PORCHLIGHT_SECRET: 'wrong' }), { name: 'WrongSecretError', code: 'WRONG_SECRET' })
})
