// The resident's inbox beside its clip store, on a real resident node (roleSetup('resident')) receiving a
// real agency's request: an item lists the clips the request asks for (camera in the area AND span
// overlapping the window), the list counts them; a request with cameras in the area but no clip in the
// window is shown with zero clips, and a clip stored later appears.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomClip } from '../../support/byte-streams.js'
import { addClip, call, corner, draft, issueRequest, startFootageWorld, type FootageWorld, type ResidentNode } from '../../helpers/footage-world.js'

let world: FootageWorld
let bea: ResidentNode
const now = Math.floor(Date.now() / 1000)
// ~11 km east of the corner: never in a 300 m area around it.
const CABIN = { name: 'cabin', lat: corner.lat, lng: corner.lng + 0.12 }

before(async () => {
  world = await startFootageWorld()
  bea = await world.resident('bea', [CABIN])
})
after(async () => { await world.stop() })

test('an inbox item lists exactly the clips whose camera is in the area and whose span overlaps the window', { timeout: 60_000 }, async () => {
  // The draft's window is [now − 1 h, now − 60 s].
  const inWindow = await addClip(bea, randomClip(100), now - 1800)
  const straddling = await addClip(bea, randomClip(101), now - 3600 - 30, now - 3600 + 30)
  await addClip(bea, randomClip(102), now - 3 * 3600) // before the window
  await addClip(bea, randomClip(103), now - 1800, now - 1740, 'cabin') // in the window, camera outside the area
  const { id } = await issueRequest(world, draft({ caseCode: 'INBOX-1' }), [bea])

  const item = await call(bea, 'GET', `/api/inbox/${id}`)
  assert.equal(item.status, 200)
  assert.deepEqual(item.json.cameras, ['porch'])
  assert.deepEqual(item.json.clips.map((c: { cid: string }) => c.cid).sort(), [inWindow, straddling].sort())
  const listed = (await call(bea, 'GET', '/api/inbox')).json.items
  assert.equal(listed.find((s: { id: string }) => s.id === id).clips, 2)
})

test('a request with a camera in the area but no clip in its window is shown, with zero clips; a clip stored later appears', { timeout: 60_000 }, async () => {
  const { id } = await issueRequest(world, draft({ caseCode: 'INBOX-2', windowStart: new Date((now - 20 * 3600) * 1000).toISOString(), windowEnd: new Date((now - 19 * 3600) * 1000).toISOString() }), [bea])
  const item = await call(bea, 'GET', `/api/inbox/${id}`)
  assert.equal(item.status, 200)
  assert.deepEqual(item.json.clips, [])
  assert.equal((await call(bea, 'GET', '/api/inbox')).json.items.find((s: { id: string }) => s.id === id).clips, 0)

  const imported = await addClip(bea, randomClip(104), now - 19.5 * 3600)
  assert.deepEqual((await call(bea, 'GET', `/api/inbox/${id}`)).json.clips.map((c: { cid: string }) => c.cid), [imported])
})
