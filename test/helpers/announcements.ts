// An agency that announces the way the real one does, built from protocol/ alone: it signs a request,
// appends its `request` entry to an in-memory log, signs a checkpoint, has it cosigned by test witnesses
// (the registered set of stubChain, TEST_WITNESS_SET) and attaches the inclusion proof.
import { hexToBytes } from '@noble/hashes/utils.js'
import { ed25519 } from '@noble/curves/ed25519.js'
import {
  addressOfPrivateKey, checkpointOrigin, toHex, encodeAnnouncement, encodeLogEntry, encodeVerifierKey, MemoryTree, parseSignedNote,
  requestId, signCheckpoint, signCosignature, signTyped, type Announcement, type Domain, type LogEntry, type RegisteredWitness,
  type Request, type SignedRequest, type WitnessSet
} from '../../protocol/index.js'
import { sampleRequest } from './messages.js'

/** A witness's key, for tests that cosign without a witness node. */
export interface TestWitness {
  name: string
  secretKey: Uint8Array
  registered: RegisteredWitness
}

export function testWitness (name: string, seed: number): TestWitness {
  const secretKey = new Uint8Array(32).fill(seed)
  return { name, secretKey, registered: { name, vkey: encodeVerifierKey(name, ed25519.getPublicKey(secretKey)), url: `https://${name}`, multiaddr: '' } }
}

/** Three witnesses; the set registers them with quorum 2 (the demo's shape). */
export const TEST_WITNESSES: readonly TestWitness[] = [testWitness('witness-a.test', 0xa1), testWitness('witness-b.test', 0xb2), testWitness('witness-c.test', 0xc3)]
export const TEST_WITNESS_SET: WitnessSet = { quorum: 2, witnesses: TEST_WITNESSES.map((w) => w.registered) }

/** The signed checkpoint `note` with a cosignature line of each of `witnesses` at `timestamp` appended. */
export function cosign (note: string, witnesses: readonly TestWitness[], timestamp: number): string {
  const { text } = parseSignedNote(note)
  return note + witnesses.map((w) => signCosignature({ name: w.name, secretKey: w.secretKey, checkpoint: text, timestamp })).join('')
}

export interface TestAgencyInit {
  /** Who cosigns its checkpoints. @default TEST_WITNESSES (all three) */
  witnesses?: readonly TestWitness[]
}

/** What a checkpoint of this agency is cosigned with: who, and when (default: the entry's own `issuedAt`). */
export interface CosignOptions {
  witnesses?: readonly TestWitness[]
  timestamp?: number
}

export interface Announced {
  id: string
  signed: SignedRequest
  announcement: Announcement
  bytes: Uint8Array
}

export class TestAgency {
  readonly key: string
  readonly address: string
  readonly domain: Domain
  readonly tree = new MemoryTree()
  /** Who cosigns this agency's checkpoints unless a call says otherwise. */
  witnesses: readonly TestWitness[]
  /** The `issuedAt` of each logged request or withdrawal, by index: when its checkpoint is cosigned. */
  readonly #issuedAt: number[] = []
  #nonce = 0

  constructor (key: string, domain: Domain, init: TestAgencyInit = {}) {
    this.key = key
    this.address = addressOfPrivateKey(key)
    this.domain = domain
    this.witnesses = init.witnesses ?? TEST_WITNESSES
  }

  /** Appends an entry and returns (logIndex, checkpoint, proof) at the new size. */
  log (entry: LogEntry, cosigning: CosignOptions = {}): { logIndex: number, checkpoint: string, proof: string[] } {
    const logIndex = this.tree.append(encodeLogEntry(entry))
    this.#issuedAt[logIndex] = entry.kind === 'request' ? entry.request.message.issuedAt : entry.kind === 'withdraw' ? entry.withdrawal.message.issuedAt : entry.at
    return this.proofOf(logIndex, cosigning)
  }

  /** The proof of entry `logIndex` against a checkpoint at the current size, signed and cosigned. */
  proofOf (logIndex: number, cosigning: CosignOptions = {}): { logIndex: number, checkpoint: string, proof: string[] } {
    const size = this.tree.size
    const signed = signCheckpoint({ origin: checkpointOrigin(this.domain.chainId, this.address), size, root: this.tree.root() }, hexToBytes(this.key.slice(2)))
    const witnesses = cosigning.witnesses ?? this.witnesses
    const timestamp = cosigning.timestamp ?? this.#issuedAt[logIndex] ?? Math.floor(Date.now() / 1000)
    const checkpoint = witnesses.length === 0 ? signed : cosign(signed, witnesses, timestamp)
    return { logIndex, checkpoint, proof: this.tree.inclusionProof(logIndex, size).map(toHex) }
  }

  /** A signed request (fresh nonce) with the given fields, not yet logged. */
  sign (overrides: Partial<Request> = {}): SignedRequest {
    this.#nonce++
    return signTyped('Request', sampleRequest({ agency: this.address, nonce: '0x' + this.#nonce.toString(16).padStart(64, '0'), ...overrides }), this.domain, this.key)
  }

  /** Signs, logs and announces a request. */
  request (overrides: Partial<Request> = {}, cosigning: CosignOptions = {}): Announced {
    const signed = this.sign(overrides)
    return this.announce(signed, this.log({ kind: 'request', request: signed }, cosigning))
  }

  announce (signed: SignedRequest, proof: { logIndex: number, checkpoint: string, proof: string[] }): Announced {
    const announcement: Announcement = { kind: 'request', request: signed, ...proof }
    return { id: requestId(signed), signed, announcement, bytes: encodeAnnouncement(announcement) }
  }

  /** Signs, logs and announces the withdrawal of a request. */
  withdraw (id: string, issuedAt: number, cosigning: CosignOptions = {}): { announcement: Announcement, bytes: Uint8Array } {
    const withdrawal = signTyped('Withdrawal', { request: id, agency: this.address, issuedAt }, this.domain, this.key)
    const announcement: Announcement = { kind: 'withdraw', withdrawal, ...this.log({ kind: 'withdraw', withdrawal }, cosigning) }
    return { announcement, bytes: encodeAnnouncement(announcement) }
  }
}
