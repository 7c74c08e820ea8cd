// A small, real Porchlight world for the UI's tests: an agency key, signed requests dated from the real
// clock (the UI reads Date.now()), the agency's log as a MemoryTree with a signed checkpoint, inclusion
// proofs cosigned by the test witnesses (TEST_WITNESS_SET), a delivery with its signed receipt. Everything a
// browser verifies is genuinely signed and proven.
import { hexToBytes } from '@noble/hashes/utils.js'
import {
  MemoryTree, areaFromCircle, checkpointOrigin, toHex, encodeLogEntry, requestId, signCheckpoint, signTyped,
  type Domain, type LogEntry, type Request, type SignedReceipt, type SignedRequest
} from '../../protocol/index.js'
import { AGENCY, AGENCY_KEY, CLIP_CIDS, DOMAIN, ageRecipientOf, peerIdOf } from './messages.js'
import { TEST_WITNESSES, cosign } from './announcements.js'

export { AGENCY, AGENCY_KEY, DOMAIN }

export const nowSeconds = (): number => Math.floor(Date.now() / 1000)

/** Where the sample requests are (Seattle), and the resident's camera inside the first one. */
export const CENTER = { lat: 47.6062, lng: -122.3321 }

export function liveRequest (overrides: Partial<Request> = {}): Request {
  const now = nowSeconds()
  return {
    agency: AGENCY,
    caseCode: 'SPD-2026-0042',
    title: 'Burglary on Elm Street',
    details: 'A house was broken into; we look for people or cars passing by between these times.',
    category: 'burglary',
    cells: areaFromCircle(CENTER.lat, CENTER.lng, 450),
    windowStart: now - 3 * 3600,
    windowEnd: now - 3600,
    issuedAt: now - 60,
    expiresAt: now + 48 * 3600,
    recipient: ageRecipientOf(new Uint8Array(32).fill(9)),
    peerId: peerIdOf(new Uint8Array(32).fill(5)),
    addrs: ['/ip4/127.0.0.1/tcp/4001'],
    retentionDays: 90,
    nonce: '0x' + 'cd'.repeat(32),
    ...overrides
  }
}

export { toHex }
/** An agency's log in memory, signing a checkpoint whenever asked. */
export class FixtureLog {
  readonly tree = new MemoryTree()
  readonly entries: LogEntry[] = []
  constructor (readonly domain: Domain = DOMAIN, readonly key: string = AGENCY_KEY, readonly agency: string = AGENCY) {}

  append (entry: LogEntry): number {
    this.entries.push(entry)
    return this.tree.append(encodeLogEntry(entry))
  }

  checkpoint (): string {
    return signCheckpoint({ origin: checkpointOrigin(this.domain.chainId, this.agency), size: this.tree.size, root: this.tree.root() }, hexToBytes(this.key.slice(2)))
  }

  /** Entry `index`'s proof against the checkpoint now, cosigned by every test witness when the entry was made. */
  evidence (index: number): { logIndex: number, checkpoint: string, proof: string[] } {
    const entry = this.entries[index]
    const at = entry === undefined ? nowSeconds() : entry.kind === 'request' ? entry.request.message.issuedAt : entry.kind === 'withdraw' ? entry.withdrawal.message.issuedAt : entry.at
    return { logIndex: index, checkpoint: cosign(this.checkpoint(), TEST_WITNESSES, at), proof: this.tree.inclusionProof(index).map(toHex) }
  }
}

export interface LoggedRequest {
  id: string
  signed: SignedRequest
  logIndex: number
}

export function logRequest (log: FixtureLog, overrides: Partial<Request> = {}): LoggedRequest {
  const signed = signTyped('Request', liveRequest(overrides), log.domain, log.key)
  const logIndex = log.append({ kind: 'request', request: signed })
  return { id: requestId(signed), signed, logIndex }
}

/** A delivery entry for `request` and the agency's signed receipt proving it. */
export function logDelivery (log: FixtureLog, request: string, consent: string, clips = [{ cid: CLIP_CIDS[0]!, size: 1000 }]): { entry: LogEntry, receipt: SignedReceipt } {
  const entry: LogEntry = { kind: 'delivery', request, consent, clips, at: nowSeconds() }
  const logIndex = log.append(entry)
  const { checkpoint, proof } = log.evidence(logIndex)
  const receipt = signTyped('Receipt', { consent, request, logIndex, checkpoint, proof }, log.domain, log.key)
  return { entry, receipt }
}
