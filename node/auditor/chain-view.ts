// What the auditor takes from the chain, and only from the chain: every agency's registry history (so a
// request is judged by the jurisdiction and status the agency had when it was issued) and every anchor with
// its block time and transaction. The agency's own words about itself are never an input here.
import { getAddress, type Log } from 'ethers'
import type { ChainClient } from '../chain/index.js'
import {
  agencyRegistryInterface, anchorRelayInterface, auditAnchorInterface, checkRelayedAnchor, isActiveRecord, uint64ToCell,
  type AgencyStatus, type BatchEvent, type RelayedAnchor, type RelayedAnchorProblem
} from '../chain/index.js'

export interface AnchorRecord {
  treeSize: number
  /** 0x hex. */
  root: string
  transactionHash: string
  blockNumber: number
  /** Unix seconds of the anchoring block. */
  anchoredAt: number
  /** 'relay': the agency's signed checkpoint under a relayer's batch root (checked off chain); else its own anchor. */
  via?: 'relay'
}

/**
 * Where an auditor gets an agency's relayed checkpoints with their inclusion proofs: a relayer's
 * `GET /api/relay/anchors/:agency`, or the agency's own copy. The chain holds only the batch roots.
 */
export type RelayedAnchorSource = (agency: string) => Promise<RelayedAnchor[]>

/** A relayed checkpoint that did not count, and why ('not-active': the agency was not at the batch's time). */
export interface RejectedRelayedAnchor {
  agency: string
  treeSize: number
  transactionHash: string
  problem: RelayedAnchorProblem | 'not-active'
}

/** The registry's record of an agency at one moment. */
export interface AgencyState {
  status: AgencyStatus
  name: string
  cells: string[]
  validUntil: number
}

interface RegistryChange { at: number, change: Partial<AgencyState> }

/** An agency's registry record through time, rebuilt from the registry's events. */
export class AgencyHistory {
  readonly address: string
  readonly #changes: RegistryChange[] = []

  constructor (address: string) {
    this.address = address
  }

  /** Adds an event's change (in chain order). */
  push (at: number, change: Partial<AgencyState>): void {
    this.#changes.push({ at, change })
  }

  /** The record in force at unix second `t` (status `none` before registration). */
  at (t: number): AgencyState {
    let state: AgencyState = { status: 'none', name: '', cells: [], validUntil: 0 }
    for (const { at, change } of this.#changes) {
      if (at > t) break
      state = { ...state, ...change }
    }
    return state
  }

  /** Active and within its validity at `t`. */
  isActiveAt (t: number): boolean {
    return isActiveRecord(this.at(t), t)
  }
}

export interface ChainView {
  chainId: number
  /** The AgencyRegistry address: the EIP-712 domain's verifying contract. */
  registry: string
  /**
   * Unix seconds of the latest confirmed block (the head less the client's `confirmations`). A pass's clock
   * is the later of this and the wall clock less `lagSeconds` (audit-agency.ts).
   */
  now: number
  /**
   * How far the confirmed block's time is behind the head's: an anchor mined now is seen only this much later,
   * so the wall clock is held back by it, or an honest agency's anchor still confirming would look late.
   */
  lagSeconds?: number
  anchors: Map<string, AnchorRecord[]>
  agencies: Map<string, AgencyHistory>
  /** An agency's history (an empty one when the registry never named it). */
  history (agency: string): AgencyHistory
}

/**
 * Follows the registry's and the anchor contract's events: the first `load` reads from the deployment block,
 * each later one only the blocks since (a pass over a long-lived chain does not re-read its history).
 * It reads confirmed blocks only (the client's `confirmations` below the head), so a reorg within that depth
 * never reaches a rule. A deeper one (the last block read is no longer on the chain) makes it read everything
 * again from the deployment block.
 */
export class ChainFollower {
  readonly #client: ChainClient
  readonly #anchors = new Map<string, AnchorRecord[]>()
  readonly #agencies = new Map<string, AgencyHistory>()
  /** BatchAnchored events by transaction and root, with their block time. */
  readonly #batches = new Map<string, BatchEvent & { at: number }>()
  readonly #relayed: RelayedAnchorSource | undefined
  /** Relayed checkpoints already judged (by batch transaction and leaf index), so each is judged once. */
  readonly #relayedSeen = new Set<string>()
  /** Relayed checkpoints that did not count, newest last (at most 1,024 kept). */
  readonly rejectedRelayed: RejectedRelayedAnchor[] = []
  /** Reads of a relayed source that failed (the next pass asks again). */
  relayedUnavailable = 0
  #nextBlock: number
  /** The last block read, to tell a reorg below it. */
  #lastRead: { number: number, hash: string } | undefined
  /** How often the follower had to read everything again after a reorg deeper than its depth. */
  rereads = 0

  constructor (client: ChainClient, relayed?: RelayedAnchorSource) {
    this.#client = client
    this.#relayed = relayed
    this.#nextBlock = client.deployment.deployBlock ?? 0
  }

  async load (): Promise<ChainView> {
    const { deployment, provider } = this.#client
    const head = await provider.getBlock('latest')
    if (head === null) throw new Error('the chain has no latest block')
    const latest = head.number <= this.#client.confirmations ? await provider.getBlock(0) : await provider.getBlock(head.number - this.#client.confirmations)
    if (latest === null) throw new Error('the chain has no confirmed block')
    if (this.#lastRead !== undefined && (await provider.getBlock(this.#lastRead.number))?.hash !== this.#lastRead.hash) {
      this.#anchors.clear()
      this.#agencies.clear()
      this.#batches.clear()
      this.#relayedSeen.clear()
      this.#nextBlock = deployment.deployBlock ?? 0
      this.rereads++
    }
    if (latest.number >= this.#nextBlock) {
      const logs = await provider.getLogs({
        address: [deployment.contracts.AgencyRegistry, deployment.contracts.AuditAnchor, ...(deployment.contracts.AnchorRelay === undefined ? [] : [deployment.contracts.AnchorRelay])],
        fromBlock: this.#nextBlock,
        toBlock: latest.number
      })
      const times = new Map<number, number>()
      for (const n of new Set(logs.map((l) => l.blockNumber))) times.set(n, (await provider.getBlock(n))!.timestamp)
      for (const log of logs) this.#apply(log, times.get(log.blockNumber)!)
      this.#nextBlock = latest.number + 1
      this.#lastRead = { number: latest.number, hash: latest.hash! }
    }
    if (this.#relayed !== undefined) await this.#addRelayed(this.#relayed)
    const anchors = new Map([...this.#anchors].map(([a, list]) => [a, [...list]]))
    const agencies = this.#agencies
    return {
      chainId: deployment.chainId,
      registry: deployment.contracts.AgencyRegistry,
      now: latest.timestamp,
      lagSeconds: head.timestamp - latest.timestamp,
      anchors,
      agencies: new Map(agencies),
      history: (a) => agencies.get(getAddress(a)) ?? new AgencyHistory(getAddress(a))
    }
  }

  #historyOf (a: string): AgencyHistory {
    const address = getAddress(a)
    let h = this.#agencies.get(address)
    if (h === undefined) this.#agencies.set(address, h = new AgencyHistory(address))
    return h
  }

  /**
   * Judges each agency's relayed checkpoints not judged yet, appending those that count to its anchors: in a
   * confirmed batch, proven under its root, signed by the agency, the agency active at the batch's time, and
   * larger than what the agency had anchored (an equal size with another root is kept: the tiles' root then
   * shows the fork). Appended in the order learned, so the list stays in size order as the rules expect.
   */
  async #addRelayed (source: RelayedAnchorSource): Promise<void> {
    const domain = this.#client.relayDomain
    if (domain === undefined) return
    for (const agency of this.#agencies.keys()) {
      let items: RelayedAnchor[]
      try {
        items = await source(agency)
      } catch {
        this.relayedUnavailable++
        continue
      }
      for (const item of items) {
        if (getAddress(item.anchor.agency) !== agency) continue
        const key = `${item.batch.transactionHash.toLowerCase()}:${item.batch.index}`
        if (this.#relayedSeen.has(key)) continue
        const batch = this.#batches.get(`${item.batch.transactionHash.toLowerCase()}:${item.batch.root.toLowerCase()}`)
        // Not confirmed yet (or never on chain): asked again next pass; a relayer serves a bounded list.
        if (batch === undefined) continue
        this.#relayedSeen.add(key)
        const problem = checkRelayedAnchor(domain, item, batch) ?? (this.#historyOf(agency).isActiveAt(batch.at) ? undefined : 'not-active')
        if (problem !== undefined) {
          this.rejectedRelayed.push({ agency, treeSize: item.anchor.treeSize, transactionHash: batch.transactionHash, problem })
          if (this.rejectedRelayed.length > 1024) this.rejectedRelayed.shift()
          continue
        }
        const list = this.#anchors.get(agency) ?? []
        const last = list.at(-1)
        const root = item.anchor.root.toLowerCase()
        if (last !== undefined && (item.anchor.treeSize < last.treeSize || (item.anchor.treeSize === last.treeSize && root === last.root))) continue
        list.push({ treeSize: item.anchor.treeSize, root, transactionHash: batch.transactionHash, blockNumber: batch.blockNumber, anchoredAt: batch.at, via: 'relay' })
        this.#anchors.set(agency, list)
      }
    }
  }

  #apply (log: Log, at: number): void {
    if (log.address.toLowerCase() === this.#client.deployment.contracts.AnchorRelay?.toLowerCase()) {
      let parsed
      try { parsed = anchorRelayInterface.parseLog(log) } catch { parsed = null }
      if (parsed?.name !== 'BatchAnchored') return
      const batch = { relayer: getAddress(parsed.args[0] as string), root: (parsed.args[1] as string).toLowerCase(), count: Number(parsed.args[2]), transactionHash: log.transactionHash.toLowerCase(), blockNumber: log.blockNumber, logIndex: log.index, at }
      this.#batches.set(`${batch.transactionHash}:${batch.root}`, batch)
      return
    }
    const fromRegistry = log.address.toLowerCase() === this.#client.deployment.contracts.AgencyRegistry.toLowerCase()
    const parsed = parseLog(log, fromRegistry)
    if (parsed === null) return
    const args = parsed.args
    switch (parsed.name) {
      case 'Anchored': {
        const agency = getAddress(args[0] as string)
        const list = this.#anchors.get(agency) ?? []
        list.push({ treeSize: Number(args[1]), root: (args[2] as string).toLowerCase(), transactionHash: log.transactionHash, blockNumber: log.blockNumber, anchoredAt: at })
        this.#anchors.set(agency, list)
        break
      }
      case 'AgencyRegistered':
      case 'AgencyUpdated':
        // An update keeps the status (a suspended agency stays suspended); registering makes it active.
        this.#historyOf(args[0] as string).push(at, {
          ...(parsed.name === 'AgencyRegistered' ? { status: 'active' as const } : {}),
          name: args[1] as string, cells: (args[2] as bigint[]).map(uint64ToCell), validUntil: Number(args[3])
        })
        break
      case 'AgencySuspended': this.#historyOf(args[0] as string).push(at, { status: 'suspended' }); break
      case 'AgencyReinstated': this.#historyOf(args[0] as string).push(at, { status: 'active' }); break
      case 'AgencyRevoked': this.#historyOf(args[0] as string).push(at, { status: 'revoked' }); break
    }
  }
}

/** The chain's registry history and anchors, read once from the deployment block. */
export async function loadChainView (client: ChainClient, relayed?: RelayedAnchorSource): Promise<ChainView> {
  return await new ChainFollower(client, relayed).load()
}

/**
 * Relayed checkpoints read from relayers' HTTP APIs (`GET <url>/api/relay/anchors/<agency>`), all of them:
 * an auditor need not trust any one relayer, since every leaf is checked against the chain.
 */
export function relayedAnchorsFrom (urls: readonly string[], fetchFn: typeof fetch = fetch): RelayedAnchorSource {
  return async (agency) => {
    const lists = await Promise.allSettled(urls.map(async (url) => {
      const res = await fetchFn(new URL(`/api/relay/anchors/${getAddress(agency)}`, url), { signal: AbortSignal.timeout(10_000) })
      if (!res.ok) throw new Error(`relayer ${url} answered ${res.status}`)
      const body = await res.json() as { items?: unknown }
      return Array.isArray(body.items) ? body.items.filter(isRelayedAnchor) : []
    }))
    // One relayer down costs only its own batches; all of them down is a failed read, counted by the follower.
    if (urls.length > 0 && lists.every((l) => l.status === 'rejected')) throw (lists[0] as PromiseRejectedResult).reason
    return lists.flatMap((l) => l.status === 'fulfilled' ? l.value : [])
  }
}

const hex = (n: number): RegExp => new RegExp(`^0x[0-9a-fA-F]{${n}}$`)

/** The shape of a relayed checkpoint a relayer serves; what it claims is checked against the chain later. */
function isRelayedAnchor (x: unknown): x is RelayedAnchor {
  const v = x as Partial<RelayedAnchor> | null
  const a = v?.anchor
  const b = v?.batch
  return typeof a === 'object' && a !== null && typeof b === 'object' && b !== null &&
    typeof a.agency === 'string' && hex(40).test(a.agency) && Number.isSafeInteger(a.treeSize) && a.treeSize > 0 &&
    [a.root, a.r, a.vs, b.root, b.transactionHash].every((h) => typeof h === 'string' && hex(64).test(h)) &&
    Number.isSafeInteger(b.count) && Number.isSafeInteger(b.index) && Number.isSafeInteger(b.blockNumber) &&
    Array.isArray(b.proof) && b.proof.length <= 64 && b.proof.every((h) => typeof h === 'string' && hex(64).test(h))
}

function parseLog (log: Log, fromRegistry: boolean): ReturnType<typeof auditAnchorInterface.parseLog> {
  try {
    return (fromRegistry ? agencyRegistryInterface : auditAnchorInterface).parseLog(log)
  } catch {
    return null
  }
}
