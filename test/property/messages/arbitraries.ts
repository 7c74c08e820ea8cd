// fast-check arbitraries for valid Porchlight messages: every field anywhere in its allowed range.
import fc from 'fast-check'
import { gridDisk } from 'h3-js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { DAG_CBOR_CODE, RAW_CODE, cidFromSha256Digest } from '../../../protocol/codec/index.js'
import { areaFromCells, cameraCell } from '../../../protocol/geo/index.js'
import { LIMITS } from '../../../protocol/limits/index.js'
import { DELETION_REASONS } from '../../../protocol/messages/index.js'
import type {
  Announcement, ClipRef, Consent, DeletionRequest, LogEntry, Receipt, Request, Signed, Withdrawal
} from '../../../protocol/messages/index.js'
import { getAddress } from '../../../protocol/signing/index.js'
import { ageRecipientOf, peerIdOf } from '../../helpers/messages.js'

const bytes = (n: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: n, maxLength: n })
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

export const address = bytes(20).map((b) => getAddress(`0x${bytesToHex(b)}`))
export const messageId = bytes(32).map((d) => cidFromSha256Digest(d, DAG_CBOR_CODE).toString())
export const clipCid = bytes(32).map((d) => cidFromSha256Digest(d, RAW_CODE).toString())
export const bytes32 = bytes(32).map((b) => `0x${bytesToHex(b)}`)
export const seconds = fc.maxSafeNat()
export const signature = fc.tuple(fc.bigInt({ min: 1n, max: N - 1n }), fc.bigInt({ min: 1n, max: N >> 1n }), fc.constantFrom('1b', '1c'))
  .map(([r, s, v]) => `0x${r.toString(16).padStart(64, '0')}${s.toString(16).padStart(64, '0')}${v}`)

/** Any text up to `max` code points (all planes, no lone surrogates). */
// Valid text never starts with a byte-order mark (schema.ts says why).
const text = (max: number, min = 0): fc.Arbitrary<string> =>
  fc.string({ unit: 'binary', minLength: min, maxLength: max }).filter((t) => t.charCodeAt(0) !== 0xfeff)

export const cells = fc.tuple(fc.double({ min: -85, max: 85, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true }), fc.subarray([0, 1, 2, 3, 4, 5, 6], { minLength: 1 }))
  .map(([lat, lng, pick]) => { const disk = gridDisk(cameraCell(lat, lng), 1); return areaFromCells(pick.map((i) => disk[i % disk.length]!)) })

const multiaddr = fc.oneof(
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(65535)).map(([a, b, c, d, p]) => `/ip4/${a}.${b}.${c}.${d}/tcp/${p}`),
  fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,20}$/), fc.nat(65535)).map(([h, p]) => `/dns4/${h}.example/tcp/${p}/wss`)
)

export const request: fc.Arbitrary<Request> = fc.record({
  agency: address,
  caseCode: text(LIMITS.request.maxCaseCodeChars, 1),
  title: text(LIMITS.request.maxTitleChars, 1),
  details: text(LIMITS.request.maxDetailsChars),
  category: fc.constantFrom(...LIMITS.request.categories),
  cells,
  windowStart: seconds,
  windowEnd: seconds,
  issuedAt: seconds,
  expiresAt: seconds,
  recipient: bytes(32).map(ageRecipientOf),
  peerId: bytes(32).map(peerIdOf),
  addrs: fc.uniqueArray(multiaddr, { minLength: 1, maxLength: LIMITS.request.maxAddrs }),
  retentionDays: fc.nat(2 ** 32 - 1),
  nonce: bytes32
})

export const withdrawal: fc.Arbitrary<Withdrawal> = fc.record({ request: messageId, agency: address, issuedAt: seconds })

const mediaType = fc.oneof(fc.constantFrom('video/mp4', 'image/jpeg', 'application/octet-stream'),
  fc.stringMatching(/^[a-z0-9][a-z0-9!#$&^_.+-]{0,40}\/[a-z0-9][a-z0-9.+-]{0,40}$/))
/** A label as the resident's node sends it: any text but control characters, without surrounding spaces, or none. */
const cameraLabel = fc.oneof(fc.constant(''), text(LIMITS.consent.maxCameraLabelChars).map((t) => t.replace(/\p{Cc}/gu, '').trim()))
const clipRef: fc.Arbitrary<ClipRef> = fc.tuple(clipCid, fc.integer({ min: 1, max: LIMITS.consent.maxClipBytes }), fc.nat(2 ** 40), fc.nat(86_400), fc.nat(999), mediaType, cameraLabel)
  .map(([cid, size, start, length, extra, mediaType, camera]) => ({ cid, size, start, end: start + length, mediaType, durationMs: length * 1000 + extra, camera }))

export const consent: fc.Arbitrary<Consent> = fc.record({
  request: messageId,
  clips: fc.uniqueArray(clipRef, { minLength: 1, maxLength: LIMITS.consent.maxClips, selector: (c) => c.cid }),
  terms: text(LIMITS.consent.maxTermsChars, 1),
  consentKey: address,
  issuedAt: seconds
})

export const receipt: fc.Arbitrary<Receipt> = fc.record({
  consent: messageId,
  request: messageId,
  logIndex: seconds,
  checkpoint: text(LIMITS.receipt.maxCheckpointChars, 1),
  proof: fc.array(bytes32, { maxLength: LIMITS.receipt.maxProofHashes })
})

export const deletionRequest: fc.Arbitrary<DeletionRequest> = fc.record({
  consent: messageId,
  clips: fc.uniqueArray(clipCid, { minLength: 1, maxLength: LIMITS.consent.maxClips }),
  issuedAt: seconds
})

export const signed = <T>(message: fc.Arbitrary<T>): fc.Arbitrary<Signed<T>> => fc.record({ message, signature })

const E = LIMITS.entry
export const logEntry: fc.Arbitrary<LogEntry> = fc.oneof(
  fc.record({ kind: fc.constant('request' as const), request: signed(request) }),
  fc.record({ kind: fc.constant('withdraw' as const), withdrawal: signed(withdrawal) }),
  fc.record({
    kind: fc.constant('delivery' as const),
    request: messageId,
    consent: messageId,
    clips: fc.uniqueArray(fc.record({ cid: clipCid, size: fc.integer({ min: 1, max: LIMITS.consent.maxClipBytes }) }), { minLength: 1, maxLength: LIMITS.consent.maxClips, selector: (c) => c.cid }),
    at: seconds
  }),
  fc.record({ kind: fc.constant('access' as const), clip: clipCid, actor: text(E.maxActorChars, 1), purpose: text(E.maxPurposeChars, 1), at: seconds }),
  fc.record({ kind: fc.constant('share' as const), clip: clipCid, recipient: text(E.maxShareRecipientChars, 1), legalBasis: text(E.maxLegalBasisChars), actor: text(E.maxActorChars, 1), approvedBy: text(E.maxActorChars, 1), at: seconds }),
  fc.record({ kind: fc.constant('delete' as const), clip: clipCid, reason: fc.constant('retention' as const), actor: fc.constant('retention'), at: seconds }),
  fc.record({ kind: fc.constant('delete' as const), clip: clipCid, reason: fc.constant('agency' as const), actor: text(E.maxActorChars, 1).filter((a) => !(DELETION_REASONS as readonly string[]).includes(a)), at: seconds }),
  fc.record({ kind: fc.constant('delete' as const), clip: clipCid, reason: fc.constant('resident-request' as const), actor: fc.constant('resident-request'), at: seconds, deletionRequest: signed(deletionRequest) })
)

const proofFields = {
  logIndex: seconds,
  checkpoint: text(LIMITS.receipt.maxCheckpointChars, 1),
  proof: fc.array(bytes32, { maxLength: LIMITS.receipt.maxProofHashes })
}
export const announcement: fc.Arbitrary<Announcement> = fc.oneof(
  fc.record({ kind: fc.constant('request' as const), request: signed(request), ...proofFields }),
  fc.record({ kind: fc.constant('withdraw' as const), withdrawal: signed(withdrawal), ...proofFields })
)
