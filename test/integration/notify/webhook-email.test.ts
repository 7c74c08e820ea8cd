// Webhook (JSON and ntfy's publish API) against a local HTTP server, email through an in-process SMTP
// server (smtp-server) over implicit TLS and STARTTLS; a server that fails is retried with backoff and
// never holds the inbox up; a server without STARTTLS gets nothing, not even the credentials.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CAMERA_INSIDE, ingestRequest, publicFields, startNotifyingResident, startSmtpServer, startWebhookServer } from '../../helpers/notify-world.js'
import { EmailChannel, testNotification, WebhookChannel } from '../../../node/notify/index.js'

const fastRetry = { retries: 5, minTimeoutMs: 10, maxTimeoutMs: 50, factor: 2 }

test('webhook (json): the notification as the body, the token as a bearer token', async (t) => {
  const server = await startWebhookServer()
  t.after(async () => { await server.close() })
  const token = 'webhook-token-never-logged-9f3a'
  const node = await startNotifyingResident('cedar', { camera: CAMERA_INSIDE, notify: { webhook: { url: `${server.url}/hooks/porch`, format: 'json', token }, link: 'https://porch.example:8443/ui/' } })
  t.after(async () => { await node.stop() })
  const { id, request } = await ingestRequest(node)
  const got = await server.next()
  assert.equal(got.method, 'POST')
  assert.equal(got.url, '/hooks/porch')
  assert.equal(got.headers.authorization, `Bearer ${token}`)
  assert.equal(got.headers['content-type'], 'application/json')
  assert.deepEqual(JSON.parse(got.body), { event: 'request', ...publicFields(id, request, 'https://porch.example:8443/ui/') })
  await node.stop()
  assert.ok(!node.logLines.join('\n').includes(token))
  assert.ok(!node.logLines.join('\n').includes('/hooks/porch'), 'a webhook URL can be a secret: not logged')
})

test('webhook (ntfy): JSON publish to the server\'s root with the topic, title, message, tags and click', async (t) => {
  const server = await startWebhookServer()
  t.after(async () => { await server.close() })
  const channel = new WebhookChannel({ config: { url: `${server.url}/porch-alerts-x7`, format: 'ntfy', token: 'tk_abc' } })
  const n = { ...testNotification('http://127.0.0.1:8080'), kind: 'request' as const, id: 'bafyexample', title: 'Hit-and-run on 5th Ave', category: 'hit-and-run' as const, link: 'http://127.0.0.1:8080/#request=bafyexample' }
  await channel.send(n)
  const got = await server.next()
  assert.equal(got.url, '/')
  assert.equal(got.headers.authorization, 'Bearer tk_abc')
  const body = JSON.parse(got.body) as Record<string, unknown>
  assert.equal(body.topic, 'porch-alerts-x7')
  assert.equal(body.title, 'Footage request: Hit-and-run on 5th Ave')
  assert.equal(body.click, n.link)
  assert.deepEqual(body.tags, ['rotating_light', 'hit-and-run'])
  assert.equal(body.priority, 4)
  assert.match(String(body.message), /bafyexample/)
})

test('webhook statuses: 401 is unauthorized and 400 refused (not retried), 503 and a hang are retried; redirects are not followed', async (t) => {
  const statuses = [401, 400, 302]
  for (const status of statuses) {
    const server = await startWebhookServer(() => status)
    t.after(async () => { await server.close() })
    const channel = new WebhookChannel({ config: { url: server.url, format: 'json' } })
    await assert.rejects(channel.send(testNotification(server.url)), { name: status === 401 ? 'NotifyUnauthorizedError' : 'NotifyRefusedError' })
  }
  const hanging = await startWebhookServer(() => 'hang')
  t.after(async () => { await hanging.close() })
  await assert.rejects(new WebhookChannel({ config: { url: hanging.url, format: 'json' }, timeoutMs: 100 }).send(testNotification(hanging.url)), { name: 'NotifyTimeoutError' })
  await hanging.close()
  await assert.rejects(new WebhookChannel({ config: { url: hanging.url, format: 'json' } }).send(testNotification(hanging.url)), { name: 'NotifyUnreachableError' })
})

test('a failing webhook is retried with backoff and never holds the inbox up; a hanging one neither', async (t) => {
  // Two 503s, then 200.
  const flaky = await startWebhookServer((n) => n <= 2 ? 503 : 200)
  t.after(async () => { await flaky.close() })
  const node = await startNotifyingResident('cedar', { camera: CAMERA_INSIDE, notify: { webhook: { url: flaky.url, format: 'json' } }, init: { retry: fastRetry } })
  t.after(async () => { await node.stop() })
  const retries: string[] = []
  node.services.notify.on('notify:retry', ({ error }) => { retries.push(error.name) })
  const sent = new Promise<{ attempts: number }>((resolve) => { node.services.notify.once('notify:sent', resolve) })
  await ingestRequest(node)
  assert.equal((await sent).attempts, 3)
  assert.deepEqual(retries, ['NotifyServerError', 'NotifyServerError'])
  const metrics = (await node.api.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${node.keys.apiToken}` } })).body
  assert.match(metrics, /porchlight_notify_sent_total\{channel="webhook"\} 1/)
  assert.match(metrics, /porchlight_notify_retries_total\{channel="webhook"\} 2/)

  // A server that never answers (timeout far beyond the test): three requests still enter the inbox at once.
  const hanging = await startWebhookServer(() => 'hang')
  t.after(async () => { await hanging.close() })
  const stuck = await startNotifyingResident('birch', { camera: CAMERA_INSIDE, notify: { webhook: { url: hanging.url, format: 'json' } }, init: { timeoutMs: 600_000 } })
  t.after(async () => { await stuck.stop() })
  const ids = []
  for (let i = 0; i < 3; i++) ids.push((await ingestRequest(stuck)).id)
  await hanging.next() // the first is in flight, unanswered
  assert.deepEqual((await stuck.services.inbox.list()).map((i) => i.id).sort(), ids.sort())
  assert.equal(stuck.services.notify.queues[0]!.pending, 3)
  // Stopping the node does not wait for the server either: what was waiting is dropped and counted.
  const failed: string[] = []
  stuck.services.notify.on('notify:failed', ({ error }) => { failed.push(error.reason) })
  await stuck.stop()
  assert.ok(failed.includes('stopped'))
})

test('a full queue drops new notifications, counted as queue-full', async (t) => {
  const hanging = await startWebhookServer(() => 'hang')
  t.after(async () => { await hanging.close() })
  const node = await startNotifyingResident('cedar', { camera: CAMERA_INSIDE, notify: { webhook: { url: hanging.url, format: 'json' } }, init: { timeoutMs: 600_000, maxPending: 2 } })
  t.after(async () => { await node.stop() })
  const failed = new Promise<{ error: { name: string } }>((resolve) => { node.services.notify.once('notify:failed', resolve) })
  for (let i = 0; i < 3; i++) await ingestRequest(node)
  assert.equal((await failed).error.name, 'NotifyQueueFullError')
  const metrics = (await node.api.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${node.keys.apiToken}` } })).body
  assert.match(metrics, /porchlight_notify_failed_total\{channel="webhook",reason="queue-full"\} 1/)
})

test('email over implicit TLS with a login: subject, text and link; the password is in no log line', async (t) => {
  const password = 'smtp-password-never-logged-77'
  const smtp = await startSmtpServer({ secure: true, users: { porch: password } })
  t.after(async () => { await smtp.close() })
  const node = await startNotifyingResident('cedar', {
    camera: CAMERA_INSIDE,
    notify: { email: { host: '127.0.0.1', port: smtp.port, username: 'porch', password, from: 'porchlight@home.example', to: ['alex@home.example', 'sam@home.example'] } },
    init: { emailTls: { ca: smtp.ca } }
  })
  t.after(async () => { await node.stop() })
  const { id, request } = await ingestRequest(node)
  const mail = await smtp.next()
  assert.equal(mail.user, 'porch')
  assert.equal(mail.from, 'porchlight@home.example')
  assert.deepEqual(mail.to, ['alex@home.example', 'sam@home.example'])
  assert.match(mail.raw, new RegExp(`^Subject: Footage request: ${request.title}`, 'm'))
  const unfolded = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=')
  assert.ok(unfolded.includes(`#request=${encodeURIComponent(id)}`))
  assert.ok(unfolded.includes(request.caseCode))
  await node.stop()
  assert.ok(!node.logLines.join('\n').includes(password))
})

test('email: a wrong password is unauthorized; a certificate not trusted, or no STARTTLS, sends nothing', async (t) => {
  const secure = await startSmtpServer({ secure: true, users: { porch: 'right' } })
  t.after(async () => { await secure.close() })
  const config = { host: '127.0.0.1', port: secure.port, username: 'porch', password: 'wrong', from: 'a@home.example', to: ['b@home.example'] }
  await assert.rejects(new EmailChannel({ config, tls: { ca: secure.ca } }).send(testNotification('http://127.0.0.1:1')), { name: 'NotifyUnauthorizedError' })
  // The system's trust store does not know the test's certificate.
  await assert.rejects(new EmailChannel({ config: { ...config, password: 'right' } }).send(testNotification('http://127.0.0.1:1')), { name: 'NotifyTlsError' })
  assert.equal(secure.received.length, 0)

  // STARTTLS (`secure: false`) works where the server offers it …
  const starttls = await startSmtpServer({ secure: false, users: { porch: 'right' } })
  t.after(async () => { await starttls.close() })
  await new EmailChannel({ config: { ...config, port: starttls.port, password: 'right', secure: false }, tls: { ca: starttls.ca } }).send(testNotification('http://127.0.0.1:1'))
  assert.equal(starttls.received.length, 1)
  // … and a server that does not offer it gets neither the message nor the credentials.
  const plain = await startSmtpServer({ secure: false, noStartTls: true, users: { porch: 'right' } })
  t.after(async () => { await plain.close() })
  await assert.rejects(new EmailChannel({ config: { ...config, port: plain.port, password: 'right', secure: false }, tls: { ca: plain.ca } }).send(testNotification('http://127.0.0.1:1')), { name: 'NotifyTlsError' })
  assert.deepEqual([plain.received.length, plain.authTries.length], [0, 0])
})
