// The footage desk wired into the agency role: a resident node (roleSetup('resident')) shares a clip with a
// real agency node (roleSetup('agency')) over TCP on the embedded chain. The agency answers both footage
// protocols, records the delivery against the desk's request and logs it in its own persistent log.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { decodeLogEntry } from '../../../protocol/index.js'
import { DELETION_PROTOCOL, FOOTAGE_PROTOCOL } from '../../../node/footage/index.js'
import { randomClip } from '../../support/byte-streams.js'
import { addClip, call, draft, issueRequest, shareWhere, startFootageWorld, type FootageWorld } from '../../helpers/footage-world.js'

let world: FootageWorld
before(async () => { world = await startFootageWorld() })
after(async () => { await world.stop() })

test('the agency role handles both footage protocols', () => {
  const protocols = world.agency.libp2p.getProtocols()
  assert.ok(protocols.includes(FOOTAGE_PROTOCOL))
  assert.ok(protocols.includes(DELETION_PROTOCOL))
})

test('a resident node shares a clip with a real agency node: delivered, logged in the agency log, receipt logged', { timeout: 60_000 }, async () => {
  const ann = await world.resident('ann')
  const { id } = await issueRequest(world, draft({ caseCode: 'WIRE-1' }))
  const bytes = randomClip(200_000)
  const cid = await addClip(ann, bytes, Math.floor(Date.now() / 1000) - 1800)

  const consent = await call(ann, 'POST', `/api/inbox/${id}/consent`, { clips: [cid] })
  assert.equal(consent.status, 202, JSON.stringify(consent.json))
  const share = await shareWhere(ann, consent.json.id, (s) => s.state === 'delivered' || s.state === 'failed')
  assert.equal(share.state, 'delivered', JSON.stringify(share.error))

  const record = await world.agency.services.footage.delivery(consent.json.id)
  assert.equal(record?.request, id)
  assert.deepEqual(record?.clips.map((c) => c.cid), [cid])
  const log = world.agency.services.log.log!
  const entry = decodeLogEntry(await log.entry(record.logIndex))
  assert.equal(entry.kind, 'delivery')
  assert.equal((entry as { consent: string }).consent, consent.json.id)
  assert.equal(share.logIndex, record.logIndex)
  assert.equal((await call(ann, 'GET', `/api/shares/${consent.json.id}`)).json.status, 'logged')
})
