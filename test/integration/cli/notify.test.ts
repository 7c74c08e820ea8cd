// `porchlight notify test` as a process, against a real mosquitto, a local HTTP server and an in-process
// SMTP server (its certificate trusted through NODE_EXTRA_CA_CERTS, as an operator would a private CA):
// one line per channel, exit 0 when all went out; with a refused token and a broker that is not there,
// exit 1, each failure named, no credential printed. And a node process killed outright is marked offline
// by its last will.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initNode, nodePaths } from '../../../node/config/index.js'
import { bin, exitOf, porchlight, readyLine } from '../../helpers/cli.js'
import { startMosquitto, mosquittoPath } from '../../support/mosquitto.js'
import { CAMERA_INSIDE, startSmtpServer, startWebhookServer, subscribe } from '../../helpers/notify-world.js'

const skip = mosquittoPath() === undefined ? 'mosquitto is not installed (apt-get install mosquitto)' : false

async function notifyTest (t: { after: (fn: () => void) => void }, dir: string, env: Record<string, string> = {}): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = spawn(process.execPath, [bin, 'notify', 'test', '--dir', dir, '--timeout', '3000'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  return await exitOf(child)
}

async function setNotify (dir: string, notify: unknown): Promise<void> {
  const file = nodePaths(dir).config
  const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>
  await writeFile(file, JSON.stringify({ ...config, notify }, null, 2))
}

test('porchlight notify test: a test message on every channel, one line each, exit 1 on any failure', { skip }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-notify-cli-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  await initNode(dir, { role: 'resident', cameras: [CAMERA_INSIDE] })
  const broker = await startMosquitto()
  t.after(async () => { await broker.stop() })
  const hook = await startWebhookServer((n) => n === 1 ? 200 : 401)
  t.after(async () => { await hook.close() })
  const smtp = await startSmtpServer({ secure: true })
  t.after(async () => { await smtp.close() })
  const ca = join(dir, 'smtp-ca.pem')
  await writeFile(ca, smtp.ca)
  const sub = await subscribe(broker.url, 'porchlight/#')
  t.after(async () => { await sub.end() })

  const none = await notifyTest(t, dir)
  assert.equal(none.code, 1)

  const token = 'cli-webhook-token-never-printed'
  await setNotify(dir, {
    mqtt: { url: broker.url },
    webhook: { url: `${hook.url}/hook`, format: 'json', token },
    email: { host: '127.0.0.1', port: smtp.port, from: 'porchlight@home.example', to: ['alex@home.example'] }
  })
  const ok = await notifyTest(t, dir, { NODE_EXTRA_CA_CERTS: ca })
  assert.equal(ok.code, 0, ok.stdout + ok.stderr)
  assert.deepEqual(ok.stdout.trim().split('\n'), ['mqtt: sent', 'webhook: sent', 'email: sent'])
  const event = await sub.until((m) => m.topic.endsWith('/request'))
  assert.equal((JSON.parse(event.payload) as { event_type: string }).event_type, 'test')
  // A one-off sender: no availability or discovery of its own, so a running node's `online` stands.
  assert.ok(!sub.messages.some((m) => m.topic.endsWith('/availability')))
  assert.equal((JSON.parse(hook.received[0]!.body) as { event: string }).event, 'test')
  assert.match(smtp.received[0]!.raw, /^Subject: Porchlight test notification/m)

  // The webhook now refuses the token (401), the broker is gone, and the mail server's certificate is not trusted.
  await broker.kill()
  const bad = await notifyTest(t, dir)
  assert.equal(bad.code, 1)
  const lines = bad.stdout.trim().split('\n')
  assert.match(lines[0]!, /^mqtt: failed \(unreachable\): NotifyUnreachableError \(NOTIFY_UNREACHABLE\)/)
  assert.match(lines[1]!, /^webhook: failed \(unauthorized\): NotifyUnauthorizedError \(NOTIFY_UNAUTHORIZED\)/)
  assert.match(lines[2]!, /^email: failed \(tls\): NotifyTlsError \(NOTIFY_TLS\)/)
  assert.ok(!(bad.stdout + bad.stderr).includes(token))
  assert.ok(!(bad.stdout + bad.stderr).includes('/hook'))
})

test('a node killed with SIGKILL is marked offline by its last will; a running node\'s `online` survives notify test', { skip }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-notify-will-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  await initNode(dir, { role: 'resident', cameras: [CAMERA_INSIDE] })
  const broker = await startMosquitto()
  t.after(async () => { await broker.stop() })
  await setNotify(dir, { mqtt: { url: broker.url, topic: 'will/test' } })
  const sub = await subscribe(broker.url, 'will/test/availability')
  t.after(async () => { await sub.end() })

  const node = porchlight(t, ['start', '--dir', dir])
  await readyLine(node, AbortSignal.timeout(60_000))
  await sub.until((m) => m.payload === 'online')
  // A one-off `notify test` beside it leaves the node's availability alone.
  assert.equal((await notifyTest(t, dir)).code, 0)
  assert.deepEqual(sub.messages.map((m) => m.payload), ['online'])

  const exited = once(node, 'exit')
  node.kill('SIGKILL')
  await exited
  // No clean stop ran: the broker publishes the will when the connection drops.
  await sub.until((m) => m.payload === 'offline')
  const later = await subscribe(broker.url, 'will/test/availability')
  t.after(async () => { await later.end() })
  const retained = await later.until(() => true)
  assert.deepEqual([retained.payload, retained.retain], ['offline', true])
})
