// What the auditor takes from the chain, and only from the chain: every agency's registry history (so a
// request is judged by the jurisdiction and status the agency had when it was issued) and every anchor with
// its block time and transaction. The agency's own words about itself are never an input here.
import { getAddress, type Log } from 'ethers'
import type { ChainClient } from '../chain/index.js'
import { agencyRegistryInterface, auditAnchorInterface, uint64ToCell, type AgencyStatus } from '../chain/index.js'

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
    const s = this.at(t)
    return s.status === 'active' && t <= s.validUntil
  }
}

export interface ChainView {
  chainId: number
  /** The AgencyRegistry address: the EIP-712 domain's verifying contract. */
  registry: string
  /** Unix seconds of the latest block (the audit's clock for cadence and retention). */
  now: number
  anchors: Map<string, AnchorRecord[]>
  agencies: Map<string, AgencyHistory>
  /** An agency's history (an empty one when the registry never named it). */
  history (agency: string): AgencyHistory
}

/** Reads the registry's and the anchor contract's events from the deployment block to the latest block. */
export async function loadChainView (client: ChainClient): Promise<ChainView> {
  const { deployment, provider } = client
  const latest = await provider.getBlock('latest')
  if (latest === null) throw new Error('the chain has no latest block')
  const logs = await provider.getLogs({
    address: [deployment.contracts.AgencyRegistry, deployment.contracts.AuditAnchor],
    fromBlock: deployment.deployBlock ?? 0,
    toBlock: latest.number
  })
  const times = new Map<number, number>()
  for (const n of new Set(logs.map((l) => l.blockNumber))) times.set(n, (await provider.getBlock(n))!.timestamp)
  const anchors = new Map<string, AnchorRecord[]>()
  const agencies = new Map<string, AgencyHistory>()
  const historyOf = (a: string): AgencyHistory => {
    const address = getAddress(a)
    let h = agencies.get(address)
    if (h === undefined) agencies.set(address, h = new AgencyHistory(address))
    return h
  }
  const registryAddress = deployment.contracts.AgencyRegistry.toLowerCase()
  for (const log of logs) {
    const at = times.get(log.blockNumber)!
    const parsed = parseLog(log, log.address.toLowerCase() === registryAddress)
    if (parsed === null) continue
    const args = parsed.args
    switch (parsed.name) {
      case 'Anchored': {
        const agency = getAddress(args[0] as string)
        const list = anchors.get(agency) ?? []
        list.push({ treeSize: Number(args[1]), root: (args[2] as string).toLowerCase(), transactionHash: log.transactionHash, blockNumber: log.blockNumber, anchoredAt: at })
        anchors.set(agency, list)
        break
      }
      case 'AgencyRegistered':
      case 'AgencyUpdated':
        // An update keeps the status (a suspended agency stays suspended); registering makes it active.
        historyOf(args[0] as string).push(at, {
          ...(parsed.name === 'AgencyRegistered' ? { status: 'active' as const } : {}),
          name: args[1] as string, cells: (args[2] as bigint[]).map(uint64ToCell), validUntil: Number(args[3])
        })
        break
      case 'AgencySuspended': historyOf(args[0] as string).push(at, { status: 'suspended' }); break
      case 'AgencyReinstated': historyOf(args[0] as string).push(at, { status: 'active' }); break
      case 'AgencyRevoked': historyOf(args[0] as string).push(at, { status: 'revoked' }); break
    }
  }
  return {
    chainId: deployment.chainId,
    registry: deployment.contracts.AgencyRegistry,
    now: latest.timestamp,
    anchors,
    agencies,
    history: (a) => agencies.get(getAddress(a)) ?? new AgencyHistory(getAddress(a))
  }
}

function parseLog (log: Log, fromRegistry: boolean): ReturnType<typeof auditAnchorInterface.parseLog> {
  try {
    return (fromRegistry ? agencyRegistryInterface : auditAnchorInterface).parseLog(log)
  } catch {
    return null
  }
}
