// Paired devices (issue 18): a phone gets a token of its own, so it can be revoked alone and the node's
// api-token never leaves the machine. The node keeps each token's SHA-256 only (a copy of the store gives no
// working token), checks a presented one against every device in constant time, as auth.ts checks the
// node's, and forgets a revoked one before the revocation answers: the next request with it is refused.
// Pairing, listing and revoking take the node's own token (`nodeTokenOnly`): a lost phone must not be able
// to pair another device or keep itself paired (docs/node.md, "The UI from a phone").
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { EventEmitter } from 'node:events'
import type { FastifyPluginAsync } from 'fastify'
import { PorchlightError } from '../../protocol/errors.js'
import type { DeviceView, PairedDevice } from '../../protocol/index.js'
import type { Logger } from '../logging/index.js'
import type { Sublevel } from '../storage/index.js'
import type { DeviceTokens } from './auth.js'
import type { ResponseSchemaOf } from './response-schema.js'

export class UnknownDeviceError extends PorchlightError {
  static override readonly code = 'UNKNOWN_DEVICE'
  static override readonly status = 404
  constructor (id: string) {
    super(UnknownDeviceError.code, `no paired device ${id}`, { details: { id } })
    this.name = 'UnknownDeviceError'
  }
}

export class TooManyDevicesError extends PorchlightError {
  static override readonly code = 'TOO_MANY_DEVICES'
  static override readonly status = 409
  constructor (max: number) {
    super(TooManyDevicesError.code, `at most ${max} devices may be paired: revoke one first`, { details: { max } })
    this.name = 'TooManyDevicesError'
  }
}

interface DeviceRecord extends DeviceView {
  /** SHA-256 of the token. */
  tokenHash: string
}

export interface DeviceBookInit {
  /** Where the records live (a sublevel of the node's store, utf8 JSON values). */
  db: Sublevel<string, string>
  logger?: Logger
  /** @default 32: a household's phones and tablets, with room; each costs every request one hash compare. */
  maxDevices?: number
  /** @default Date.now */
  clock?: () => number
}

/** What the node keeps of a token: its SHA-256 (agency users' credentials are kept so too: node/agency/users.ts). */
export const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest()

/** A new token: 32 random bytes, base64url, as the node's own. */
export const newToken = (): string => randomBytes(32).toString('base64url')

/**
 * The record whose hash is `token`'s, comparing against every one in constant time and skipping none on a
 * match, so the time says nothing about which one matched.
 */
export function matchToken<R extends { hash: Buffer }> (token: string, records: Iterable<R>): R | undefined {
  const given = hashToken(token)
  let found: R | undefined
  for (const record of records) if (timingSafeEqual(given, record.hash)) found = record
  return found
}

/** A minute: `lastUsedAt` is kept to it, so a busy phone writes the store at most once a minute. */
const MINUTE = 60_000

export interface DeviceBookEvents {
  /** After a revocation: whatever a device's request still holds open (an event stream) ends on it. */
  'device:revoked': [DeviceView]
}

export class DeviceBook extends EventEmitter<DeviceBookEvents> implements DeviceTokens {
  readonly #db: Sublevel<string, string>
  readonly #logger: Logger | undefined
  readonly #max: number
  readonly #clock: () => number
  readonly #devices = new Map<string, DeviceRecord & { hash: Buffer }>()
  /** Writes in the order they were made: a late `lastUsedAt` must never bring back a revoked device. */
  #writes: Promise<void> = Promise.resolve()

  constructor (init: DeviceBookInit) {
    super()
    this.#db = init.db
    this.#logger = init.logger
    this.#max = init.maxDevices ?? 32
    this.#clock = init.clock ?? Date.now
  }

  /** Reads the paired devices; call before the API accepts requests. */
  async load (): Promise<void> {
    for await (const [id, value] of this.#db.iterator()) {
      const record = JSON.parse(value) as DeviceRecord
      this.#devices.set(id, { ...record, hash: Buffer.from(record.tokenHash, 'hex') })
    }
  }

  list (): DeviceView[] {
    return [...this.#devices.values()].map(toView).sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  }

  /** A new device and its token (32 random bytes, base64url: as the node's own). */
  async pair (name: string): Promise<{ device: DeviceView, token: string }> {
    if (this.#devices.size >= this.#max) throw new TooManyDevicesError(this.#max)
    const token = newToken()
    const hash = hashToken(token)
    const record: DeviceRecord = { id: randomBytes(8).toString('hex'), name, createdAt: new Date(this.#clock()).toISOString(), tokenHash: hash.toString('hex') }
    await this.#write(async () => { await this.#db.put(record.id, JSON.stringify(record)) })
    this.#devices.set(record.id, { ...record, hash })
    this.#logger?.info({ device: record.id, name }, 'devices: paired')
    return { device: toView(record), token }
  }

  async revoke (id: string): Promise<DeviceView> {
    const record = this.#devices.get(id)
    if (record === undefined) throw new UnknownDeviceError(id)
    // Gone from the map first: a request arriving while the store deletes is already refused.
    this.#devices.delete(id)
    try {
      await this.#write(async () => { await this.#db.del(id) })
    } catch (err) {
      this.#devices.set(id, record)
      throw err
    }
    this.#logger?.info({ device: id, name: record.name }, 'devices: revoked')
    const view = toView(record)
    this.emit('device:revoked', view)
    return view
  }

  deviceFor (token: string): string | undefined {
    const found = matchToken(token, this.#devices.values())
    if (found !== undefined) this.#touch(found)
    return found?.id
  }

  #touch (record: DeviceRecord & { hash: Buffer }): void {
    const minute = new Date(Math.floor(this.#clock() / MINUTE) * MINUTE).toISOString()
    if (record.lastUsedAt === minute) return
    record.lastUsedAt = minute
    const { hash: _, ...stored } = record
    this.#write(async () => {
      if (this.#devices.get(record.id) === record) await this.#db.put(record.id, JSON.stringify(stored))
    }).catch((err: unknown) => { this.#logger?.warn({ err, device: record.id }, 'devices: could not record last use') })
  }

  async #write (step: () => Promise<void>): Promise<void> {
    const next = this.#writes.then(step)
    this.#writes = next.catch(() => {})
    await next
  }
}

function toView (record: DeviceView): DeviceView {
  return { id: record.id, name: record.name, createdAt: record.createdAt, ...(record.lastUsedAt === undefined ? {} : { lastUsedAt: record.lastUsedAt }) }
}

const deviceSchema = {
  type: 'object',
  required: ['id', 'name', 'createdAt'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string' }, lastUsedAt: { type: 'string' } }
} as const satisfies ResponseSchemaOf<DeviceView>

const pairedSchema = {
  type: 'object',
  required: ['device', 'token', 'link'],
  properties: { device: deviceSchema, token: { type: 'string' }, link: { type: 'string' }, fingerprint: { type: 'string' } }
} as const satisfies ResponseSchemaOf<PairedDevice>

const idParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9a-f]{16}$' } } } as const

export interface DeviceRoutesInit {
  book: DeviceBook
  /** The link a device opens: the UI's HTTPS address with the token in the fragment. */
  link: (token: string) => string
  /** The API certificate's SHA-256, when it serves HTTPS. */
  fingerprint: () => string | undefined
}

/** `GET/POST /api/devices`, `DELETE /api/devices/:id`: the node's own token only. */
export function deviceRoutes (init: DeviceRoutesInit): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/devices', {
      config: { nodeTokenOnly: true },
      schema: { summary: 'The paired devices (never their tokens)', response: { 200: { type: 'array', items: deviceSchema } } }
    }, async (): Promise<DeviceView[]> => init.book.list())

    app.post<{ Body: { name: string } }>('/api/devices', {
      config: { nodeTokenOnly: true },
      schema: {
        summary: 'Pairs a device: its token and link, answered this once',
        body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^\\u0000-\\u001f]+$' } } },
        response: { 201: pairedSchema }
      }
    }, async (request, reply) => {
      const { device, token } = await init.book.pair(request.body.name)
      const fingerprint = init.fingerprint()
      const paired: PairedDevice = { device, token, link: init.link(token), ...(fingerprint === undefined ? {} : { fingerprint }) }
      return await reply.status(201).send(paired)
    })

    app.delete<{ Params: { id: string } }>('/api/devices/:id', {
      config: { nodeTokenOnly: true },
      schema: { summary: 'Revokes a device: its next request is refused', params: idParams, response: { 200: deviceSchema } }
    }, async (request): Promise<DeviceView> => await init.book.revoke(request.params.id))
  }
}
