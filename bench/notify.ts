// Inbox add → notification received, per channel, on loopback: a resident node with MQTT (a real
// mosquitto), a JSON webhook (a local HTTP server) and email (smtp-server in this process, implicit TLS)
// configured; each round a fresh request is ingested and the time from the inbox's `inbox:added` to each
// receiver having the whole message is recorded. Beside each, in the same run: the same transport without
// Porchlight (the broker's own publish → receive between two plain clients, a bare fetch to the same
// server, nodemailer alone to the same SMTP server), so a slow machine shows in both columns.
import { performance } from 'node:perf_hooks'
import { connectAsync } from 'mqtt'
import { createTransport } from 'nodemailer'
import { percentile, type BenchContext } from './lib.js'
import { startMosquitto, mosquittoPath } from '../test/support/mosquitto.js'
import { CAMERA_INSIDE, ingestRequest, startNotifyingResident, startSmtpServer, startWebhookServer, subscribe } from '../test/helpers/notify-world.js'

const section = 'notify'

export default async function (ctx: BenchContext): Promise<void> {
  if (mosquittoPath() === undefined) {
    process.stderr.write('  skipped: mosquitto is not installed (apt-get install mosquitto)\n')
    return
  }
  const rounds = ctx.quick ? 10 : 100
  const cleanups: Array<() => Promise<void>> = []
  try {
    const broker = await startMosquitto()
    cleanups.push(async () => { await broker.stop() })
    const hook = await startWebhookServer()
    cleanups.push(async () => { await hook.close() })
    const smtp = await startSmtpServer({ secure: true })
    cleanups.push(async () => { await smtp.close() })
    const sub = await subscribe(broker.url, 'bench/#')
    cleanups.push(async () => { await sub.end() })
    const node = await startNotifyingResident('bench', {
      camera: CAMERA_INSIDE,
      notify: {
        mqtt: { url: broker.url, topic: 'bench/node' },
        webhook: { url: `${hook.url}/hook`, format: 'json' },
        email: { host: '127.0.0.1', port: smtp.port, from: 'porchlight@home.example', to: ['alex@home.example'] }
      },
      init: { emailTls: { ca: smtp.ca } }
    })
    cleanups.push(async () => { await node.stop() })
    await sub.until((m) => m.topic === 'bench/node/availability' && m.payload === 'online')

    const times: Record<'mqtt' | 'webhook' | 'email', number[]> = { mqtt: [], webhook: [], email: [] }
    for (let i = 0; i < rounds; i++) {
      let addedAt = 0
      node.services.inbox.once('inbox:added', () => { addedAt = performance.now() })
      const mqtt = sub.until((m) => m.topic === 'bench/node/request' && m.payload.includes(`"title":"round ${i}"`)).then(() => performance.now())
      const webhook = hook.next().then(() => performance.now())
      const email = smtp.next().then(() => performance.now())
      await ingestRequest(node, { overrides: { title: `round ${i}` } })
      const [m, w, e] = await Promise.all([mqtt, webhook, email])
      times.mqtt.push(m - addedAt)
      times.webhook.push(w - addedAt)
      times.email.push(e - addedAt)
    }

    // The same transports without Porchlight, in the same run.
    const baseline: Record<'mqtt' | 'webhook' | 'email', number[]> = { mqtt: [], webhook: [], email: [] }
    const publisher = await connectAsync(broker.url, { reconnectPeriod: 0 })
    cleanups.push(async () => { await publisher.endAsync(true) })
    const mailer = createTransport({ host: '127.0.0.1', port: smtp.port, secure: true, pool: false, tls: { ca: smtp.ca } })
    for (let i = 0; i < rounds; i++) {
      const payload = `{"event_type":"request","title":"baseline ${i}"}`
      const got = sub.until((m) => m.topic === 'bench/plain' && m.payload === payload).then(() => performance.now())
      let t0 = performance.now()
      await publisher.publishAsync('bench/plain', payload, { qos: 1 })
      baseline.mqtt.push((await got) - t0)
      const hooked = hook.next().then(() => performance.now())
      t0 = performance.now()
      await (await fetch(`${hook.url}/hook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload })).arrayBuffer()
      baseline.webhook.push((await hooked) - t0)
      const mailed = smtp.next().then(() => performance.now())
      t0 = performance.now()
      await mailer.sendMail({ from: 'porchlight@home.example', to: 'alex@home.example', subject: `baseline ${i}`, text: payload })
      baseline.email.push((await mailed) - t0)
    }
    mailer.close()

    const labels = { mqtt: 'broker publish → receive (plain clients)', webhook: 'bare fetch → server', email: 'nodemailer alone → server' }
    for (const channel of ['mqtt', 'webhook', 'email'] as const) {
      for (const p of [50, 99]) {
        const value = percentile(times[channel], p)
        // The goal is for MQTT and the webhook on loopback; email's is what one SMTP session costs.
        const goal = channel === 'email' ? undefined : 'p99 ≤ 1000 ms'
        ctx.row({
          section,
          figure: `inbox add → ${channel} received, p${p} (${rounds} requests)`,
          value,
          unit: 'ms',
          better: 'lower',
          baseline: { label: labels[channel], value: percentile(baseline[channel], p) },
          ...(goal === undefined || p !== 99 ? {} : { goal, met: value <= 1000 })
        })
      }
    }
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => {})
  }
}
