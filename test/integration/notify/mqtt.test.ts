// Notifications over MQTT on a real broker (Debian's mosquitto, started here): Home Assistant discovery and
// retained availability, one event per matching request, nothing from a resident whose cameras are
// elsewhere or whose policy ignores the request, refused credentials reported and never logged, and a
// broker that comes back late still gets the notification (the queue retried it).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startMosquitto, mosquittoPath } from '../../support/mosquitto.js'
import { CAMERA_OUTSIDE, CAMERA_INSIDE, ingestRequest, publicFields, startNotifyingResident, subscribe } from '../../helpers/notify-world.js'
import { mqttTopics } from '../../../node/notify/index.js'

const skip = mosquittoPath() === undefined ? 'mosquitto is not installed (apt-get install mosquitto)' : false
const fastRetry = { retries: 50, minTimeoutMs: 20, maxTimeoutMs: 100, factor: 2 }

test('a matching request is published as a Home Assistant event; discovery and availability are retained', { skip }, async (t) => {
  const broker = await startMosquitto()
  t.after(async () => { await broker.stop() })
  const node = await startNotifyingResident('cedar house', { camera: CAMERA_INSIDE, notify: { mqtt: { url: broker.url } } })
  t.after(async () => { await node.stop() })
  const topics = mqttTopics({ url: broker.url }, 'cedar house')
  assert.equal(topics.base, 'porchlight/cedar_house')

  // Retained: a subscriber that comes after the node's connect still gets both.
  const ha = await subscribe(broker.url, 'homeassistant/#')
  t.after(async () => { await ha.end() })
  const config = await ha.until((m) => m.topic === 'homeassistant/event/porchlight_cedar_house/request/config')
  assert.equal(config.retain, true)
  const discovery = JSON.parse(config.payload) as Record<string, unknown>
  assert.equal(discovery.state_topic, topics.event)
  assert.equal(discovery.availability_topic, topics.availability)
  assert.deepEqual(discovery.event_types, ['request', 'test'])
  assert.equal(discovery.unique_id, 'porchlight_cedar_house_request')
  assert.deepEqual((discovery.device as { identifiers: string[] }).identifiers, ['porchlight_cedar_house'])

  const sub = await subscribe(broker.url, `${topics.base}/#`)
  t.after(async () => { await sub.end() })
  const online = await sub.until((m) => m.topic === topics.availability)
  assert.deepEqual([online.payload, online.retain], ['online', true])

  const { id, request } = await ingestRequest(node)
  const event = await sub.until((m) => m.topic === topics.event)
  assert.equal(event.retain, false)
  const body = JSON.parse(event.payload) as Record<string, unknown>
  assert.deepEqual(body, { event_type: 'request', ...publicFields(id, request, `${node.info().api!.url}/`) })

  // A clean stop says `offline` itself, retained for whoever looks next.
  await node.stop()
  const later = await subscribe(broker.url, topics.availability)
  t.after(async () => { await later.end() })
  assert.equal((await later.until(() => true)).payload, 'offline')
})

test('residents whose cameras are elsewhere, or whose policy ignores the request, publish nothing', { skip }, async (t) => {
  const broker = await startMosquitto()
  t.after(async () => { await broker.stop() })
  const near = await startNotifyingResident('near', { camera: CAMERA_INSIDE, notify: { mqtt: { url: broker.url, topic: 'test/near' } } })
  t.after(async () => { await near.stop() })
  const far = await startNotifyingResident('far', { camera: CAMERA_OUTSIDE, notify: { mqtt: { url: broker.url, topic: 'test/far' } } })
  t.after(async () => { await far.stop() })
  const ignoring = await startNotifyingResident('ignoring', { camera: CAMERA_INSIDE, notify: { mqtt: { url: broker.url, topic: 'test/ignoring' } }, inboxPolicy: { ignoreCategories: ['burglary'], ignoreAgencies: [] } })
  t.after(async () => { await ignoring.stop() })
  const sub = await subscribe(broker.url, 'test/#')
  t.after(async () => { await sub.end() })
  // All three are connected (their retained `online`), so a publish from any would reach the subscriber.
  for (const n of ['near', 'far', 'ignoring']) await sub.until((m) => m.topic === `test/${n}/availability` && m.payload === 'online')

  // The ignoring node takes it into its inbox as `ignored`; the far one (same topic, outside the area) not at all.
  assert.equal((await ingestRequest(ignoring)).item?.status, 'ignored')
  await ingestRequest(far, { expect: 'absent' })
  const sent = new Promise((resolve) => { near.services.notify.once('notify:sent', resolve) })
  const { id } = await ingestRequest(near)
  const event = await sub.until((m) => m.topic === 'test/near/request')
  await sent // the broker's PUBACK may come after it forwarded the message
  assert.equal((JSON.parse(event.payload) as { id: string }).id, id)

  // The near node's event came after the others had decided; their channels never queued anything.
  for (const node of [far, ignoring]) assert.deepEqual(node.services.notify.queues.map((q) => q.pending), [0])
  assert.deepEqual(sub.messages.filter((m) => m.topic.endsWith('/request')).map((m) => m.topic), ['test/near/request'])
  const metrics = (await near.api.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${near.keys.apiToken}` } })).body
  assert.match(metrics, /porchlight_notify_sent_total\{channel="mqtt"\} 1/)
  for (const node of [far, ignoring]) {
    const text = (await node.api.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${node.keys.apiToken}` } })).body
    assert.match(text, /porchlight_notify_sent_total\{channel="mqtt"\} 0/)
  }
})

test('a broker that refuses the password: reported as unauthorized, and the password is in no log line', { skip }, async (t) => {
  const password = 'correct-horse-battery-staple-17'
  const broker = await startMosquitto({ users: { porch: password } })
  t.after(async () => { await broker.stop() })
  const wrong = 'wrong-password-never-logged-42'
  const node = await startNotifyingResident('cedar', { camera: CAMERA_INSIDE, notify: { mqtt: { url: broker.url, username: 'porch', password: wrong } }, init: { retry: fastRetry } })
  t.after(async () => { await node.stop() })
  const failed = new Promise<{ error: { name: string, reason: string } }>((resolve) => { node.services.notify.once('notify:failed', resolve) })
  // The connection is refused before or after the request comes: either way the send fails as unauthorized.
  await ingestRequest(node)
  const { error } = await failed
  assert.equal(error.name, 'NotifyUnauthorizedError')
  assert.equal(error.reason, 'unauthorized')
  await node.stop()
  const log = node.logLines.join('\n')
  assert.ok(node.logLines.some((l) => l.includes('NOTIFY_UNAUTHORIZED')), 'the failure is logged')
  assert.ok(!log.includes(wrong), 'the password is not logged')

  // With the right password the same node config gets through.
  const ok = await startNotifyingResident('cedar', { camera: CAMERA_INSIDE, notify: { mqtt: { url: broker.url, username: 'porch', password } } })
  t.after(async () => { await ok.stop() })
  const sent = new Promise((resolve) => { ok.services.notify.once('notify:sent', resolve) })
  const sub = await subscribe(broker.url.replace('mqtt://', `mqtt://porch:${password}@`), 'porchlight/cedar/request')
  t.after(async () => { await sub.end() })
  await ingestRequest(ok)
  await sent
  await sub.until(() => true)
  assert.ok(!ok.logLines.join('\n').includes(password))
})

test('a broker that is down when the request comes gets it once it is back (retried, the inbox not held up)', { skip }, async (t) => {
  const broker = await startMosquitto()
  t.after(async () => { await broker.stop() })
  await broker.kill()
  const node = await startNotifyingResident('cedar', { camera: CAMERA_INSIDE, notify: { mqtt: { url: broker.url } }, init: { retry: fastRetry, mqttReconnectMs: 100 } })
  t.after(async () => { await node.stop() })
  const retried = new Promise((resolve) => { node.services.notify.once('notify:retry', resolve) })
  const first = await ingestRequest(node)
  await retried
  // The inbox took a second request while the first was still being retried.
  const second = await ingestRequest(node)
  assert.deepEqual((await node.services.inbox.list()).map((i) => i.id).sort(), [first.id, second.id].sort())
  assert.ok(node.services.notify.queues[0]!.pending >= 1)

  const sent: string[] = []
  const both = new Promise<void>((resolve) => { node.services.notify.on('notify:sent', ({ id }) => { sent.push(id); if (sent.length === 2) resolve() }) })
  await broker.restart()
  const sub = await subscribe(broker.url, 'porchlight/cedar/request')
  t.after(async () => { await sub.end() })
  await both
  assert.deepEqual(sent, [first.id, second.id], 'in the order they came')
})
