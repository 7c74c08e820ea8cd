// The evidence package's format (`porchlight-evidence/1`, docs/evidence.md): one zip whose `manifest.json`
// lists every other file with its sha256 and is signed by the agency key. Both the exporter and the offline
// verifier read the layout from here, so the two cannot drift apart.
import { SigningKey, hashMessage, verifyMessage } from 'ethers'
import { sha256 } from '@noble/hashes/sha2.js'
import { toHex } from '../../protocol/index.js'

export const EVIDENCE_FORMAT = 'porchlight-evidence/1'
export const MANIFEST = 'manifest.json'

/** Where each item sits in the archive. */
export const paths = {
  request: 'request/request.cbor',
  consent: (consent: string) => `deliveries/${consent}/consent.cbor`,
  receipt: (consent: string) => `deliveries/${consent}/receipt.cbor`,
  ciphertext: (cid: string) => `clips/${cid}.age`,
  plaintext: (cid: string, ext: string) => `clips/${cid}.${ext}`,
  entries: 'log/entries.json',
  checkpoint: 'log/checkpoint.txt',
  witnesses: 'log/witnesses.json',
  anchors: 'anchors/anchors.json',
  anchorTx: (hash: string) => `anchors/${hash}.json`,
  report: 'report.html',
  certification: 'certification.txt'
} as const

export interface ManifestItem {
  path: string
  /** What it is, in a few words (the report's item table). */
  kind: string
  bytes: number
  /** 0x-hex sha256 of the item's bytes. */
  sha256: string
}

export interface ManifestClip {
  cid: string
  consent: string
  /** Plaintext bytes, as the consent names them. */
  size: number
  ciphertextSize: number
  mediaType: string
  plaintext: string
  ciphertext: string
}

export interface EvidenceManifestBody {
  format: typeof EVIDENCE_FORMAT
  /** Unix seconds. */
  createdAt: number
  /** The user who exported it (the pseudonymous id the log's `access` entries name). */
  exportedBy: string
  /** The `access` entries (purpose `export`) this export logged, one per clip. */
  exportAccess: number[]
  /** The agency's address (EIP-55): it signs the manifest, the checkpoints, the request and the receipts. */
  agency: string
  chainId: number
  /** The AgencyRegistry (the EIP-712 verifying contract) and the AuditAnchor contract. */
  registry: string
  auditAnchor: string
  request: string
  caseCode: string
  deliveries: Array<{ consent: string, logIndex: number }>
  clips: ManifestClip[]
  items: ManifestItem[]
}

/** The manifest as stored: its body and the agency's EIP-191 signature over the body's canonical JSON. */
export interface EvidenceManifest extends EvidenceManifestBody {
  signature: string
}

export function sha256Hex (bytes: Uint8Array): string {
  return toHex(sha256(bytes))
}

/** The exact bytes the agency signs: the body as JSON, keys in the order above, no whitespace. */
export function signedBytes (body: EvidenceManifestBody): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(bodyOf(body)))
}

/** The one serialization of a manifest: a verifier refuses any other, so no byte of it can change unnoticed. */
export function encodeManifest (manifest: EvidenceManifest): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ ...bodyOf(manifest), signature: manifest.signature }, null, 2) + '\n')
}

export function signManifest (body: EvidenceManifestBody, agencyKey: string | Uint8Array): EvidenceManifest {
  const signature = new SigningKey(agencyKey).sign(hashMessage(signedBytes(body))).serialized
  return { ...bodyOf(body), signature }
}

/** The address that signed `manifest` (throws on a malformed signature). */
export function manifestSigner (manifest: EvidenceManifest): string {
  return verifyMessage(signedBytes(manifest), manifest.signature)
}

function bodyOf (m: EvidenceManifestBody): EvidenceManifestBody {
  return {
    format: m.format,
    createdAt: m.createdAt,
    exportedBy: m.exportedBy,
    exportAccess: m.exportAccess,
    agency: m.agency,
    chainId: m.chainId,
    registry: m.registry,
    auditAnchor: m.auditAnchor,
    request: m.request,
    caseCode: m.caseCode,
    deliveries: m.deliveries.map((d) => ({ consent: d.consent, logIndex: d.logIndex })),
    clips: m.clips.map((c) => ({ cid: c.cid, consent: c.consent, size: c.size, ciphertextSize: c.ciphertextSize, mediaType: c.mediaType, plaintext: c.plaintext, ciphertext: c.ciphertext })),
    items: m.items.map((i) => ({ path: i.path, kind: i.kind, bytes: i.bytes, sha256: i.sha256 }))
  }
}

/** One logged entry with its inclusion proof against `log/checkpoint.txt`. */
export interface ProvenEntry {
  index: number
  kind: string
  /** The entry's bytes as logged, 0x hex. */
  entry: string
  proof: string[]
}

/** One anchor transaction: what it says, and the consistency proof that ties it to the package's checkpoint. */
export interface AnchorItem {
  treeSize: number
  root: string
  transactionHash: string
  blockNumber: number
  /** The anchored checkpoint note, where the node recorded it. */
  checkpoint?: string
  /**
   * A consistency proof between the anchored tree and the package's checkpoint (from the smaller to the
   * larger), 0x hex: the anchored root and the checkpoint's are one log.
   */
  consistency: string[]
  /** The item holding the chain's own JSON-RPC answers (transaction, receipt, block). */
  raw: string
}

/** What `anchors/<tx>.json` holds: the chain's JSON-RPC answers, verbatim. */
export interface RawAnchor {
  transaction: Record<string, unknown>
  receipt: Record<string, unknown>
  block: Record<string, unknown>
}
