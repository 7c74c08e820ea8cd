// The witness set as nodes trust it, from WitnessRegistry's raw entries, and the checks the council's client
// makes before it registers one. The contract checks lengths and that the vkey starts with the name; the key
// itself (base64, key id, type) is checked here, by every reader, so no node trusts a malformed entry.
import { multiaddr } from '@multiformats/multiaddr'
import { toHex } from '../../protocol/codec/hex.js'
import { PorchlightError } from '../../protocol/errors.js'
import type { RegisteredWitness, WitnessSet } from '../../protocol/api/witnesses.js'
import { COSIGNATURE_V1_TYPE, parseVerifierKey } from '../../protocol/tlog/cosignature.js'

/** A witness record that no node may trust, or that the council's client refuses to send. */
export class InvalidWitnessRecordError extends PorchlightError {
  static override readonly code = 'INVALID_WITNESS_RECORD'
  static override readonly status = 400
  constructor (name: string, field: keyof RegisteredWitness, reason: string, cause?: unknown) {
    super(InvalidWitnessRecordError.code, `witness ${JSON.stringify(name)}: ${field} ${reason}`, { details: { name, field, reason }, cause })
    this.name = 'InvalidWitnessRecordError'
  }
}

/** The Ed25519 public key of `witness`'s vkey, or the reason it cannot be trusted. */
function witnessKey (witness: RegisteredWitness): Uint8Array {
  let key
  try {
    key = parseVerifierKey(witness.vkey)
  } catch (err) {
    throw new InvalidWitnessRecordError(witness.name, 'vkey', 'is not a verifier key', err)
  }
  if (key.type !== COSIGNATURE_V1_TYPE) throw new InvalidWitnessRecordError(witness.name, 'vkey', 'is not a cosignature/v1 (type 0x04) key')
  // Cosignature lines are matched to keys by the vkey's name: another name would let this entry speak for it.
  if (key.name !== witness.name) throw new InvalidWitnessRecordError(witness.name, 'vkey', 'names another witness')
  return key.publicKey
}

export interface IgnoredWitness { witness: RegisteredWitness, error: InvalidWitnessRecordError }

/**
 * The set nodes trust: entries in registration order, without those whose vkey is not a cosignature/v1 key
 * of their own name, nor those whose public key an earlier entry already has. A cosignature/v1 signature
 * does not commit to the name, so one key under two names would make one witness's line count twice.
 */
export function toWitnessSet (quorum: number, entries: readonly RegisteredWitness[]): { set: WitnessSet, ignored: IgnoredWitness[] } {
  const witnesses: RegisteredWitness[] = []
  const ignored: IgnoredWitness[] = []
  const owners = new Map<string, string>()
  for (const witness of entries) {
    try {
      const key = toHex(witnessKey(witness))
      const owner = owners.get(key)
      if (owner !== undefined) throw new InvalidWitnessRecordError(witness.name, 'vkey', `has the key of witness ${JSON.stringify(owner)}`)
      owners.set(key, witness.name)
      witnesses.push(witness)
    } catch (err) {
      ignored.push({ witness, error: err as InvalidWitnessRecordError })
    }
  }
  return { set: { quorum, witnesses }, ignored }
}

function checkUrl (name: string, url: string): void {
  if (url === '') return
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (err) {
    throw new InvalidWitnessRecordError(name, 'url', 'is not a URL', err)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InvalidWitnessRecordError(name, 'url', 'is not http(s)')
}

function checkMultiaddr (name: string, address: string): void {
  if (address === '') return
  let components
  try {
    components = multiaddr(address).getComponents()
  } catch (err) {
    throw new InvalidWitnessRecordError(name, 'multiaddr', 'is not a multiaddr', err)
  }
  // Nodes have no peer routing: the address must say which peer to expect (and the connection checks it).
  if (components.at(-1)?.name !== 'p2p') throw new InvalidWitnessRecordError(name, 'multiaddr', 'does not end in /p2p/<peer id>')
}

/** Checks how a witness can be reached: an http(s) URL and/or a multiaddr ending in /p2p/<peer id>. */
export function checkWitnessEndpoints (name: string, endpoints: { url: string, multiaddr: string }): void {
  checkUrl(name, endpoints.url)
  checkMultiaddr(name, endpoints.multiaddr)
  if (endpoints.url === '' && endpoints.multiaddr === '') throw new InvalidWitnessRecordError(name, 'url', 'and multiaddr are both empty')
}

/** What the council's client checks before `addWitness`, so a record every node would ignore is never sent. */
export function checkWitnessRecord (witness: RegisteredWitness): void {
  witnessKey(witness)
  checkWitnessEndpoints(witness.name, witness)
}
