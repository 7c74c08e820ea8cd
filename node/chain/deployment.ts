// The deployment file: where a chain is and where the contracts live on it. `porchlight chain` writes it;
// every command that talks to the chain reads it.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { isAddress, getAddress } from 'ethers'
import { PorchlightError } from '../../protocol/errors.js'

/** Where the council lives on a chain (the deployment file's `council`). */
export interface CouncilAddresses {
  /** The council's Safe: the timelock's proposer (and canceller). */
  safe: string
  /** The guardian Safe: suspends and revokes at once, and may cancel a scheduled change. */
  guardian: string
  /** The TimelockController that holds the registries' admin and registrar roles. */
  timelock: string
  /** The timelock's minimum delay: the public notice period, in seconds. */
  noticeSeconds: number
}

export interface ContractAddresses {
  AgencyRegistry: string
  AuditAnchor: string
  WitnessRegistry: string
  /** The relayer path's contract (issue 21); deployments made before it have none. */
  AnchorRelay?: string
}

export interface Deployment {
  /** JSON-RPC URL of the chain. */
  rpc: string
  chainId: number
  contracts: ContractAddresses
  /** The block the contracts were deployed in; event queries start there. */
  deployBlock?: number
  /** The council that governs the registries (absent: one key governs them, an older or test-only chain). */
  council?: CouncilAddresses
}

/** The contracts a deployment names, all required. */
export const contractKeys = ['AgencyRegistry', 'AuditAnchor', 'WitnessRegistry'] as const satisfies ReadonlyArray<keyof ContractAddresses>

/** The default deployment file, relative to the working directory. */
export const defaultDeploymentPath = '.porchlight/chain.json'

export class InvalidDeploymentError extends PorchlightError {
  static override readonly code = 'INVALID_DEPLOYMENT'
  static override readonly status = 500
  constructor (shortMessage: string, details: Record<string, unknown>, cause?: unknown) {
    super(InvalidDeploymentError.code, shortMessage, { details, cause })
    this.name = 'InvalidDeploymentError'
  }
}

/** Checks and normalizes a parsed deployment file (checksummed addresses). */
export function toDeployment (value: unknown): Deployment {
  const v = value as Partial<Deployment> | null
  if (typeof v !== 'object' || v === null) throw new InvalidDeploymentError('deployment is not an object', {})
  if (typeof v.rpc !== 'string' || !/^https?:\/\//.test(v.rpc)) throw new InvalidDeploymentError('rpc must be an http(s) URL', { field: 'rpc', value: v.rpc })
  if (!Number.isSafeInteger(v.chainId) || (v.chainId as number) <= 0) throw new InvalidDeploymentError('chainId must be a positive integer', { field: 'chainId', value: v.chainId })
  const contracts = v.contracts as Partial<ContractAddresses> | undefined
  for (const name of contractKeys) {
    const address = contracts?.[name]
    if (typeof address !== 'string' || !isAddress(address)) throw new InvalidDeploymentError(`contracts.${name} must be an address`, { field: `contracts.${name}`, value: address })
  }
  if (v.deployBlock !== undefined && (!Number.isSafeInteger(v.deployBlock) || v.deployBlock < 0)) throw new InvalidDeploymentError('deployBlock must be a block number', { field: 'deployBlock', value: v.deployBlock })
  const council = v.council as Partial<CouncilAddresses> | undefined
  if (council !== undefined) {
    for (const name of ['safe', 'guardian', 'timelock'] as const) {
      if (typeof council[name] !== 'string' || !isAddress(council[name])) throw new InvalidDeploymentError(`council.${name} must be an address`, { field: `council.${name}`, value: council[name] })
    }
    if (!Number.isSafeInteger(council.noticeSeconds) || (council.noticeSeconds as number) < 0) throw new InvalidDeploymentError('council.noticeSeconds must be a whole number of seconds', { field: 'council.noticeSeconds', value: council.noticeSeconds })
  }
  return {
    rpc: v.rpc,
    chainId: v.chainId as number,
    contracts: {
      AgencyRegistry: getAddress(contracts!.AgencyRegistry!),
      AuditAnchor: getAddress(contracts!.AuditAnchor!),
      WitnessRegistry: getAddress(contracts!.WitnessRegistry!),
      ...(contracts?.AnchorRelay === undefined ? {} : { AnchorRelay: checkedAddress(contracts.AnchorRelay, 'contracts.AnchorRelay') })
    },
    ...(v.deployBlock === undefined ? {} : { deployBlock: v.deployBlock }),
    ...(council === undefined ? {} : { council: { safe: getAddress(council.safe!), guardian: getAddress(council.guardian!), timelock: getAddress(council.timelock!), noticeSeconds: council.noticeSeconds! } })
  }
}

function checkedAddress (value: unknown, field: string): string {
  if (typeof value !== 'string' || !isAddress(value)) throw new InvalidDeploymentError(`${field} must be an address`, { field, value })
  return getAddress(value)
}

export async function readDeployment (path: string): Promise<Deployment> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new InvalidDeploymentError('cannot read the deployment file (start a chain with `porchlight chain`)', { path }, err)
  }
  try {
    return toDeployment(JSON.parse(text))
  } catch (err) {
    if (err instanceof InvalidDeploymentError) { err.details.path = path; throw err }
    throw new InvalidDeploymentError('the deployment file is not JSON', { path }, err)
  }
}

export async function writeDeployment (path: string, deployment: Deployment): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, JSON.stringify(toDeployment(deployment), null, 2) + '\n')
}
