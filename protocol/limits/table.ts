// The protocol limits (docs/design.md §4) and the size caps of every message, in one table. Every check in
// protocol/ reads its numbers from here; changing a number here changes the protocol.

const MINUTE = 60
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const KiB = 1024
const GiB = 1024 * 1024 * 1024

export const LIMITS = {
  request: {
    /** Incident area, km² (0.5 sq mi): Ring's former Request-for-Assistance cap. */
    maxAreaKm2: 1.3,
    /** Cells per request; a bound on decoding work only (1.3 km² is ~12 res-9 cells). */
    maxCells: 64,
    /** Time window length, seconds. */
    minWindowSeconds: 15 * MINUTE,
    maxWindowSeconds: 12 * HOUR,
    /** How long before `issuedAt` the window may start (home systems keep ~30 days). */
    maxWindowAgeSeconds: 30 * DAY,
    /** `expiresAt − issuedAt` (Axon's upload links expire after 3 days). */
    maxLifetimeSeconds: 72 * HOUR,
    maxRetentionDays: 365,
    /** Text lengths in Unicode code points. */
    maxCaseCodeChars: 64,
    maxTitleChars: 120,
    maxDetailsChars: 2_000,
    /** Agency addresses to dial, and the length of each. */
    maxAddrs: 8,
    maxAddrChars: 256,
    maxPeerIdChars: 128,
    /** A closed list: no "immigration", no open-ended dragnet. */
    categories: ['burglary', 'vehicle-crime', 'hit-and-run', 'assault', 'missing-person', 'homicide', 'other-violent'] as const
  },
  consent: {
    maxClips: 64,
    /** 2 GiB: hours of 4K video; a longer recording is shared as several clips. */
    maxClipBytes: 2 * GiB,
    maxTermsChars: 4_000,
    /** A clip's media type, `type/subtype` (RFC 6838 allows 127 characters a name; real ones are far shorter). */
    maxMediaTypeChars: 127,
    /** A clip's camera label, code points: a name ("Front door"), as long as a camera's name may be. */
    maxCameraLabelChars: 64
  },
  receipt: {
    maxCheckpointChars: 4_096,
    /** An inclusion proof in a log of up to 2^64 entries. */
    maxProofHashes: 64
  },
  entry: {
    maxActorChars: 128,
    maxPurposeChars: 500,
    maxShareRecipientChars: 256,
    maxLegalBasisChars: 1_000
  },
  /** Encoded (dag-cbor) size of each signed message and of a log entry. */
  encodedBytes: {
    request: 16 * KiB,
    withdrawal: 1 * KiB,
    /** 64 clips with 127-character media types and 64-character labels beside 4,000 characters of terms fit. */
    consent: 64 * KiB,
    /** A checkpoint may be up to 4,096 characters of UTF-8 beside a 64-hash proof. */
    receipt: 24 * KiB,
    deletionRequest: 8 * KiB,
    /** A `request` entry holds a whole signed request. */
    entry: 20 * KiB,
    /** A gossip message: a whole signed request beside its checkpoint and inclusion proof. */
    announcement: 24 * KiB
  },
  /** An agency's jurisdiction as AgencyRegistry enforces it on chain (each number is a contract constant). */
  jurisdiction: {
    /** H3 resolutions of its cells: res 5 is ~253 km², res 7 ~5.16 km²; a res-0 cell would be continent-sized. */
    minCellResolution: 5,
    maxCellResolution: 7,
    /** Cells at most (AgencyRegistry.MAX_CELLS): a bound on the storage and on every node's point-in-cell work. */
    maxCells: 1024,
    /**
     * Total area at most, counted in res-7 cells (a res-6 cell is 7, a res-5 cell 49; AgencyRegistry
     * .MAX_AREA_RES7_CELLS): 2,000 × 5.16 km² ≈ 10,300 km², about Los Angeles County. An integer count keeps
     * the contract's check exact; the km² figure is H3's average cell area.
     */
    maxAreaRes7Cells: 2_000,
    /** `validUntil` at most this far ahead (AgencyRegistry.MAX_VALIDITY_SECONDS): a registration is renewed, and reviewed, every two years. */
    maxValiditySeconds: 730 * DAY
  },
  witness: {
    /** Registered witnesses at most (WitnessRegistry.MAX_WITNESSES): a bound on a checkpoint's verification work. */
    maxWitnesses: 16,
    /**
     * How long after a request's (or withdrawal's) `issuedAt` a cosignature may be made and still count. The
     * agency has its checkpoint cosigned within seconds of logging; a cosignature made much later is of a
     * checkpoint the witnesses never saw when the request went out (a fork shown to them afterwards).
     */
    maxCosignatureDelaySeconds: 10 * MINUTE
  },
  /** How far in the future a message's `issuedAt` may be, against clocks that disagree. */
  clockSkewSeconds: 5 * MINUTE
} as const

export type Category = typeof LIMITS.request.categories[number]

export function isCategory (value: unknown): value is Category {
  return (LIMITS.request.categories as readonly unknown[]).includes(value)
}

/**
 * The cosignature timestamps that count for a message issued at `issuedAt` (unix seconds): from the clock-skew
 * allowance before it (a witness's clock may run behind the agency's) to the cosignature delay after it.
 */
export function cosignatureWindow (issuedAt: number): { notBefore: number, notAfter: number } {
  return { notBefore: issuedAt - LIMITS.clockSkewSeconds, notAfter: issuedAt + LIMITS.witness.maxCosignatureDelaySeconds }
}

/** Length in Unicode code points (what a person counts as characters, near enough). */
export function textLength (text: string): number {
  let n = 0
  for (const _ of text) n++
  return n
}
