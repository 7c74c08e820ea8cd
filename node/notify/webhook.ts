// Notifications as an HTTP POST. `json`: the notification itself as the body (`event` says request or
// test), for Home Assistant's webhook trigger, n8n, a script. `ntfy`: ntfy's JSON publish API (POST to the
// server's root with `topic`, `title`, `message`, `tags`, `click`), which carries UTF-8 titles that its
// header form cannot. Redirects are not followed: a redirect could carry the token to another server.
import type { NotifyWebhookConfig } from '../config/index.js'
import { isTlsFailure, type NotifyChannel } from './channel.js'
import { bodyText, headline, type Notification } from './message.js'
import { NotifyRefusedError, NotifyServerError, NotifyTimeoutError, NotifyTlsError, NotifyUnauthorizedError, NotifyUnreachableError, type NotifyError } from './errors.js'

export interface WebhookChannelInit {
  config: NotifyWebhookConfig
  /** One POST may take this long. @default 10000 */
  timeoutMs?: number
}

/** The request a notification becomes: where to, and the JSON body. */
export function webhookRequest (config: NotifyWebhookConfig, n: Notification): { url: string, body: Record<string, unknown> } {
  if (config.format === 'json') {
    const { kind, ...fields } = n
    return { url: config.url, body: { event: kind, ...fields } }
  }
  const topicUrl = new URL(config.url)
  const topic = topicUrl.pathname.replace(/^\/+|\/+$/g, '')
  return {
    url: new URL('/', topicUrl).toString(),
    body: {
      topic,
      title: headline(n),
      message: bodyText(n),
      tags: n.kind === 'test' ? ['test_tube'] : ['rotating_light', n.category],
      click: n.link,
      // ntfy's 4 ("high"): a request lives at most 72 hours.
      priority: n.kind === 'test' ? 3 : 4
    }
  }
}

function fetchFailure (err: unknown, timeoutMs: number): NotifyError {
  if (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError')) return new NotifyTimeoutError('webhook', timeoutMs)
  if (isTlsFailure(err)) return new NotifyTlsError('webhook', { cause: err })
  return new NotifyUnreachableError('webhook', { cause: err })
}

export function statusFailure (status: number): NotifyError | undefined {
  if (status >= 200 && status < 300) return undefined
  if (status === 401 || status === 403) return new NotifyUnauthorizedError('webhook', status)
  if (status === 408 || status === 429 || status >= 500) return new NotifyServerError('webhook', status)
  return new NotifyRefusedError('webhook', status)
}

export class WebhookChannel implements NotifyChannel {
  readonly name = 'webhook'
  readonly #config: NotifyWebhookConfig
  readonly #timeoutMs: number

  constructor (init: WebhookChannelInit) {
    this.#config = init.config
    this.#timeoutMs = init.timeoutMs ?? 10_000
  }

  async send (n: Notification, signal?: AbortSignal): Promise<void> {
    const { url, body } = webhookRequest(this.#config, n)
    const timeout = AbortSignal.timeout(this.#timeoutMs)
    let res: Response
    try {
      res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/json', ...(this.#config.token === undefined ? {} : { authorization: `Bearer ${this.#config.token}` }) },
        body: JSON.stringify(body),
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout])
      })
    } catch (err) {
      throw fetchFailure(err, this.#timeoutMs)
    }
    // The body is not needed; reading it frees the connection for the next notification.
    await res.arrayBuffer().catch(() => {})
    const failure = statusFailure(res.status)
    if (failure !== undefined) throw failure
  }
}
