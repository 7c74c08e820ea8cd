// Valid sample messages for tests and benchmarks: fixed keys, fixed times, real cells and ids.
import { bech32 } from '@scure/base'
import { base58btc } from 'multiformats/bases/base58'
import { clipCid } from '../../protocol/codec/index.js'
import { areaFromCircle } from '../../protocol/geo/index.js'
import { consentId, requestId } from '../../protocol/messages/index.js'
import type {
  Consent, DeletionRequest, LogEntry, Receipt, Request, SignedConsent, SignedDeletionRequest, SignedReceipt,
  SignedRequest, SignedWithdrawal, Withdrawal
} from '../../protocol/messages/index.js'
import { addressOfPrivateKey, signTyped } from '../../protocol/signing/index.js'
import type { Domain } from '../../protocol/signing/index.js'

export const AGENCY_KEY = '0x' + '4c'.repeat(32)
export const CONSENT_KEY = '0x' + '7e'.repeat(32)
export const AGENCY = addressOfPrivateKey(AGENCY_KEY)
export const CONSENT_ADDRESS = addressOfPrivateKey(CONSENT_KEY)
export const DOMAIN: Domain = { chainId: 31337, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' }
/** 2025-06-15T15:06:40Z */
export const NOW = 1_750_000_000

/** An age X25519 recipient string for 32 key bytes. */
export function ageRecipientOf (key: Uint8Array): string {
  return bech32.encode('age', bech32.toWords(key))
}

/** The string peer id of an Ed25519 public key (identity multihash of its protobuf form). */
export function peerIdOf (publicKey: Uint8Array): string {
  return base58btc.baseEncode(Uint8Array.of(0x00, 0x24, 0x08, 0x01, 0x12, 0x20, ...publicKey))
}

export const CLIP_CIDS = [1, 2, 3].map((n) => clipCid(new Uint8Array(1000 * n).fill(n)).toString())

export function sampleRequest (overrides: Partial<Request> = {}): Request {
  return {
    agency: AGENCY,
    caseCode: 'SPD-2025-004711',
    title: 'Burglary on Elm Street',
    details: 'A house was broken into between 01:00 and 03:00; we look for people or cars passing by.',
    category: 'burglary',
    cells: areaFromCircle(47.6062, -122.3321, 400),
    windowStart: NOW - 3 * 3600,
    windowEnd: NOW - 3600,
    issuedAt: NOW,
    expiresAt: NOW + 48 * 3600,
    recipient: ageRecipientOf(new Uint8Array(32).fill(9)),
    peerId: peerIdOf(new Uint8Array(32).fill(5)),
    addrs: ['/ip4/203.0.113.7/tcp/4001', '/dns4/agency.example/tcp/443/wss'],
    retentionDays: 90,
    nonce: '0x' + 'ab'.repeat(32),
    ...overrides
  }
}

export function signedRequest (overrides: Partial<Request> = {}): SignedRequest {
  return signTyped('Request', sampleRequest(overrides), DOMAIN, AGENCY_KEY)
}

export const REQUEST_ID = requestId(signedRequest())

export function sampleWithdrawal (): Withdrawal {
  return { request: REQUEST_ID, agency: AGENCY, issuedAt: NOW + 60 }
}

export function signedWithdrawal (): SignedWithdrawal {
  return signTyped('Withdrawal', sampleWithdrawal(), DOMAIN, AGENCY_KEY)
}

export function sampleConsent (overrides: Partial<Consent> = {}): Consent {
  return {
    request: REQUEST_ID,
    clips: CLIP_CIDS.map((cid, i) => ({ cid, size: 1000 * (i + 1), start: NOW - 3 * 3600 + i * 600, end: NOW - 3 * 3600 + i * 600 + 300, mediaType: 'video/mp4', durationMs: 300_000, camera: i === 0 ? 'Front door' : '' })),
    terms: 'I share these clips for this case only; the agency deletes them after 90 days.',
    consentKey: CONSENT_ADDRESS,
    issuedAt: NOW + 120,
    ...overrides
  }
}

export function signedConsent (overrides: Partial<Consent> = {}): SignedConsent {
  return signTyped('Consent', sampleConsent(overrides), DOMAIN, CONSENT_KEY)
}

export const CONSENT_ID = consentId(signedConsent())

export function sampleReceipt (): Receipt {
  return {
    consent: CONSENT_ID,
    request: REQUEST_ID,
    logIndex: 41,
    checkpoint: `porchlight.31337/${AGENCY}\n42\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\n\n— porchlight.31337/${AGENCY} AAAA\n`,
    proof: ['0x' + '01'.repeat(32), '0x' + '02'.repeat(32)]
  }
}

export function signedReceipt (): SignedReceipt {
  return signTyped('Receipt', sampleReceipt(), DOMAIN, AGENCY_KEY)
}

export function sampleDeletionRequest (): DeletionRequest {
  return { consent: CONSENT_ID, clips: CLIP_CIDS.slice(0, 2), issuedAt: NOW + 86400 }
}

export function signedDeletionRequest (): SignedDeletionRequest {
  return signTyped('DeletionRequest', sampleDeletionRequest(), DOMAIN, CONSENT_KEY)
}

/** One entry of every kind. */
export function sampleEntries (): LogEntry[] {
  const clip = CLIP_CIDS[0]!
  return [
    { kind: 'request', request: signedRequest() },
    { kind: 'withdraw', withdrawal: signedWithdrawal() },
    { kind: 'delivery', request: REQUEST_ID, consent: CONSENT_ID, clips: [{ cid: clip, size: 1000 }], at: NOW + 200 },
    { kind: 'access', clip, actor: 'officer-7f3a', purpose: 'review for case SPD-2025-004711', at: NOW + 300 },
    { kind: 'share', clip, recipient: 'King County Prosecutor', legalBasis: 'RCW 10.79 discovery', actor: 'officer-7f3a', approvedBy: 'sgt-2210', at: NOW + 400 },
    { kind: 'delete', clip, reason: 'resident-request', actor: 'resident-request', at: NOW + 90000, deletionRequest: signedDeletionRequest() },
    { kind: 'delete', clip, reason: 'retention', actor: 'retention', at: NOW + 90 * 86400 }
  ]
}
