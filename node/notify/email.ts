// Notifications by email through the household's SMTP server (nodemailer). TLS always: implicit TLS by
// default (port 465), or a plain connection that must upgrade with STARTTLS (`secure: false`, port 587);
// a server that does not offer STARTTLS gets nothing, not even the credentials. nodemailer is imported at
// the first message, so a node without an email channel never loads it.
import type { Transporter } from 'nodemailer'
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js'
import type { ConnectionOptions } from 'node:tls'
import type { NotifyEmailConfig } from '../config/index.js'
import { isTlsFailure, type NotifyChannel } from './channel.js'
import { bodyText, headline, type Notification } from './message.js'
import { NotifyRefusedError, NotifyServerError, NotifyTimeoutError, NotifyTlsError, NotifyUnauthorizedError, NotifyUnreachableError, type NotifyError } from './errors.js'

export interface EmailChannelInit {
  config: NotifyEmailConfig
  /** Connection, greeting and socket timeouts. @default 10000 */
  timeoutMs?: number
  /** TLS options beyond the system's trust store (a test's own CA). */
  tls?: ConnectionOptions
}

/** The message a notification becomes (without the envelope). */
export function emailMessage (config: NotifyEmailConfig, n: Notification): { from: string, to: string[], subject: string, text: string } {
  return { from: config.from, to: config.to, subject: headline(n), text: bodyText(n) }
}

function mailFailure (err: unknown, timeoutMs: number): NotifyError {
  const e = err as { code?: string, responseCode?: number }
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') return new NotifyUnauthorizedError('email', e.responseCode)
  if (e.code === 'ETLS' || isTlsFailure(err)) return new NotifyTlsError('email', { cause: err })
  if (e.code === 'ETIMEDOUT') return new NotifyTimeoutError('email', timeoutMs)
  if (typeof e.responseCode === 'number') {
    return e.responseCode >= 500 ? new NotifyRefusedError('email', e.responseCode) : new NotifyServerError('email', e.responseCode)
  }
  return new NotifyUnreachableError('email', { cause: err })
}

export class EmailChannel implements NotifyChannel {
  readonly name = 'email'
  readonly #config: NotifyEmailConfig
  readonly #timeoutMs: number
  readonly #options: SMTPTransport.Options
  #transport: Transporter | undefined

  constructor (init: EmailChannelInit) {
    const { config } = init
    this.#config = config
    this.#timeoutMs = init.timeoutMs ?? 10_000
    const secure = config.secure ?? true
    this.#options = {
      host: config.host,
      port: config.port,
      secure,
      requireTLS: !secure,
      ...(config.username === undefined ? {} : { auth: { user: config.username, pass: config.password ?? '' } }),
      connectionTimeout: this.#timeoutMs,
      greetingTimeout: this.#timeoutMs,
      socketTimeout: this.#timeoutMs,
      // One connection per message: notifications are rare, and a pooled connection would sit open for hours.
      pool: false,
      ...(init.tls === undefined ? {} : { tls: init.tls })
    }
  }

  async send (n: Notification): Promise<void> {
    if (this.#transport === undefined) {
      const { createTransport } = await import('nodemailer')
      this.#transport ??= createTransport(this.#options)
    }
    try {
      await this.#transport.sendMail(emailMessage(this.#config, n))
    } catch (err) {
      throw mailFailure(err, this.#timeoutMs)
    }
  }

  async stop (): Promise<void> {
    this.#transport?.close()
  }
}
