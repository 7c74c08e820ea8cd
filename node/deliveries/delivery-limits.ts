// What a delivery may cost the agency (issue 15): the receiver takes a sender's slot when a stream opens and
// reserves the offer's deliveries and bytes once the consent checked, before it accepts a byte of footage.
// A peer id is free to mint (and every honest delivery comes from a fresh one), so a sender is counted twice:
// by its peer id and by its IP address, an IPv6 address by its /64 (what one subscriber line gets). Counts
// live in memory: per request they start from the deliveries on record; per sender they start at zero after
// a restart (the agency keeps no resident's address on disk). docs/agency.md says why each figure.
// A sender that comes through a relay (`delivery.via: "relay"`, issue 16) shows no IP address of its own:
// it is counted by the relay's peer id instead, under the request's quota (every household that chose this
// relay comes from it; the per-sender quota would let one of them use up the relay for all the others).
import { statfs as fsStatfs } from 'node:fs/promises'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { LRUCache } from 'lru-cache'
import type { DeliveryQuota, FootageLimits } from '../config/index.js'
import { DeliveryQuotaExceededError, InsufficientStorageError, TooManyTransfersError } from '../footage/errors.js'

/** Who a transfer comes from, as far as the agency can tell: the connection's peer id and address. */
export interface Sender {
  peer: string
  /**
   * `ip4:a.b.c.d` or `ip6:<first 64 bits, hex>`; undefined for a connection with no IP (memory transport) and
   * for a relayed one (its first address is the relay's, not the sender's).
   */
  address?: string
  /** The relay's peer id, for a connection through a circuit relay. */
  relay?: string
}

/** Free space of the file system holding `path` (fs.statfs's fields that matter). */
export type Statfs = (path: string) => Promise<{ bavail: number | bigint, bsize: number | bigint }>

/** (sender, request) pairs remembered; past it the least recently used go (docs/agency.md). */
export const SENDER_TALLIES = 16_384

/** The sender of a stream on `connection`. A relayed connection is told by its relay's peer id, not an address. */
export function senderOf (connection: { remotePeer: { toString: () => string }, remoteAddr: Multiaddr } | undefined): Sender {
  if (connection === undefined) return { peer: 'unknown' }
  const peer = connection.remotePeer.toString()
  const parts = connection.remoteAddr.getComponents()
  const circuit = parts.findIndex((c) => c.name === 'p2p-circuit')
  if (circuit >= 0) {
    const relay = parts.slice(0, circuit).reverse().find((c) => c.name === 'p2p')?.value
    return { peer, relay: relay ?? 'unknown' }
  }
  const ip = parts.find((c) => c.name === 'ip4' || c.name === 'ip6')
  if (ip?.value === undefined) return { peer }
  if (ip.name === 'ip4') return { peer, address: `ip4:${ip.value}` }
  // The binary multiaddr is the code (one byte, 0x29) then the 16 address bytes.
  const bytes = multiaddr(`/ip6/${ip.value}`).bytes.subarray(1, 17)
  const mapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff
  if (mapped) return { peer, address: `ip4:${bytes.subarray(12).join('.')}` }
  return { peer, address: `ip6:${Buffer.from(bytes.subarray(0, 8)).toString('hex')}` }
}

interface Tally { deliveries: number, bytes: number }

/** One transfer's share: its sender slot, and once reserved, its request's and sender's counts. */
export interface TransferSlot {
  readonly sender: Sender
  /** Counts `bytes` and one delivery against the request and the sender; throws the first quota it passes. */
  reserve: (request: string, bytes: number) => Promise<void>
  /** The transfer was delivered: its counts stay. */
  commit: () => void
  /** Ends the transfer: what it reserved and did not commit is given back. Idempotent. */
  release: () => void
}

export interface DeliveryLimiterInit {
  limits: FootageLimits
  /** The footage folder: its disk's free space is checked against the floor. */
  root: string
  /** @default node:fs/promises statfs */
  statfs?: Statfs
  /** The deliveries on record, read once at the first reservation (each request's counts start there). */
  recorded?: () => Promise<ReadonlyArray<{ request: string, clips: ReadonlyArray<{ ciphertextSize: number }> }>>
}

export class DeliveryLimiter {
  readonly limits: FootageLimits
  readonly #init: DeliveryLimiterInit
  readonly #statfs: Statfs
  /** Transfers running, by `peer:` / `address:` / `request:` key; a key goes at zero, so it holds only what runs. */
  readonly #active = new Map<string, number>()
  /** Per request (of the agency's own: a consent naming any other was refused before). */
  readonly #requests = new Map<string, Tally>()
  readonly #senders = new LRUCache<string, Tally>({ max: SENDER_TALLIES })
  #seeded: Promise<void> | undefined
  /** Bytes reserved by transfers not yet delivered: not on disk yet, so not in statfs's figure. */
  #inFlight = 0

  constructor (init: DeliveryLimiterInit) {
    this.limits = init.limits
    this.#init = init
    this.#statfs = init.statfs ?? (async (path) => await fsStatfs(path))
  }

  /** How long a transfer of `bytes` may take, ms: the base plus its size at the slowest accepted rate. */
  deadlineMs (bytes: number): number {
    return Math.ceil((this.limits.deadlineBaseSeconds + bytes / this.limits.minBytesPerSecond) * 1000)
  }

  /** Transfers running now (all requests). */
  get active (): number {
    let n = 0
    for (const [key, count] of this.#active) if (key.startsWith('request:')) n += count
    return n
  }

  /** (sender, request) pairs with counts kept: at most SENDER_TALLIES. */
  get tallied (): number { return this.#senders.size }

  /** Takes a sender's slot as its stream opens; throws TooManyTransfersError past `perSender.concurrent`. */
  open (sender: Sender): TransferSlot {
    const keys = senderKeys(sender, this.limits)
    this.#take(keys.map((k) => k.active), keys.map((k) => k.quota), keys.map((k) => k.scope))
    const held = [...keys.map((k) => k.active)]
    let reserved: { request: string, bytes: number, tallies: Tally[] } | undefined
    let committed = false
    let released = false
    return {
      sender,
      reserve: async (request, bytes) => {
        await (this.#seeded ??= this.#seed())
        const free = await this.#freeBytes()
        // Nothing awaited from here on: two offers checked at once cannot both take the last place.
        this.#take([`request:${request}`], [this.limits.perRequest], ['request'])
        held.push(`request:${request}`)
        const requestTally = this.#requests.get(request) ?? { deliveries: 0, bytes: 0 }
        const senderTallies = keys.map((k) => this.#senders.get(`${k.active}|${request}`) ?? { deliveries: 0, bytes: 0 })
        check(requestTally, bytes, this.limits.perRequest, 'request')
        senderTallies.forEach((t, i) => { check(t, bytes, keys[i]!.quota, keys[i]!.scope) })
        const needed = this.#inFlight + bytes
        if (free - needed < this.limits.minFreeBytes) throw new InsufficientStorageError({ free, needed, floor: this.limits.minFreeBytes })
        this.#requests.set(request, requestTally)
        keys.forEach((k, i) => { this.#senders.set(`${k.active}|${request}`, senderTallies[i]) })
        const tallies = [requestTally, ...senderTallies]
        for (const t of tallies) { t.deliveries++; t.bytes += bytes }
        this.#inFlight += bytes
        reserved = { request, bytes, tallies }
      },
      commit: () => {
        if (reserved === undefined || committed || released) return
        committed = true
        this.#inFlight -= reserved.bytes
      },
      release: () => {
        if (released) return
        released = true
        for (const key of held) this.#give(key)
        if (reserved !== undefined && !committed) {
          this.#inFlight -= reserved.bytes
          for (const t of reserved.tallies) { t.deliveries--; t.bytes -= reserved.bytes }
        }
      }
    }
  }

  #take (keys: string[], quotas: DeliveryQuota[], scopes: string[]): void {
    keys.forEach((key, i) => {
      const running = this.#active.get(key) ?? 0
      const limit = quotas[i]!.concurrent
      if (running >= limit) throw new TooManyTransfersError({ scope: scopes[i], limit })
    })
    for (const key of keys) this.#active.set(key, (this.#active.get(key) ?? 0) + 1)
  }

  #give (key: string): void {
    const left = (this.#active.get(key) ?? 1) - 1
    if (left <= 0) this.#active.delete(key)
    else this.#active.set(key, left)
  }

  async #seed (): Promise<void> {
    for (const record of await this.#init.recorded?.() ?? []) {
      const tally = this.#requests.get(record.request) ?? { deliveries: 0, bytes: 0 }
      tally.deliveries++
      tally.bytes += record.clips.reduce((n, c) => n + c.ciphertextSize, 0)
      this.#requests.set(record.request, tally)
    }
  }

  async #freeBytes (): Promise<number> {
    const { bavail, bsize } = await this.#statfs(this.#init.root)
    return Number(bavail) * Number(bsize)
  }
}

type SenderKey = { active: string, scope: 'peer' | 'address' | 'relay', quota: DeliveryQuota }

function senderKeys (sender: Sender, limits: FootageLimits): SenderKey[] {
  const keys: SenderKey[] = [{ active: `peer:${sender.peer}`, scope: 'peer', quota: limits.perSender }]
  if (sender.address !== undefined) keys.push({ active: `address:${sender.address}`, scope: 'address', quota: limits.perSender })
  if (sender.relay !== undefined) keys.push({ active: `relay:${sender.relay}`, scope: 'relay', quota: limits.perRequest })
  return keys
}

function check (tally: Tally, bytes: number, quota: DeliveryQuota, scope: string): void {
  if (tally.deliveries + 1 > quota.deliveries) throw new DeliveryQuotaExceededError({ scope, unit: 'deliveries', limit: quota.deliveries, value: tally.deliveries + 1 })
  if (tally.bytes + bytes > quota.bytes) throw new DeliveryQuotaExceededError({ scope, unit: 'bytes', limit: quota.bytes, value: tally.bytes + bytes })
}
