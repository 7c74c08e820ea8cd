// An agency that announces the way the real one does, built from protocol/ alone: it signs a request,
// appends its `request` entry to an in-memory log, signs a checkpoint and attaches the inclusion proof.
import { hexToBytes } from '@noble/hashes/utils.js'
import {
  addressOfPrivateKey, checkpointOrigin, toHex, encodeAnnouncement, encodeLogEntry, MemoryTree, requestId, signCheckpoint,
  signTyped, type Announcement, type Domain, type LogEntry, type Request, type SignedRequest
} from '../../protocol/index.js'
import { sampleRequest } from './messages.js'

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
  #nonce = 0

  constructor (key: string, domain: Domain) {
    this.key = key
    this.address = addressOfPrivateKey(key)
    this.domain = domain
  }

  /** Appends an entry and returns (logIndex, checkpoint, proof) at the new size. */
  log (entry: LogEntry): { logIndex: number, checkpoint: string, proof: string[] } {
    const logIndex = this.tree.append(encodeLogEntry(entry))
    return this.proofOf(logIndex)
  }

  proofOf (logIndex: number): { logIndex: number, checkpoint: string, proof: string[] } {
    const size = this.tree.size
    const checkpoint = signCheckpoint({ origin: checkpointOrigin(this.domain.chainId, this.address), size, root: this.tree.root() }, hexToBytes(this.key.slice(2)))
    return { logIndex, checkpoint, proof: this.tree.inclusionProof(logIndex, size).map(toHex) }
  }

  /** A signed request (fresh nonce) with the given fields, not yet logged. */
  sign (overrides: Partial<Request> = {}): SignedRequest {
    this.#nonce++
    return signTyped('Request', sampleRequest({ agency: this.address, nonce: '0x' + this.#nonce.toString(16).padStart(64, '0'), ...overrides }), this.domain, this.key)
  }

  /** Signs, logs and announces a request. */
  request (overrides: Partial<Request> = {}): Announced {
    const signed = this.sign(overrides)
    return this.announce(signed, this.log({ kind: 'request', request: signed }))
  }

  announce (signed: SignedRequest, proof: { logIndex: number, checkpoint: string, proof: string[] }): Announced {
    const announcement: Announcement = { kind: 'request', request: signed, ...proof }
    return { id: requestId(signed), signed, announcement, bytes: encodeAnnouncement(announcement) }
  }

  /** Signs, logs and announces the withdrawal of a request. */
  withdraw (id: string, issuedAt: number): { announcement: Announcement, bytes: Uint8Array } {
    const withdrawal = signTyped('Withdrawal', { request: id, agency: this.address, issuedAt }, this.domain, this.key)
    const announcement: Announcement = { kind: 'withdraw', withdrawal, ...this.log({ kind: 'withdraw', withdrawal }) }
    return { announcement, bytes: encodeAnnouncement(announcement) }
  }
}
