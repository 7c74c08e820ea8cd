// The council of people (issue 21): a Safe whose owners are the council's members, acting through
// OpenZeppelin's TimelockController, holds the registries' admin and registrar roles; a second Safe with a
// lower threshold, the guardian, holds the role that suspends and revokes at once. A change is a proposal:
// one member proposes it (a Safe transaction, signed), the others approve (each signs with their own key),
// anyone executes it once the Safe's threshold is met — which, on the notice path, only schedules the call
// on the timelock — and anyone executes the scheduled call once the notice period has passed.
//
// Approvals are EIP-712 signatures of the Safe transaction hash, collected in the proposal file (as the Safe
// web app collects them in its transaction service): a member needs no gas to approve, and the file is the
// whole record of who approved what. See docs/contracts.md, "The council".
import { Contract, Interface, TypedDataEncoder, Wallet, ZeroAddress, ZeroHash, getAddress, hexlify, randomBytes, type JsonRpcProvider, type Signer, type TransactionReceipt } from 'ethers'
import { PorchlightError } from '../../protocol/errors.js'
import { agencyRegistryInterface, safeArtifact, timelockArtifact, timelockInterface, witnessRegistryInterface } from './artifacts.js'
import { uint64ToCell } from './agency-info.js'
import type { CouncilAddresses, Deployment } from './deployment.js'
import { devAccounts, devCouncilSize } from './dev-accounts.js'
import { toChainError } from './errors.js'
import type { PendingChange } from '../../protocol/api/council.js'

export type { PendingChange }

export type { CouncilAddresses } from './deployment.js'

/** The registry methods that act at once through the guardian; every other change waits the notice period. */
export const immediateMethods: ReadonlySet<string> = new Set(['suspend', 'revoke'])

export type CouncilPath = 'notice' | 'immediate'

/** A Safe transaction as Safe 1.x hashes it (EIP-712 `SafeTx`); numbers as decimal strings. */
export interface SafeTx {
  to: string
  value: string
  data: string
  operation: 0 | 1
  safeTxGas: string
  baseGas: string
  gasPrice: string
  gasToken: string
  refundReceiver: string
  nonce: string
}

/** What `council propose` writes, `approve` signs and `execute` sends. */
export interface CouncilProposal {
  format: 'porchlight-council-proposal/1'
  chainId: number
  /** What is decided, in words: the registry call decoded (cells as H3 strings). */
  action: { contract: 'AgencyRegistry' | 'WitnessRegistry', method: string, args: Record<string, unknown> }
  path: CouncilPath
  /** The call that changes the registry in the end. */
  call: { to: string, data: string }
  /** On the notice path: the timelock operation (`hashOperation(to, 0, data, predecessor, salt)` is `id`). */
  timelock?: { address: string, predecessor: string, salt: string, delay: number, id: string }
  /** The Safe whose owners approve: the council's on the notice path, the guardian's on the immediate one. */
  safe: string
  safeTx: SafeTx
  safeTxHash: string
  /** Owners' EIP-712 signatures of `safeTxHash`. */
  signatures: Array<{ signer: string, signature: string }>
}

export const safeTxTypes = {
  SafeTx: [
    { name: 'to', type: 'address' }, { name: 'value', type: 'uint256' }, { name: 'data', type: 'bytes' },
    { name: 'operation', type: 'uint8' }, { name: 'safeTxGas', type: 'uint256' }, { name: 'baseGas', type: 'uint256' },
    { name: 'gasPrice', type: 'uint256' }, { name: 'gasToken', type: 'address' }, { name: 'refundReceiver', type: 'address' },
    { name: 'nonce', type: 'uint256' }
  ]
}

export function hashSafeTx (chainId: number, safe: string, tx: SafeTx): string {
  return TypedDataEncoder.hash({ chainId, verifyingContract: safe }, safeTxTypes, tx)
}

export class CouncilError extends PorchlightError {
  static override readonly code: string = 'COUNCIL_ERROR'
  static override readonly status: number = 409
}

/** The deployment names no council: its registries are governed by one key (an older or test chain). */
export class CouncilNotDeployedError extends CouncilError {
  static override readonly code = 'COUNCIL_NOT_DEPLOYED'
  static override readonly status = 404
  constructor () {
    super(CouncilNotDeployedError.code, 'this deployment has no council (Safe + timelock)')
    this.name = 'CouncilNotDeployedError'
  }
}

/** The proposal file does not hold together (edited, or of another chain or Safe). */
export class CouncilProposalInvalidError extends CouncilError {
  static override readonly code = 'COUNCIL_PROPOSAL_INVALID'
  static override readonly status = 400
  constructor (reason: string) {
    super(CouncilProposalInvalidError.code, `invalid proposal: ${reason}`, { details: { reason } })
    this.name = 'CouncilProposalInvalidError'
  }
}

/** The key that would approve is not an owner of the proposal's Safe. */
export class CouncilNotOwnerError extends CouncilError {
  static override readonly code = 'COUNCIL_NOT_OWNER'
  static override readonly status = 403
  constructor (signer: string, safe: string) {
    super(CouncilNotOwnerError.code, `${signer} is not an owner of the Safe ${safe}`, { details: { signer, safe } })
    this.name = 'CouncilNotOwnerError'
  }
}

/** Fewer owners have approved than the Safe's threshold. */
export class CouncilApprovalsMissingError extends CouncilError {
  static override readonly code = 'COUNCIL_APPROVALS_MISSING'
  constructor (have: number, need: number) {
    super(CouncilApprovalsMissingError.code, `${have} of ${need} approvals`, { details: { have, need } })
    this.name = 'CouncilApprovalsMissingError'
  }
}

/** The change is scheduled and its notice period has not passed: executing early is refused. */
export class CouncilNoticePendingError extends CouncilError {
  static override readonly code = 'COUNCIL_NOTICE_PENDING'
  constructor (readonly readyAt: number) {
    super(CouncilNoticePendingError.code, `the notice period runs until ${new Date(readyAt * 1000).toISOString()}`, { details: { readyAt } })
    this.name = 'CouncilNoticePendingError'
  }
}

/** The proposal was executed already, cancelled, or overtaken by another at the same Safe nonce. */
export class CouncilProposalClosedError extends CouncilError {
  static override readonly code = 'COUNCIL_PROPOSAL_CLOSED'
  constructor (state: string) {
    super(CouncilProposalClosedError.code, `the proposal is ${state}`, { details: { state } })
    this.name = 'CouncilProposalClosedError'
  }
}

function safeAt (address: string, runner: Signer | JsonRpcProvider): Contract {
  return new Contract(address, safeArtifact.abi, runner)
}

function timelockAt (address: string, runner: Signer | JsonRpcProvider): Contract {
  return new Contract(address, timelockArtifact.abi, runner)
}

export function requireCouncil (deployment: Deployment): CouncilAddresses {
  if (deployment.council === undefined) throw new CouncilNotDeployedError()
  return deployment.council
}

function jsonArg (value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (Array.isArray(value)) return value.map(jsonArg)
  return value
}

/** Decodes a registry call into words; cells become H3 strings. Undefined for any other call. */
export function describeCall (deployment: Deployment, call: { to: string, data: string }): CouncilProposal['action'] | undefined {
  const contract = getAddress(call.to) === getAddress(deployment.contracts.AgencyRegistry)
    ? 'AgencyRegistry'
    : getAddress(call.to) === getAddress(deployment.contracts.WitnessRegistry) ? 'WitnessRegistry' : undefined
  if (contract === undefined) return undefined
  const iface: Interface = contract === 'AgencyRegistry' ? agencyRegistryInterface : witnessRegistryInterface
  let parsed
  try { parsed = iface.parseTransaction({ data: call.data }) } catch { return undefined }
  if (parsed === null) return undefined
  const args: Record<string, unknown> = {}
  parsed.fragment.inputs.forEach((input, i) => {
    const value = parsed.args[i] as unknown
    args[input.name] = input.name === 'cells' ? (value as bigint[]).map(uint64ToCell) : jsonArg(value)
  })
  return { contract, method: parsed.name, args }
}

/**
 * Builds a proposal for one registry call: simulated first as the account that will make it (the timelock,
 * or the guardian Safe), so a call the registry would refuse fails now, with the registry's own error,
 * rather than after the notice period.
 */
export async function proposeCall (provider: JsonRpcProvider, deployment: Deployment, call: { to: string, data: string }, opts: { salt?: string } = {}): Promise<CouncilProposal> {
  const council = requireCouncil(deployment)
  const action = describeCall(deployment, call)
  if (action === undefined) throw new CouncilProposalInvalidError('the call is not a registry method')
  const path: CouncilPath = immediateMethods.has(action.method) ? 'immediate' : 'notice'
  const caller = path === 'immediate' ? council.guardian : council.timelock
  try {
    await provider.call({ from: caller, to: call.to, data: call.data })
  } catch (err) {
    throw toChainError(err, deployment.rpc)
  }
  const safe = getAddress(path === 'immediate' ? council.guardian : council.safe)
  let timelock: CouncilProposal['timelock']
  let inner = call
  if (path === 'notice') {
    const salt = opts.salt ?? hexlify(randomBytes(32))
    const id = await timelockAt(council.timelock, provider).getFunction('hashOperation')(call.to, 0, call.data, ZeroHash, salt) as string
    timelock = { address: getAddress(council.timelock), predecessor: ZeroHash, salt, delay: council.noticeSeconds, id }
    inner = { to: council.timelock, data: timelockInterface.encodeFunctionData('schedule', [call.to, 0, call.data, ZeroHash, salt, council.noticeSeconds]) }
  }
  const nonce = await safeAt(safe, provider).getFunction('nonce')() as bigint
  const safeTx: SafeTx = {
    to: getAddress(inner.to), value: '0', data: inner.data, operation: 0, safeTxGas: '0', baseGas: '0', gasPrice: '0',
    gasToken: ZeroAddress, refundReceiver: ZeroAddress, nonce: nonce.toString()
  }
  return {
    format: 'porchlight-council-proposal/1',
    chainId: deployment.chainId,
    action,
    path,
    call: { to: getAddress(call.to), data: call.data },
    ...(timelock === undefined ? {} : { timelock }),
    safe,
    safeTx,
    safeTxHash: hashSafeTx(deployment.chainId, safe, safeTx),
    signatures: []
  }
}

/** Checks that a proposal read from a file holds together for this deployment (nothing edited by hand). */
export function checkProposal (deployment: Deployment, proposal: CouncilProposal): void {
  const council = requireCouncil(deployment)
  if (proposal.format !== 'porchlight-council-proposal/1') throw new CouncilProposalInvalidError('unknown format')
  if (proposal.chainId !== deployment.chainId) throw new CouncilProposalInvalidError(`it is for chain ${proposal.chainId}`)
  const action = describeCall(deployment, proposal.call)
  if (action === undefined) throw new CouncilProposalInvalidError('the call is not a registry method')
  const path: CouncilPath = immediateMethods.has(action.method) ? 'immediate' : 'notice'
  if (path !== proposal.path) throw new CouncilProposalInvalidError('its path does not match its method')
  const safe = getAddress(path === 'immediate' ? council.guardian : council.safe)
  if (getAddress(proposal.safe) !== safe) throw new CouncilProposalInvalidError('it names another Safe')
  const expected = path === 'immediate'
    ? proposal.call
    : { to: council.timelock, data: proposal.timelock === undefined ? '0x' : timelockInterface.encodeFunctionData('schedule', [proposal.call.to, 0, proposal.call.data, proposal.timelock.predecessor, proposal.timelock.salt, proposal.timelock.delay]) }
  if (getAddress(proposal.safeTx.to) !== getAddress(expected.to) || proposal.safeTx.data !== expected.data || proposal.safeTx.value !== '0' || proposal.safeTx.operation !== 0) {
    throw new CouncilProposalInvalidError('its Safe transaction is not the call it describes')
  }
  if (hashSafeTx(deployment.chainId, safe, proposal.safeTx) !== proposal.safeTxHash) throw new CouncilProposalInvalidError('safeTxHash does not match')
}

/** Adds `member`'s approval (an EIP-712 signature of the Safe transaction); returns the updated proposal. */
export async function approveProposal (deployment: Deployment, proposal: CouncilProposal, member: Wallet): Promise<CouncilProposal> {
  checkProposal(deployment, proposal)
  const signer = getAddress(member.address)
  const provider = member.provider as JsonRpcProvider
  if (!(await safeAt(proposal.safe, provider).getFunction('isOwner')(signer) as boolean)) throw new CouncilNotOwnerError(signer, proposal.safe)
  const signature = await member.signTypedData({ chainId: proposal.chainId, verifyingContract: proposal.safe }, safeTxTypes, proposal.safeTx)
  const others = proposal.signatures.filter((s) => getAddress(s.signer) !== signer)
  return { ...proposal, signatures: [...others, { signer, signature }] }
}

export type ProposalState =
  | { state: 'approving', approvals: number, threshold: number }
  | { state: 'waiting', readyAt: number }
  | { state: 'ready', readyAt: number }
  | { state: 'done' }
  | { state: 'closed' }

/** Where a proposal stands on chain now. */
export async function proposalState (provider: JsonRpcProvider, proposal: CouncilProposal): Promise<ProposalState> {
  const safe = safeAt(proposal.safe, provider)
  if (proposal.timelock !== undefined) {
    const timelock = timelockAt(proposal.timelock.address, provider)
    // TimelockController.OperationState: Unset, Waiting, Ready, Done. Asked of the pending block, the one a
    // transaction sent now lands in: a chain that mines only on demand has an old `latest`.
    const state = Number(await timelock.getFunction('getOperationState')(proposal.timelock.id, { blockTag: 'pending' }))
    if (state === 3) return { state: 'done' }
    if (state === 1 || state === 2) {
      const readyAt = Number(await timelock.getFunction('getTimestamp')(proposal.timelock.id))
      return state === 2 ? { state: 'ready', readyAt } : { state: 'waiting', readyAt }
    }
  }
  const nonce = await safe.getFunction('nonce')() as bigint
  if (nonce > BigInt(proposal.safeTx.nonce)) return proposal.timelock === undefined ? { state: 'done' } : { state: 'closed' }
  const threshold = Number(await safe.getFunction('getThreshold')())
  return { state: 'approving', approvals: proposal.signatures.length, threshold }
}

export interface ExecuteResult {
  /** `scheduled`: the Safe scheduled the call on the timelock; `executed`: the registry changed. */
  step: 'scheduled' | 'executed'
  receipt: TransactionReceipt
  /** When a scheduled call may be executed (unix seconds). */
  readyAt?: number
}

/**
 * Takes the proposal's next step with `sender` paying the gas: the Safe transaction once the threshold is
 * met, then (notice path) the timelock's execution once the notice period has passed. Anyone may send
 * either; the approvals are what authorizes them.
 */
export async function executeProposal (deployment: Deployment, proposal: CouncilProposal, sender: Signer): Promise<ExecuteResult> {
  checkProposal(deployment, proposal)
  const provider = sender.provider as JsonRpcProvider
  const state = await proposalState(provider, proposal)
  try {
    if (state.state === 'waiting') throw new CouncilNoticePendingError(state.readyAt)
    if (state.state === 'done' || state.state === 'closed') throw new CouncilProposalClosedError(state.state)
    if (state.state === 'ready') {
      const t = proposal.timelock!
      const tx = await timelockAt(t.address, sender).getFunction('execute').send(proposal.call.to, 0, proposal.call.data, t.predecessor, t.salt)
      return { step: 'executed', receipt: (await tx.wait())! }
    }
    if (state.approvals < state.threshold) throw new CouncilApprovalsMissingError(state.approvals, state.threshold)
    if (proposal.path === 'immediate') {
      // Safe turns an inner revert into a bare GS013: simulate the inner call to name the registry's error.
      await provider.call({ from: proposal.safe, to: proposal.call.to, data: proposal.call.data })
    }
    // Safe wants the signatures ordered by owner address, ascending.
    const sorted = [...proposal.signatures].sort((a, b) => (BigInt(a.signer) < BigInt(b.signer) ? -1 : 1))
    const signatures = '0x' + sorted.map((s) => s.signature.slice(2)).join('')
    const t = proposal.safeTx
    const tx = await safeAt(proposal.safe, sender).getFunction('execTransaction').send(t.to, t.value, t.data, t.operation, t.safeTxGas, t.baseGas, t.gasPrice, t.gasToken, t.refundReceiver, signatures)
    const receipt = (await tx.wait())!
    if (proposal.timelock === undefined) return { step: 'executed', receipt }
    const readyAt = Number(await timelockAt(proposal.timelock.address, provider).getFunction('getTimestamp')(proposal.timelock.id))
    return { step: 'scheduled', receipt, readyAt }
  } catch (err) {
    throw toChainError(err, deployment.rpc)
  }
}

/**
 * The proposal as the Safe web app's Transaction Builder imports it (its JSON batch file, version 1.0), for
 * members who approve in the Safe app rather than with `porchlight council approve`.
 */
export function toSafeTxBuilderJson (proposal: CouncilProposal, createdAt = Date.now()): object {
  const { contract, method, args } = proposal.action
  return {
    version: '1.0',
    chainId: String(proposal.chainId),
    createdAt,
    meta: {
      name: `Porchlight council: ${contract}.${method}`,
      description: `${proposal.path === 'notice' ? 'Schedules on the timelock' : 'Calls at once'}: ${method}(${JSON.stringify(args)})`,
      txBuilderVersion: '1.16.5',
      createdFromSafeAddress: proposal.safe,
      createdFromOwnerAddress: ''
    },
    transactions: [{ to: proposal.safeTx.to, value: proposal.safeTx.value, data: proposal.safeTx.data, contractMethod: null, contractInputsValues: null }]
  }
}

/** Where to look for pending changes: the timelock, the registries its calls are decoded against, and the first block to read. */
export interface PendingSource {
  timelock: string
  contracts: Deployment['contracts']
  fromBlock?: number
}

/** Every change scheduled on the council's timelock and still pending, oldest first. */
export async function readPendingChanges (provider: JsonRpcProvider, source: PendingSource | Deployment): Promise<PendingChange[]> {
  const { timelock, contracts, fromBlock } = 'rpc' in source
    ? { timelock: requireCouncil(source).timelock, contracts: source.contracts, fromBlock: source.deployBlock }
    : source
  const decodeAs = { contracts } as Deployment
  const logs = await provider.getLogs({ address: timelock, fromBlock: fromBlock ?? 0, toBlock: 'latest' })
  const scheduled = new Map<string, PendingChange>()
  const closed = new Set<string>()
  for (const log of logs) {
    let parsed
    try { parsed = timelockInterface.parseLog(log) } catch { parsed = null }
    if (parsed === null) continue
    const id = parsed.args[0] as string
    if (parsed.name === 'CallExecuted' || parsed.name === 'Cancelled') closed.add(id)
    if (parsed.name !== 'CallScheduled') continue
    const call = { to: parsed.args[2] as string, data: parsed.args[4] as string }
    const block = await provider.getBlock(log.blockNumber)
    const scheduledAt = block!.timestamp
    scheduled.set(id, {
      id,
      action: describeCall(decodeAs, call) ?? { contract: 'unknown', method: call.data.slice(0, 10), args: { to: call.to } },
      readyAt: scheduledAt + Number(parsed.args[6]),
      scheduledAt,
      scheduledBlock: log.blockNumber,
      scheduledTx: log.transactionHash
    })
  }
  return [...scheduled.values()].filter((c) => !closed.has(c.id))
}

/**
 * The council's timelock as the AgencyRegistry itself says: the holder of its admin role (from its
 * RoleGranted and RoleRevoked events) that answers as a TimelockController. A node needs no file to find
 * it, only the registry it already trusts. Undefined on a registry governed by a plain key. `fromBlock` must
 * not be later than the registry's own deployment (a deployment file's deployBlock is the last contract's).
 */
export async function findCouncilTimelock (provider: JsonRpcProvider, registry: string, fromBlock = 0): Promise<{ timelock: string, noticeSeconds: number } | undefined> {
  const logs = await provider.getLogs({ address: registry, fromBlock, toBlock: 'latest', topics: [[agencyRegistryInterface.getEvent('RoleGranted')!.topicHash, agencyRegistryInterface.getEvent('RoleRevoked')!.topicHash], ZeroHash] })
  const admins = new Set<string>()
  for (const log of logs) {
    const parsed = agencyRegistryInterface.parseLog(log)
    if (parsed === null) continue
    const account = getAddress(parsed.args[1] as string)
    if (parsed.name === 'RoleGranted') admins.add(account)
    else admins.delete(account)
  }
  for (const admin of admins) {
    if (await provider.getCode(admin) === '0x') continue
    try {
      const delay = await timelockAt(admin, provider).getFunction('getMinDelay')() as bigint
      return { timelock: admin, noticeSeconds: Number(delay) }
    } catch {
      // Not a timelock: another kind of admin contract.
    }
  }
  return undefined
}

/** What ChainClient's registrar writes go through when the registries are governed by a council. */
export interface Registrar {
  /** Makes `call` take effect through the council, sending on `provider` (the client's own). */
  send (call: { to: string, data: string }, provider: JsonRpcProvider): Promise<TransactionReceipt>
}

export interface CouncilDriverOptions {
  /**
   * How to wait out the notice period: `clock` waits for the chain's clock to pass it (the demo's seconds);
   * `advance` moves the chain's clock with evm_increaseTime (a test chain only: it puts the chain ahead of
   * the wall clock). @default 'clock'
   */
  wait?: 'clock' | 'advance'
}

/**
 * The whole council in one process, for the embedded chain's demo and tests: every member's key at hand,
 * so each change is proposed, approved by as many members as the Safe needs, executed, and — after the
 * notice period — executed on the timelock. Nothing here is a shortcut past the contracts: the same
 * proposals, signatures and transactions as members with their own keys make with `porchlight council`.
 */
export class CouncilDriver implements Registrar {
  readonly #deployment: Deployment
  readonly #memberKeys: readonly string[]
  readonly #wait: 'clock' | 'advance'

  constructor (deployment: Deployment, memberKeys: readonly string[], opts: CouncilDriverOptions = {}) {
    requireCouncil(deployment)
    this.#deployment = deployment
    this.#memberKeys = memberKeys
    this.#wait = opts.wait ?? 'clock'
  }

  async send (call: { to: string, data: string }, provider: JsonRpcProvider): Promise<TransactionReceipt> {
    const members = this.#memberKeys.map((k) => new Wallet(k, provider))
    // The last member pays the gas: account 0, the deployer, keeps its own nonces for what else it sends.
    // Safe nonces and the sender's nonces go in order, so proposing, scheduling and executing are one at a
    // time; the notice periods of changes sent together run side by side (the demo waits once, not per change).
    const { proposal, first } = await this.#serially(async () => {
      let proposal = await proposeCall(provider, this.#deployment, call, { salt: hexlify(randomBytes(32)) })
      const threshold = Number(await safeAt(proposal.safe, provider).getFunction('getThreshold')())
      for (const member of members.slice(0, threshold)) proposal = await approveProposal(this.#deployment, proposal, member)
      return { proposal, first: await executeProposal(this.#deployment, proposal, members.at(-1)!) }
    })
    if (first.step === 'executed') return first.receipt
    for (;;) {
      const state = await proposalState(provider, proposal)
      if (state.state === 'ready') break
      if (state.state !== 'waiting') throw new CouncilProposalClosedError(state.state)
      if (this.#wait === 'advance') {
        await this.#serially(async () => {
          const now = (await provider.getBlock('latest'))!.timestamp
          if (now < state.readyAt) {
            await provider.send('evm_increaseTime', [state.readyAt - now])
            await provider.send('evm_mine', [])
          }
        })
      } else {
        // The demo's notice is seconds: wait it out on the wall clock (the chain's pending block follows it).
        await new Promise((resolve) => setTimeout(resolve, Math.max(250, (state.readyAt - Date.now() / 1000) * 1000)))
      }
    }
    return await this.#serially(async () => (await executeProposal(this.#deployment, proposal, members.at(-1)!)).receipt)
  }

  #queue: Promise<unknown> = Promise.resolve()

  async #serially<T> (step: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(step, step)
    this.#queue = run.catch(() => {})
    return await run
  }
}

/**
 * The embedded chain's council (development accounts 0, 1 and 2) as a registrar; undefined when the
 * deployment has no council (an older chain, or the test-only `council: false`), where the key alone governs.
 */
export function devCouncil (deployment: Deployment, opts: CouncilDriverOptions = {}): CouncilDriver | undefined {
  if (deployment.council === undefined) return undefined
  return new CouncilDriver(deployment, devAccounts(devCouncilSize).map((a) => a.privateKey), opts)
}
