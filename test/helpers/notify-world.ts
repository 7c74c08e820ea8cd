// What the notification tests share: a resident node (a stub registry, a camera inside the sample request's
// area or far from it) with a `notify` config, requests ingested straight into its request network, and
// real receivers: an HTTP server for webhooks, an in-process SMTP server (smtp-server, implicit TLS or
// STARTTLS on a certificate made for the test), an MQTT subscriber on a real mosquitto (test/support).
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import { Writable } from 'node:stream'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { connectAsync, type MqttClient } from 'mqtt'
import { generate } from 'selfsigned'
import { cellToLatLng, cellToParent, gridDisk } from 'h3-js'
import { createNode, residentRole, type PorchlightNode, type ResidentServices } from '../../node/index.js'
import { parseConfig, type NotifyConfig } from '../../node/config/index.js'
import { announcementMessageId } from '../../node/network/index.js'
import { createLogger } from '../../node/logging/index.js'
import type { NotifyServiceInit } from '../../node/notify/index.js'
import type { InboxItem } from '../../node/resident/index.js'
import { stubChain } from './stub-chain.js'
import { TestAgency } from './announcements.js'
import { AGENCY_KEY, DOMAIN, sampleRequest } from './messages.js'

export type NotifyingResident = PorchlightNode<ResidentServices> & { logLines: string[] }

const now = (): number => Math.floor(Date.now() / 1000)
const jurisdiction = [...new Set(sampleRequest().cells.map((c) => cellToParent(c, 5)))]

/** Inside the sample request's 400 m area (off any cell centre, so its digits are its own). */
export const CAMERA_INSIDE = { name: 'porch-of-the-cedar-house', lat: 47.606311, lng: -122.332187 }

/** On the same gossip topics (res-7 cell) as the area but outside it: it hears the request and must not match. */
export const CAMERA_OUTSIDE = ((): { name: string, lat: number, lng: number } => {
  const area = new Set(sampleRequest().cells)
  const topics = new Set([...area].map((c) => cellToParent(c, 7)))
  const cell = gridDisk([...area][0]!, 8).find((c) => !gridDisk(c, 2).some((n) => area.has(n)) && topics.has(cellToParent(c, 7)))!
  const [lat, lng] = cellToLatLng(cell)
  return { name: 'shed-behind-the-elm', lat, lng }
})()

export const agency = new TestAgency(AGENCY_KEY, DOMAIN)

export async function startNotifyingResident (name: string, opts: { camera: { name: string, lat: number, lng: number }, notify: NotifyConfig, init?: NotifyServiceInit, inboxPolicy?: { ignoreCategories: string[], ignoreAgencies: string[] } }): Promise<NotifyingResident> {
  const logLines: string[] = []
  const destination = new Writable({ write (chunk: Buffer, _enc, done) { logLines.push(...chunk.toString().split('\n').filter((l) => l !== '')); done() } })
  const node = await createNode({
    config: parseConfig({ version: 1, role: 'resident', name, cameras: [opts.camera], notify: opts.notify, ...(opts.inboxPolicy === undefined ? {} : { inboxPolicy: opts.inboxPolicy }) }),
    services: residentRole({
      chain: stubChain(async (a) => ({ address: a, name: 'Seattle PD', cells: jurisdiction, validUntil: now() + 86400, status: 'active' })),
      ...(opts.init === undefined ? {} : { notify: opts.init })
    }),
    libp2p: { messageId: announcementMessageId },
    staticDir: false,
    logger: createLogger({ level: 'trace', destination, base: { role: 'resident', node: name } })
  })
  await node.start()
  return Object.assign(node, { logLines })
}

/**
 * A fresh live request in the sample area, ingested by `node` as gossip would deliver it. Resolves once the
 * inbox decided: with the item it added (`added`, the default), or having checked it holds none (`absent`:
 * `ignore` waits for the inbox's pending work and refuses an id it does not hold).
 */
export async function ingestRequest (node: PorchlightNode<ResidentServices>, opts: { expect?: 'added' | 'absent', overrides?: Parameters<TestAgency['request']>[0] } = {}): Promise<{ id: string, request: ReturnType<typeof sampleRequest>, item?: InboxItem }> {
  const t = now()
  const a = agency.request({ issuedAt: t, windowStart: t - 7200, windowEnd: t - 3600, expiresAt: t + 3600, ...opts.overrides })
  const inbox = node.services.inbox
  const added = new Promise<InboxItem>((resolve) => {
    const on = (item: InboxItem): void => { if (item.id === a.id) { inbox.off('inbox:added', on); resolve(item) } }
    inbox.on('inbox:added', on)
  })
  const { result } = await node.services.network.ingest(a.bytes, { cells: node.services.network.cells() })
  if (result !== 'accept') throw new Error(`the request was not accepted: ${result}`)
  if (opts.expect === 'absent') {
    await inbox.ignore(a.id).then(() => { throw new Error('the request entered the inbox') }, (err: Error) => { if (err.name !== 'InboxItemNotFoundError') throw err })
    return { id: a.id, request: a.signed.message }
  }
  return { id: a.id, request: a.signed.message, item: await added }
}

/** What every channel's structured payload holds for `request`: its public fields and the link (docs/notify.md). */
export function publicFields (id: string, request: ReturnType<typeof sampleRequest>, link: string): Record<string, unknown> {
  const { title, agency, caseCode, category, windowStart, windowEnd, expiresAt } = request
  return { id, title, agency, agencyName: 'Seattle PD', caseCode, category, windowStart, windowEnd, expiresAt, link: `${link}#request=${encodeURIComponent(id)}` }
}

export interface ReceivedHttp { method: string, url: string, headers: IncomingHttpHeaders, body: string }

/** An HTTP server that records every request; `answer` decides each status (default 200). */
export async function startWebhookServer (answer: (n: number) => number | 'hang' = () => 200): Promise<{ url: string, received: ReceivedHttp[], next: () => Promise<ReceivedHttp>, close: () => Promise<void> }> {
  const received: ReceivedHttp[] = []
  const waiting: Array<(r: ReceivedHttp) => void> = []
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => { body += c })
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body }
      received.push(r)
      const status = answer(received.length)
      waiting.shift()?.(r)
      if (status === 'hang') return
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}')
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  let seen = 0
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    // Resolves with the next request not yet handed out (recorded already, or when it comes).
    next: async () => {
      const i = seen++
      if (i < received.length) return received[i]!
      return await new Promise((resolve) => { waiting.push(resolve) })
    },
    close: async () => { server.closeAllConnections(); server.close(); await once(server, 'close').catch(() => {}) }
  }
}

export interface ReceivedMail { from: string, to: string[], raw: string, user?: string }

/** An SMTP server on a certificate for 127.0.0.1: implicit TLS (`secure`), or STARTTLS unless `noStartTls`. */
export async function startSmtpServer (opts: { secure: boolean, noStartTls?: boolean, users?: Record<string, string> }): Promise<{ port: number, ca: string, received: ReceivedMail[], authTries: string[], next: () => Promise<ReceivedMail>, close: () => Promise<void> }> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]
  })
  const received: ReceivedMail[] = []
  const authTries: string[] = []
  const waiting: Array<(m: ReceivedMail) => void> = []
  const server = new SMTPServer({
    secure: opts.secure,
    key: pems.private,
    cert: pems.cert,
    authOptional: opts.users === undefined,
    // `noStartTls`: a server without TLS at all (hiding STARTTLS is not enough: nodemailer then tries it anyway).
    disabledCommands: [...(opts.users === undefined ? ['AUTH'] : []), ...(opts.noStartTls === true ? ['STARTTLS'] : [])],
    logger: false,
    onAuth (auth, _session, cb) {
      authTries.push(auth.username ?? '')
      if (opts.users?.[auth.username ?? ''] === auth.password) { cb(null, { user: auth.username }); return }
      cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }))
    },
    onData (stream, session, cb) {
      let raw = ''
      stream.setEncoding('utf8')
      stream.on('data', (c: string) => { raw += c })
      stream.on('end', () => {
        const mail: ReceivedMail = {
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          ...(typeof session.user === 'string' ? { user: session.user } : {})
        }
        received.push(mail)
        waiting.shift()?.(mail)
        cb()
      })
    }
  })
  // A client that refuses the certificate closes the socket mid-handshake: the server reports it as an error.
  server.on('error', () => {})
  server.listen(0, '127.0.0.1')
  await once(server.server, 'listening')
  let seen = 0
  return {
    port: (server.server.address() as AddressInfo).port,
    ca: pems.cert,
    received,
    authTries,
    next: async () => {
      const i = seen++
      if (i < received.length) return received[i]!
      return await new Promise((resolve) => { waiting.push(resolve) })
    },
    close: async () => { await new Promise<void>((resolve) => { server.close(() => { resolve() }) }) }
  }
}

export interface MqttMessage { topic: string, payload: string, retain: boolean }

/** A subscriber to `filter` that records every message; `until` resolves on the first one `match` takes. */
export async function subscribe (url: string, filter: string): Promise<{ client: MqttClient, messages: MqttMessage[], until: (match: (m: MqttMessage) => boolean) => Promise<MqttMessage>, end: () => Promise<void> }> {
  const client = await connectAsync(url, { reconnectPeriod: 0 })
  const messages: MqttMessage[] = []
  const waiting: Array<{ match: (m: MqttMessage) => boolean, resolve: (m: MqttMessage) => void }> = []
  client.on('message', (topic, payload, packet) => {
    const m = { topic, payload: payload.toString(), retain: packet.retain }
    messages.push(m)
    for (const w of [...waiting]) if (w.match(m)) { waiting.splice(waiting.indexOf(w), 1); w.resolve(m) }
  })
  await client.subscribeAsync(filter, { qos: 1 })
  return {
    client,
    messages,
    until: async (match) => {
      const seen = messages.find(match)
      if (seen !== undefined) return seen
      return await new Promise((resolve) => { waiting.push({ match, resolve }) })
    },
    end: async () => { await client.endAsync(true) }
  }
}
