// A resident's notifications as a node service: every request that enters the inbox as `new` (it matched
// this node's cameras and no policy ignored it) is handed to each configured channel's queue. The inbox
// emits and moves on; nothing here can hold it up. What is sent is `toNotification` of the signed request
// and the agency's registered name: never the inbox item, which also names the matching cameras.
import { EventEmitter } from 'node:events'
import type { NodeConfig, NotifyConfig } from '../config/index.js'
import type { NodeComponents, NodeService } from '../service.js'
import type { Logger } from '../logging/index.js'
import type { InboxItem, ResidentInbox } from '../resident/index.js'
import type { NotifyChannel } from './channel.js'
import { toNotification, type Notification } from './message.js'
import { ChannelQueue, type RetryPolicy } from './queue.js'
import { MqttChannel } from './mqtt.js'
import { WebhookChannel } from './webhook.js'
import { EmailChannel, type EmailChannelInit } from './email.js'
import type { NotifyChannelName, NotifyError } from './errors.js'

export interface NotifyServiceEvents {
  'notify:sent': [{ channel: NotifyChannelName, id: string, attempts: number }]
  'notify:retry': [{ channel: NotifyChannelName, id: string, error: NotifyError, attempt: number }]
  'notify:failed': [{ channel: NotifyChannelName, id: string, error: NotifyError, attempts: number }]
}

export interface NotifyServiceInit {
  /** @default defaultRetry (queue.ts) */
  retry?: RetryPolicy
  /** Per channel. @default 100 */
  maxPending?: number
  /** Each channel's timeout for one try. @default 10000 */
  timeoutMs?: number
  /** The email channel's TLS options beyond the system's trust store (a test's own CA). */
  emailTls?: EmailChannelInit['tls']
  /** The MQTT client's wait between reconnects. @default 5000 */
  mqttReconnectMs?: number
  /** Channels to use instead of the config's (tests). */
  channels?: NotifyChannel[]
}

/** The channels a `notify` config names, built but not started. */
export function notifyChannels (notify: NotifyConfig | undefined, nodeName: string, log: Logger, opts: { timeoutMs?: number, emailTls?: EmailChannelInit['tls'], announce?: boolean, mqttReconnectMs?: number } = {}): NotifyChannel[] {
  const channels: NotifyChannel[] = []
  const timeouts = opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }
  if (notify?.mqtt !== undefined) channels.push(new MqttChannel({ config: notify.mqtt, nodeName, log, ...timeouts, ...(opts.announce === undefined ? {} : { announce: opts.announce }), ...(opts.mqttReconnectMs === undefined ? {} : { reconnectPeriodMs: opts.mqttReconnectMs }) }))
  if (notify?.webhook !== undefined) channels.push(new WebhookChannel({ config: notify.webhook, ...timeouts }))
  if (notify?.email !== undefined) channels.push(new EmailChannel({ config: notify.email, ...timeouts, ...(opts.emailTls === undefined ? {} : { tls: opts.emailTls }) }))
  return channels
}

/**
 * The base URL of the node's UI for the links: `notify.link`, else where the API listens, else the
 * configured address (before the API is up, or a node that opens no port).
 */
export function linkBase (config: Pick<NodeConfig, 'notify' | 'api'>, api?: Pick<NodeComponents['api'], 'address'>): string {
  if (config.notify?.link !== undefined) return config.notify.link
  const url = api?.address()?.url
  if (url !== undefined) return url
  const host = config.api.host.includes(':') ? `[${config.api.host}]` : config.api.host
  return `http://${host}:${config.api.port}`
}

export type NotifyComponents = Pick<NodeComponents, 'config' | 'logger' | 'api'> & { inbox: ResidentInbox }

export class NotifyService extends EventEmitter<NotifyServiceEvents> implements NodeService {
  readonly queues: readonly ChannelQueue[]
  readonly #components: NotifyComponents
  readonly #log: Logger
  readonly #onAdded = (item: InboxItem): void => { if (item.status === 'new') this.notify(item) }

  constructor (components: NotifyComponents, init: NotifyServiceInit = {}) {
    super()
    this.#components = components
    this.#log = components.logger.child({ component: 'notify' })
    const { config } = components
    const channels = init.channels ?? notifyChannels(config.notify, config.name, this.#log, {
      ...(init.timeoutMs === undefined ? {} : { timeoutMs: init.timeoutMs }),
      ...(init.emailTls === undefined ? {} : { emailTls: init.emailTls }),
      ...(init.mqttReconnectMs === undefined ? {} : { mqttReconnectMs: init.mqttReconnectMs })
    })
    const opts = { ...(init.retry === undefined ? {} : { retry: init.retry }), ...(init.maxPending === undefined ? {} : { maxPending: init.maxPending }) }
    this.queues = channels.map((channel) => new ChannelQueue(channel, {
      sent: ({ channel, notification, attempts }) => {
        this.#log.info({ channel, request: notification.id, attempts }, 'notify: sent')
        this.emit('notify:sent', { channel, id: notification.id, attempts })
      },
      retry: ({ channel, notification, error, attempt }) => {
        this.#log.debug({ channel, request: notification.id, err: error, attempt }, 'notify: try failed, retrying')
        this.emit('notify:retry', { channel, id: notification.id, error, attempt })
      },
      failed: ({ channel, notification, error, attempts }) => {
        this.#log.warn({ channel, request: notification.id, err: error, reason: error.reason, attempts }, 'notify: not sent')
        this.emit('notify:failed', { channel, id: notification.id, error, attempts })
      }
    }, opts))
    // From construction, not start: the inbox starts first and may take in requests (its catch-up) while
    // the services between it and this one start. One that comes before the channels are up waits in its
    // queue (an MQTT send before the connection retries with backoff).
    components.inbox.on('inbox:added', this.#onAdded)
  }

  /** The names of the configured channels. */
  get channels (): NotifyChannelName[] {
    return this.queues.map((q) => q.channel.name)
  }

  async start (): Promise<void> {
    for (const q of this.queues) await q.channel.start?.()
  }

  async stop (): Promise<void> {
    this.#components.inbox.off('inbox:added', this.#onAdded)
    for (const q of this.queues) await q.stop()
    for (const q of this.queues) await q.channel.stop?.().catch((err: unknown) => { this.#log.warn({ err, channel: q.channel.name }, 'notify: channel did not close cleanly') })
  }

  /** Hands an inbox item's notification to every channel; returns at once. */
  notify (item: InboxItem): Notification {
    const n = toNotification(item.id, item.request.message, item.verification.agency.name, linkBase(this.#components.config, this.#components.api))
    for (const q of this.queues) q.enqueue(n)
    return n
  }
}

/** Notifications as a node service, on the resident's inbox. */
export function notifyService (init: NotifyServiceInit = {}): (components: NotifyComponents) => NotifyService {
  return (components) => new NotifyService(components, init)
}
