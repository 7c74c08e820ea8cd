// Notifications over MQTT, the way Home Assistant users connect things. The node keeps one connection
// open (mqtt.js reconnects it) with a last will, so the broker marks it `offline` when it goes away:
//   <topic>/availability   retained: `online` on every connect, `offline` on a clean stop or by the will
//   <topic>/request        one JSON message per notification: `event_type` (request | test) and the
//                          notification's fields, which Home Assistant shows as the event's attributes
//   <prefix>/event/<id>/request/config   retained Home Assistant discovery (device + `event` entity)
// A publish while the connection is down fails at once (NotifyUnreachableError) rather than waiting in
// mqtt.js's offline queue: the channel's queue retries it with backoff and counts the failure.
// mqtt.js is imported when the channel starts: it costs every `porchlight` command ~0.2 s to load, and
// only a resident with an MQTT channel needs it.
import type { IClientOptions, MqttClient } from 'mqtt'
import type { Logger } from '../logging/index.js'
import type { NotifyMqttConfig } from '../config/index.js'
import type { NotifyChannel } from './channel.js'
import { withTimeout } from './channel.js'
import type { Notification } from './message.js'
import { NotifyError, NotifyUnauthorizedError, NotifyUnreachableError } from './errors.js'

export interface MqttChannelInit {
  config: NotifyMqttConfig
  /** The node's name: the default topic and the device's name in Home Assistant. */
  nodeName: string
  log: Logger
  /**
   * `false` for a one-off sender (`porchlight notify test`): no will, no availability, no discovery, so
   * it does not mark a running node offline when it disconnects. @default true
   */
  announce?: boolean
  /** A publish waits this long for the broker's PUBACK. @default 10000 */
  timeoutMs?: number
  /** mqtt.js's wait between reconnects. @default 5000 */
  reconnectPeriodMs?: number
}

/** The topics of a node: its base topic and what hangs under it. */
export interface MqttTopics {
  base: string
  event: string
  availability: string
  /** Home Assistant's discovery config topic, when discovery is on. */
  discovery?: string
  /** The Home Assistant device and entity id (unique per base topic). */
  objectId: string
}

/** `birch lane #2` → `birch_lane_2`: what MQTT topic levels and Home Assistant ids accept. */
export function slug (text: string): string {
  // NFKD splits `Ü` into `U` and a combining mark, which is dropped rather than made a separator.
  const s = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '')
  return s === '' ? 'node' : s
}

export function mqttTopics (config: NotifyMqttConfig, nodeName: string): MqttTopics {
  const base = (config.topic ?? `porchlight/${slug(nodeName)}`).replace(/\/+$/, '')
  const objectId = slug(base)
  return {
    base,
    event: `${base}/request`,
    availability: `${base}/availability`,
    ...(config.discovery === false ? {} : { discovery: `${config.discoveryPrefix ?? 'homeassistant'}/event/${objectId}/request/config` }),
    objectId
  }
}

/** Home Assistant's MQTT discovery config for the node's `event` entity (retained on the broker). */
export function discoveryConfig (topics: MqttTopics, nodeName: string): Record<string, unknown> {
  return {
    name: 'Footage request',
    unique_id: `${topics.objectId}_request`,
    object_id: `${topics.objectId}_request`,
    icon: 'mdi:cctv',
    state_topic: topics.event,
    event_types: ['request', 'test'],
    availability_topic: topics.availability,
    payload_available: 'online',
    payload_not_available: 'offline',
    device: { identifiers: [topics.objectId], name: `Porchlight ${nodeName}`, manufacturer: 'Porchlight', model: 'resident node' },
    origin: { name: 'Porchlight' }
  }
}

/** The event message: Home Assistant reads `event_type`, the rest become the event's attributes. */
export function mqttPayload (n: Notification): string {
  const { kind, ...fields } = n
  return JSON.stringify({ event_type: kind, ...fields })
}

// CONNACK codes for refused credentials: MQTT 3.1.1 (4, 5) and MQTT 5 (134, 135).
const unauthorizedCodes = new Set([4, 5, 134, 135])

export class MqttChannel implements NotifyChannel {
  readonly name = 'mqtt'
  readonly topics: MqttTopics
  readonly #init: MqttChannelInit
  readonly #log: Logger
  readonly #timeoutMs: number
  #client: MqttClient | undefined
  /** The last connection failure, so a send says why it cannot go out (refused credentials are not retried). */
  #lastError: NotifyError | undefined

  constructor (init: MqttChannelInit) {
    this.#init = init
    this.#log = init.log
    this.#timeoutMs = init.timeoutMs ?? 10_000
    this.topics = mqttTopics(init.config, init.nodeName)
  }

  async start (): Promise<void> {
    if (this.#client !== undefined) return
    const { connect } = await import('mqtt')
    if (this.#client !== undefined) return
    const { config } = this.#init
    const announce = this.#init.announce ?? true
    const options: IClientOptions = {
      clientId: `porchlight_${this.topics.objectId}${announce ? '' : `_test_${process.pid}`}`,
      reconnectPeriod: this.#init.reconnectPeriodMs ?? 5000,
      connectTimeout: this.#timeoutMs,
      // A notification sent while disconnected fails and is retried by the queue; mqtt.js must not also keep it.
      queueQoSZero: false,
      ...(config.username === undefined ? {} : { username: config.username }),
      ...(config.password === undefined ? {} : { password: config.password }),
      ...(announce ? { will: { topic: this.topics.availability, payload: Buffer.from('offline'), qos: 1 as const, retain: true } } : {})
    }
    const client = connect(config.url, options)
    this.#client = client
    client.on('connect', () => {
      this.#lastError = undefined
      this.#log.info({ channel: 'mqtt' }, 'notify: connected to the MQTT broker')
      if (announce) this.#announce(client).catch((err: unknown) => { this.#log.warn({ err, channel: 'mqtt' }, 'notify: the MQTT broker did not take the availability or discovery messages') })
    })
    client.on('error', (err) => {
      const code = (err as { code?: number | string }).code
      this.#lastError = typeof code === 'number' && unauthorizedCodes.has(code) ? new NotifyUnauthorizedError('mqtt', code) : new NotifyUnreachableError('mqtt', { cause: err })
      // By name and code only (the logger drops messages): mqtt.js's messages may quote the broker's address.
      this.#log.warn({ err: this.#lastError, channel: 'mqtt' }, 'notify: MQTT connection failed')
    })
  }

  /** Resolves once connected (or rejects with why not, after `timeoutMs`): for a one-off sender. */
  async connected (): Promise<void> {
    const client = this.#client
    if (client === undefined) throw new NotifyUnreachableError('mqtt')
    if (client.connected) return
    await withTimeout('mqtt', this.#timeoutMs, new Promise<void>((resolve, reject) => {
      client.once('connect', () => { resolve() })
      client.once('error', () => { reject(this.#lastError ?? new NotifyUnreachableError('mqtt')) })
    }))
  }

  async send (n: Notification): Promise<void> {
    const client = this.#client
    if (client?.connected !== true) throw this.#lastError ?? new NotifyUnreachableError('mqtt')
    await withTimeout('mqtt', this.#timeoutMs, client.publishAsync(this.topics.event, mqttPayload(n), { qos: 1, retain: false }))
  }

  async stop (): Promise<void> {
    const client = this.#client
    if (client === undefined) return
    this.#client = undefined
    if (client.connected && (this.#init.announce ?? true)) {
      // A clean stop says so itself: the broker sends the will only when the connection drops.
      await withTimeout('mqtt', this.#timeoutMs, client.publishAsync(this.topics.availability, 'offline', { qos: 1, retain: true })).catch(() => {})
    }
    await client.endAsync(!client.connected)
  }

  async #announce (client: MqttClient): Promise<void> {
    if (this.topics.discovery !== undefined) {
      await client.publishAsync(this.topics.discovery, JSON.stringify(discoveryConfig(this.topics, this.#init.nodeName)), { qos: 1, retain: true })
    }
    await client.publishAsync(this.topics.availability, 'online', { qos: 1, retain: true })
  }
}
