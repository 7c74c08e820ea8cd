// Reverts of Porchlight's contracts as typed errors. Each Solidity custom error has a class of the same
// name (so `err.name` is the Solidity name and tests match on it), a SCREAMING_SNAKE `code`, and the
// decoded arguments in `details` (uint values as decimal strings, so details stay JSON-safe).
import { ErrorDescription, type Interface } from 'ethers'
import { PorchlightError } from '../../protocol/errors.js'
import { agencyRegistryInterface, anchorRelayInterface, auditAnchorInterface, timelockInterface, witnessRegistryInterface } from './artifacts.js'

function screamingSnake (name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()
}

function jsonSafe (value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (Array.isArray(value)) return value.map(jsonSafe)
  return value
}

/** A transaction or call reverted with one of the contracts' custom errors. */
export class ContractRevertError extends PorchlightError {
  // The contract refused by its own rules; a subclass says when a revert is a conflict or a missing thing.
  static override readonly status: number = 422

  /** The decoded arguments, as ethers returns them (bigint for uints). */
  readonly args: Record<string, unknown>

  constructor (args: Record<string, unknown> = {}, options: { cause?: unknown } = {}) {
    const name = new.target.name
    const details = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, jsonSafe(v)]))
    super(screamingSnake(name), `${name}(${Object.values(details).map(String).join(', ')})`, { cause: options.cause, details })
    this.name = name
    this.args = args
  }
}

// AgencyRegistry
export class AgencyRegistryZeroAddress extends ContractRevertError {}
export class AgencyRegistryAlreadyRegistered extends ContractRevertError { static override readonly status = 409 }
export class AgencyRegistryNotRegistered extends ContractRevertError { static override readonly status = 404 }
export class AgencyRegistryInvalidStatus extends ContractRevertError {}
export class AgencyRegistryInvalidName extends ContractRevertError {}
export class AgencyRegistryEmptyJurisdiction extends ContractRevertError {}
export class AgencyRegistryTooManyCells extends ContractRevertError {}
export class AgencyRegistryInvalidCell extends ContractRevertError {}
export class AgencyRegistryCellsNotAscending extends ContractRevertError {}
export class AgencyRegistryCellTooCoarse extends ContractRevertError {}
export class AgencyRegistryAreaTooLarge extends ContractRevertError {}
export class AgencyRegistryValidUntilInPast extends ContractRevertError {}
export class AgencyRegistryValidUntilTooFar extends ContractRevertError {}
export class AgencyRegistryAuditAnchorNotBound extends ContractRevertError {}
export class AgencyRegistryAuditAnchorAlreadyBound extends ContractRevertError { static override readonly status = 409 }
export class AgencyRegistryAuditAnchorMismatch extends ContractRevertError {}
// AuditAnchor
export class AuditAnchorNotActive extends ContractRevertError {}
export class AuditAnchorNonMonotonic extends ContractRevertError { static override readonly status = 409 }
export class AuditAnchorFork extends ContractRevertError { static override readonly status = 409 }
export class AuditAnchorNotRegistry extends ContractRevertError {}
export class AuditAnchorEmptyBatch extends ContractRevertError {}
export class AuditAnchorZeroRegistry extends ContractRevertError {}
// CouncilRoles (both registries)
export class CouncilRolesLastAdmin extends ContractRevertError { static override readonly status = 409 }
// WitnessRegistry
export class WitnessRegistryZeroAddress extends ContractRevertError {}
export class WitnessRegistryInvalidName extends ContractRevertError {}
export class WitnessRegistryInvalidKey extends ContractRevertError {}
export class WitnessRegistryKeyNameMismatch extends ContractRevertError {}
export class WitnessRegistryEndpointTooLong extends ContractRevertError {}
export class WitnessRegistryNoEndpoint extends ContractRevertError {}
export class WitnessRegistryAlreadyRegistered extends ContractRevertError { static override readonly status = 409 }
export class WitnessRegistryNotRegistered extends ContractRevertError { static override readonly status = 404 }
export class WitnessRegistryFull extends ContractRevertError { static override readonly status = 409 }
export class WitnessRegistryInvalidQuorum extends ContractRevertError {}
export class WitnessRegistryBelowQuorum extends ContractRevertError { static override readonly status = 409 }
// AnchorRelay
export class AnchorRelayEmptyBatch extends ContractRevertError {}
// OpenZeppelin, inherited
export class AccessControlUnauthorizedAccount extends ContractRevertError { static override readonly status = 403 }
export class AccessControlBadConfirmation extends ContractRevertError {}
// OpenZeppelin's TimelockController (the council's notice period)
export class TimelockUnexpectedOperationState extends ContractRevertError { static override readonly status = 409 }
export class TimelockInsufficientDelay extends ContractRevertError {}
export class TimelockUnauthorizedCaller extends ContractRevertError { static override readonly status = 403 }
export class TimelockUnexecutedPredecessor extends ContractRevertError { static override readonly status = 409 }
export class InvalidShortString extends ContractRevertError {}
export class StringTooLong extends ContractRevertError {}

/** Every revert class by Solidity error name. */
export const revertErrors: Record<string, new (args?: Record<string, unknown>, options?: { cause?: unknown }) => ContractRevertError> = {
  AgencyRegistryZeroAddress,
  AgencyRegistryAlreadyRegistered,
  AgencyRegistryNotRegistered,
  AgencyRegistryInvalidStatus,
  AgencyRegistryInvalidName,
  AgencyRegistryEmptyJurisdiction,
  AgencyRegistryTooManyCells,
  AgencyRegistryInvalidCell,
  AgencyRegistryCellsNotAscending,
  AgencyRegistryCellTooCoarse,
  AgencyRegistryAreaTooLarge,
  AgencyRegistryValidUntilInPast,
  AgencyRegistryValidUntilTooFar,
  AgencyRegistryAuditAnchorNotBound,
  AgencyRegistryAuditAnchorAlreadyBound,
  AgencyRegistryAuditAnchorMismatch,
  AuditAnchorNotActive,
  AuditAnchorNonMonotonic,
  AuditAnchorFork,
  AuditAnchorNotRegistry,
  AuditAnchorEmptyBatch,
  AuditAnchorZeroRegistry,
  CouncilRolesLastAdmin,
  WitnessRegistryZeroAddress,
  WitnessRegistryInvalidName,
  WitnessRegistryInvalidKey,
  WitnessRegistryKeyNameMismatch,
  WitnessRegistryEndpointTooLong,
  WitnessRegistryNoEndpoint,
  WitnessRegistryAlreadyRegistered,
  WitnessRegistryNotRegistered,
  WitnessRegistryFull,
  WitnessRegistryInvalidQuorum,
  WitnessRegistryBelowQuorum,
  AnchorRelayEmptyBatch,
  AccessControlUnauthorizedAccount,
  AccessControlBadConfirmation,
  TimelockUnexpectedOperationState,
  TimelockInsufficientDelay,
  TimelockUnauthorizedCaller,
  TimelockUnexecutedPredecessor,
  InvalidShortString,
  StringTooLong
}

// Each revert's code is its Solidity name in SCREAMING_SNAKE (as the constructor sets it), readable on the
// class like every other error's.
for (const [name, Revert] of Object.entries(revertErrors)) Object.defineProperty(Revert, 'code', { value: screamingSnake(name) })

/** A revert whose data matches no known custom error (or carries none). */
export class ContractRevertedError extends PorchlightError {
  static override readonly code = 'CONTRACT_REVERTED'
  static override readonly status = 502
  constructor (data: string | undefined, options: { cause?: unknown } = {}) {
    super(ContractRevertedError.code, 'the contract reverted with no known error', { cause: options.cause, details: { data } })
    this.name = 'ContractRevertedError'
  }
}

/** The JSON-RPC endpoint could not be reached or failed; the operation may be retried. */
export class ChainUnavailableError extends PorchlightError {
  static override readonly code = 'CHAIN_UNAVAILABLE'
  static override readonly status = 503
  constructor (rpc: string | undefined, options: { cause?: unknown } = {}) {
    super(ChainUnavailableError.code, 'the chain RPC is unreachable', { cause: options.cause, details: { rpc } })
    this.name = 'ChainUnavailableError'
  }
}

/** The chain answered, but refused the request for a reason other than a revert (funds, nonce, …). */
export class ChainRequestError extends PorchlightError {
  static override readonly code = 'CHAIN_REQUEST_FAILED'
  static override readonly status = 502
  constructor (reason: string | undefined, options: { cause?: unknown } = {}) {
    super(ChainRequestError.code, 'the chain refused the request', { cause: options.cause, details: { reason } })
    this.name = 'ChainRequestError'
  }
}

const interfaces: Interface[] = [auditAnchorInterface, agencyRegistryInterface, witnessRegistryInterface, anchorRelayInterface, timelockInterface]

// ethers puts revert data on the error itself for calls and gas estimates, and deeper (info.error, error)
// for some providers; look in each place.
function findRevertData (err: unknown, depth = 0): string | undefined {
  if (typeof err !== 'object' || err === null || depth > 4) return undefined
  const e = err as { data?: unknown, info?: { error?: unknown }, error?: unknown, cause?: unknown }
  if (typeof e.data === 'string' && /^0x([0-9a-fA-F]{2})*$/.test(e.data)) return e.data
  if (typeof e.data === 'object' && e.data !== null) {
    const nested = findRevertData(e.data, depth + 1)
    if (nested !== undefined) return nested
  }
  return findRevertData(e.info?.error, depth + 1) ?? findRevertData(e.error, depth + 1) ?? findRevertData(e.cause, depth + 1)
}

function isCallException (err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'CALL_EXCEPTION'
}

/** Turns revert data into the typed error of its custom error (ContractRevertedError when unknown). */
export function decodeRevertData (data: string | undefined, cause?: unknown): PorchlightError {
  if (data !== undefined && data.length >= 10) {
    for (const iface of interfaces) {
      let parsed: ErrorDescription | null = null
      try { parsed = iface.parseError(data) } catch { parsed = null }
      if (parsed === null) continue
      const Revert = revertErrors[parsed.name]
      if (Revert === undefined) continue
      const args = Object.fromEntries(parsed.fragment.inputs.map((input, i) => [input.name, parsed.args[i] as unknown]))
      return new Revert(args, { cause })
    }
  }
  return new ContractRevertedError(data, { cause })
}

// ethers passes Node's socket errors through as they are (ECONNREFUSED, …) and wraps HTTP failures in its
// own codes; either means the request may not have been seen and can be tried again.
const transportCodes = new Set(['NETWORK_ERROR', 'TIMEOUT', 'SERVER_ERROR', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT',
  'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT'])

function isTransportFailure (err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false
  const e = err as { code?: unknown, cause?: unknown, error?: unknown }
  if (typeof e.code === 'string' && transportCodes.has(e.code)) return true
  return isTransportFailure(e.cause, depth + 1) || isTransportFailure(e.error, depth + 1)
}

/**
 * Classifies an error from an ethers call or transaction: a revert becomes its typed error, a transport
 * failure a ChainUnavailableError (worth retrying), anything else a ChainRequestError. Typed Porchlight
 * errors pass through.
 */
export function toChainError (err: unknown, rpc?: string): PorchlightError {
  if (err instanceof PorchlightError) return err
  const data = findRevertData(err)
  if (isCallException(err) || (data !== undefined && data.length >= 10)) return decodeRevertData(data, err)
  if (isTransportFailure(err)) return new ChainUnavailableError(rpc, { cause: err })
  return new ChainRequestError((err as { shortMessage?: string, message?: string } | null)?.shortMessage ?? (err as Error | null)?.message, { cause: err })
}
