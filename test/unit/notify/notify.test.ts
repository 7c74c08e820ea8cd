// The notification itself (only public fields, a link without a token), the names it is published under,
// what each channel makes of it, the `notify` config's rules, and the queue's retry decisions, on stubs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseConfig } from '../../../node/config/index.js'
import {
  ChannelQueue, NotifyRefusedError, NotifyServerError, discoveryConfig, inboxLink, linkBase, mqttPayload, mqttTopics, slug, testNotification,
  toNotification, webhookRequest, type NotifyChannel, type Notification
} from '../../../node/notify/index.js'
import { emailMessage } from '../../../node/notify/email.js'
import { sampleRequest } from '../../helpers/messages.js'

const base = { version: 1, role: 'resident', name: 'maple street' }

function rejects (value: unknown, field: string): void {
  assert.throws(() => parseConfig(value), (err: { name: string, details: { field: string, value?: unknown } }) => {
    assert.equal(err.name, 'InvalidConfigError')
    assert.equal(err.details.field, field)
    // A URL may carry a secret (a webhook token in its path, an ntfy topic): the error does not repeat it.
    assert.equal(err.details.value, undefined)
    return true
  })
}

test('a notification holds the request\'s public fields and a link, nothing else of the request', () => {
  const request = sampleRequest()
  const n = toNotification('bafyid', request, 'Seattle PD', 'http://127.0.0.1:7070')
  assert.deepEqual(n, {
    kind: 'request',
    id: 'bafyid',
    title: request.title,
    agency: request.agency,
    agencyName: 'Seattle PD',
    caseCode: request.caseCode,
    category: request.category,
    windowStart: request.windowStart,
    windowEnd: request.windowEnd,
    expiresAt: request.expiresAt,
    link: 'http://127.0.0.1:7070/#request=bafyid'
  })
  // No registered name: the address stands alone (no empty name shown).
  assert.equal('agencyName' in toNotification('x', request, '', 'http://h'), false)
})

test('the link opens the item in the UI: base path kept, its query and fragment (a token) dropped', () => {
  assert.equal(inboxLink('https://porch.example:8443/ui/?token=abc#token=abc', 'bafy 1'), 'https://porch.example:8443/ui/#request=bafy+1')
  assert.equal(linkBase({ api: { host: '::1', port: 7070 } }), 'http://[::1]:7070')
  assert.equal(linkBase({ api: { host: '127.0.0.1', port: 0 } }, { address: () => ({ host: '127.0.0.1', port: 5001, url: 'http://127.0.0.1:5001' }) }), 'http://127.0.0.1:5001')
  assert.equal(linkBase({ api: { host: '127.0.0.1', port: 0 }, notify: { link: 'https://porch.example/' } }), 'https://porch.example/')
})

test('MQTT topics and Home Assistant ids come from the node name or the configured topic', () => {
  assert.equal(slug('Birch Lane #2 — Ünit'), 'birch_lane_2_unit')
  assert.equal(slug('…'), 'node')
  assert.deepEqual(mqttTopics({ url: 'mqtt://h' }, 'Birch Lane'), {
    base: 'porchlight/birch_lane',
    event: 'porchlight/birch_lane/request',
    availability: 'porchlight/birch_lane/availability',
    discovery: 'homeassistant/event/porchlight_birch_lane/request/config',
    objectId: 'porchlight_birch_lane'
  })
  const custom = mqttTopics({ url: 'mqtt://h', topic: 'home/porch/', discovery: false }, 'x')
  assert.equal(custom.event, 'home/porch/request')
  assert.equal(custom.discovery, undefined)
  assert.equal(mqttTopics({ url: 'mqtt://h', discoveryPrefix: 'ha' }, 'x').discovery, 'ha/event/porchlight_x/request/config')
  const d = discoveryConfig(mqttTopics({ url: 'mqtt://h' }, 'Birch Lane'), 'Birch Lane')
  assert.equal(d.state_topic, 'porchlight/birch_lane/request')
  assert.equal(d.availability_topic, 'porchlight/birch_lane/availability')
})

test('each channel\'s payload is the notification\'s fields (ntfy: its JSON publish form at the server root)', () => {
  const n = toNotification('bafyid', sampleRequest(), 'Seattle PD', 'http://127.0.0.1:7070')
  const { kind, ...fields } = n
  assert.deepEqual(JSON.parse(mqttPayload(n)), { event_type: kind, ...fields })
  assert.deepEqual(webhookRequest({ url: 'https://hooks.example/p/q', format: 'json' }, n), { url: 'https://hooks.example/p/q', body: { event: 'request', ...fields } })
  const ntfy = webhookRequest({ url: 'https://ntfy.example/my-topic', format: 'ntfy' }, n)
  assert.equal(ntfy.url, 'https://ntfy.example/')
  assert.equal(ntfy.body.topic, 'my-topic')
  assert.equal(ntfy.body.click, n.link)
  const mail = emailMessage({ host: 'h', port: 465, from: 'a@h', to: ['b@h'] }, n)
  assert.equal(mail.subject, `Footage request: ${n.title}`)
  assert.ok(mail.text.includes(n.link) && mail.text.includes(n.caseCode) && mail.text.includes('Seattle PD'))
})

test('notify config: residents only, URLs that parse and carry no password, an ntfy URL names one topic', () => {
  const notify = {
    link: 'https://porch.example/',
    mqtt: { url: 'mqtt://127.0.0.1:1883', username: 'u', password: 'p', discovery: null },
    webhook: { url: 'https://ntfy.sh/porch-x', format: 'ntfy', token: 'tk' },
    email: { host: 'smtp.example', port: 587, secure: false, from: 'a@b.example', to: ['c@d.example'] }
  }
  const config = parseConfig({ ...base, notify })
  assert.equal(config.notify?.mqtt?.discovery, undefined) // null means left out
  assert.equal(config.notify?.email?.secure, false)
  rejects({ ...base, role: 'agency', notify }, '/notify')
  rejects({ ...base, notify: { mqtt: { url: 'http://broker' } } }, '/notify/mqtt/url')
  rejects({ ...base, notify: { mqtt: { url: 'mqtt://user:secret@broker' } } }, '/notify/mqtt/url')
  rejects({ ...base, notify: { mqtt: { url: 'mqtt://b', topic: 'porch/#' } } }, '/notify/mqtt/topic')
  rejects({ ...base, notify: { webhook: { url: 'https://ntfy.sh/a/b', format: 'ntfy' } } }, '/notify/webhook/url')
  rejects({ ...base, notify: { webhook: { url: 'https://h.example/x', format: 'xml' } } }, '/notify/webhook/format')
  rejects({ ...base, notify: { email: { host: 'h', port: 25, from: 'a@b', to: [] } } }, '/notify/email/to')
  rejects({ ...base, notify: { email: { host: 'h', port: 25, from: 'a@b', to: ['c@d'], tls: false } } }, '/notify/email/tls')
  rejects({ ...base, notify: { sms: {} } }, '/notify/sms')
})

/** A channel that fails with `errors` in turn, then succeeds. */
function scripted (errors: Error[]): NotifyChannel & { tries: number } {
  return {
    name: 'webhook',
    tries: 0,
    async send () { this.tries++; const e = errors.shift(); if (e !== undefined) throw e }
  }
}

const quick = { retries: 3, minTimeoutMs: 1, maxTimeoutMs: 5, factor: 2 }

test('the queue retries what may pass, gives up at once on a refusal, and reports each outcome', async () => {
  const n: Notification = testNotification('http://h')
  const events: string[] = []
  const on = {
    sent: ({ attempts }: { attempts: number }) => { events.push(`sent after ${attempts}`) },
    retry: ({ error }: { error: Error }) => { events.push(`retry ${error.name}`) },
    failed: ({ error, attempts }: { error: Error, attempts: number }) => { events.push(`failed ${error.name} after ${attempts}`) }
  }
  const flaky = scripted([new NotifyServerError('webhook', 503), new NotifyServerError('webhook', 503)])
  assert.equal(await new ChannelQueue(flaky, on, { retry: quick }).sendNow(n), 3)
  const refused = scripted([new NotifyRefusedError('webhook', 400)])
  await assert.rejects(new ChannelQueue(refused, on, { retry: quick }).sendNow(n), { name: 'NotifyRefusedError' })
  assert.equal(refused.tries, 1)
  const down = scripted(Array.from({ length: 10 }, () => new NotifyServerError('webhook', 502)))
  await assert.rejects(new ChannelQueue(down, on, { retry: quick }).sendNow(n), { name: 'NotifyServerError' })
  assert.equal(down.tries, 4)
  // Anything else a channel throws counts as unreachable (and is retried).
  const odd = scripted([new Error('socket hang up')])
  const queue = new ChannelQueue(odd, on, { retry: quick })
  const done = new Promise<void>((resolve) => { on.sent = (e) => { events.push(`sent after ${e.attempts}`); resolve() } })
  queue.enqueue(n)
  await done
  assert.deepEqual(events, ['retry NotifyServerError', 'retry NotifyServerError', 'retry NotifyServerError', 'retry NotifyServerError', 'retry NotifyServerError', 'retry NotifyUnreachableError', 'sent after 2'])
})
