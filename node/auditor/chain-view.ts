// What the auditor takes from the chain, and only from the chain: every agency's registry history (so a
// request is judged by the jurisdiction and status the agency had when it was issued) and every anchor with
// its block time and transaction. The agency's own words about itself are never an input here.
import { getAddress, type Log } from 'ethers'
import type { ChainClient } from '../chain/index.js'
import { agencyRegistryInterface, auditAnchorInterface, isActiveRecord, uint64ToCell, type AgencyStatus } from '../chain/index.js'

export interface AnchorRecord {
  treeSize: number
  /** 0x hex. */
  root: string
  transactionHash: string
  blockNumber: number
  /** Unix seconds of the anchoring block. */
  anchoredAt: number
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
  #nextBlock: number
  /** The last block read, to tell a reorg below it. */
  #lastRead: { number: number, hash: string } | undefined
  /** How often the follower had to read everything again after a reorg deeper than its depth. */
  rereads = 0

  constructor (client: ChainClient) {
    this.#client = client
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
      this.#nextBlock = deployment.deployBlock ?? 0
      this.rereads++
    }
    if (latest.number >= this.#nextBlock) {
      const logs = await provider.getLogs({
        address: [deployment.contracts.AgencyRegistry, deployment.contracts.AuditAnchor],
        fromBlock: this.#nextBlock,
        toBlock: latest.number
      })
      const times = new Map<number, number>()
      for (const n of new Set(logs.map((l) => l.blockNumber))) times.set(n, (await provider.getBlock(n))!.timestamp)
      for (const log of logs) this.#apply(log, times.get(log.blockNumber)!)
      this.#nextBlock = latest.number + 1
      this.#lastRead = { number: latest.number, hash: latest.hash! }
    }
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

  #apply (log: Log, at: number): void {
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
export async function loadChainView (client: ChainClient): Promise<ChainView> {
  return await new ChainFollower(client).load()
}

function parseLog (log: Log, fromRegistry: boolean): ReturnType<typeof auditAnchorInterface.parseLog> {
  try {
    return (fromRegistry ? agencyRegistryInterface : auditAnchorInterface).parseLog(log)
  } catch {
    return null
  }
}
