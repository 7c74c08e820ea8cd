// A receipt carries a witnessed proof (issue 14): a resident shares a clip with a real agency node whose log
// is witnessed by three in-test witnesses (quorum 2); the receipt's checkpoint carries their cosignatures
// and the resident, which checks the receipt as before, logs the share.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomClip } from '../../support/byte-streams.js'
import { addClip, call, draft, issueRequest, shareWhere, startFootageWorld, type FootageWorld } from '../../helpers/footage-world.js'
import { verifiedCosigners, witnessDoubles } from '../../helpers/witness-doubles.js'

const { doubles, set, client } = witnessDoubles(3, 2)
let world: FootageWorld
before(async () => {
  world = await startFootageWorld({ agency: { log: { witnesses: { set: async () => set, client, quorumTimeoutMs: 2000 } } } })
  // The resident accepts the request only if the witnesses that cosigned it are registered (issue 14).
  for (const w of set.witnesses) await world.council.addWitness(w)
  await world.council.setWitnessQuorum(set.quorum)
})
after(async () => { await world.stop() })

test('a delivery receipt carries a checkpoint a quorum of witnesses cosigned', { timeout: 60_000 }, async () => {
  doubles[0]!.mode = 'down'
  const ann = await world.resident('ann')
  const { id } = await issueRequest(world, draft({ caseCode: 'WITNESSED-RECEIPT' }))
  const cid = await addClip(ann, randomClip(50_000), Math.floor(Date.now() / 1000) - 1800)
  const consent = await call(ann, 'POST', `/api/inbox/${id}/consent`, { clips: [cid] })
  assert.equal(consent.status, 202, JSON.stringify(consent.json))
  const share = await shareWhere(ann, consent.json.id, (s) => s.state === 'delivered' || s.state === 'failed')
  assert.equal(share.state, 'delivered', JSON.stringify(share.error))
  const cosigned = verifiedCosigners(share.receipt!.message.checkpoint, set.witnesses)
  assert.deepEqual(cosigned.sort(), ['w1.example', 'w2.example'])
})
