// `porchlight evidence verify`: checks an evidence package with nothing but its bytes — no node, no network,
// no config. The order is the order of trust: the archive opens; the manifest is in its one canonical form
// and signed by the agency it names; every file is listed and hashes to its listed sha256; then what each
// item says is checked against the others (signatures, CIDs, inclusion and consistency proofs, witness
// cosignatures, the anchor transactions' event encoding). The first failure is thrown, naming its item.
// What this cannot check offline — that the anchor's block is on the chain everyone else sees — the result
// states, with the block hash to look up (docs/evidence.md).
import { unzipSync } from 'fflate'
import { AbiCoder, Transaction, getAddress, id as eventTopic, zeroPadValue } from 'ethers'
import {
  clipCid, consentId as idOfConsent, decodeLogEntry, decodeSignedConsent, decodeSignedReceipt, decodeSignedRequest,
  checkWitnessQuorum, checkpointOrigin, expectedCiphertextSize, fromHex, hashLeaf, openCheckpoint, requestId as idOfRequest,
  toHex, verifyConsistency, verifyInclusion, verifySigned, type Checkpoint, type Domain, type LogEntry, type WitnessSet
} from '../../protocol/index.js'
import { verifyReceipt } from '../footage/receipt.js'
import {
  EvidenceArchiveError, EvidenceCheckError, EvidenceHashMismatchError, EvidenceItemMissingError, EvidenceItemUnlistedError,
  EvidenceManifestError, EvidenceSignatureError
} from './errors.js'
import {
  EVIDENCE_FORMAT, MANIFEST, encodeManifest, manifestSigner, paths, sha256Hex,
  type AnchorItem, type EvidenceManifest, type ProvenEntry, type RawAnchor
} from './package.js'

/** The topic of `Anchored(address indexed agency, uint64 treeSize, bytes32 root)` (contracts/IAuditAnchor.sol). */
export const ANCHORED_TOPIC = eventTopic('Anchored(address,uint64,bytes32)')

export interface VerifiedEvidence {
  manifest: EvidenceManifest
  /** Every check that passed, in order: the item and what was checked. */
  checks: Array<{ item: string, check: string }>
  /** What only the chain can confirm: that these blocks, with these hashes, are on it. */
  onChain: Array<{ blockNumber: number, blockHash: string, transactionHash: string }>
}

const decoder = new TextDecoder('utf-8', { fatal: true })

/** Checks an evidence package (the zip's bytes); throws the first failure, naming its item. */
export function verifyEvidence (archive: Uint8Array): VerifiedEvidence {
  let files: Record<string, Uint8Array>
  try { files = unzipSync(archive) } catch (err) { throw new EvidenceArchiveError(err) }
  const checks: VerifiedEvidence['checks'] = []
  const passed = (item: string, check: string): void => { checks.push({ item, check }) }

  const manifest = readManifest(files)
  passed(MANIFEST, `canonical, signed by the agency ${manifest.agency}`)
  const listed = new Set(manifest.items.map((i) => i.path))
  for (const name of Object.keys(files).sort()) {
    if (name !== MANIFEST && !listed.has(name)) throw new EvidenceItemUnlistedError(name)
  }
  for (const item of manifest.items) {
    const bytes = files[item.path]
    if (bytes === undefined) throw new EvidenceItemMissingError(item.path)
    const actual = sha256Hex(bytes)
    if (actual !== item.sha256 || bytes.length !== item.bytes) throw new EvidenceHashMismatchError(item.path, item.sha256, actual)
  }
  passed('archive', `${manifest.items.length} items, each its listed sha256`)

  const file = (path: string): Uint8Array => {
    const bytes = files[path]
    if (bytes === undefined || !listed.has(path)) throw new EvidenceItemMissingError(path)
    return bytes
  }
  const check = <T>(item: string, what: string, run: () => T): T => {
    try { return run() } catch (err) {
      if (err instanceof EvidenceCheckError || err instanceof EvidenceSignatureError || err instanceof EvidenceItemMissingError) throw err
      throw new EvidenceCheckError(item, what, {}, err)
    }
  }
  const domain: Domain = { chainId: manifest.chainId, verifyingContract: manifest.registry }

  // The request, signed by the agency.
  const request = check(paths.request, 'decodes as a signed request', () => decodeSignedRequest(file(paths.request)))
  try { verifySigned('Request', request, domain, manifest.agency) } catch (err) { throw new EvidenceSignatureError(paths.request, { signer: 'agency' }, err) }
  if (idOfRequest(request) !== manifest.request) throw new EvidenceCheckError(paths.request, 'is the manifest\'s request')
  if (request.message.caseCode !== manifest.caseCode) throw new EvidenceCheckError(paths.request, 'carries the manifest\'s case code')
  passed(paths.request, `signed by the agency; case ${request.message.caseCode}`)

  // The log: the checkpoint is the agency's and witnessed; every entry is in its tree.
  const checkpoint = checkCheckpoint(file, manifest, passed)
  const entries = check(paths.entries, 'is a list of proven entries', () => JSON.parse(decoder.decode(file(paths.entries))) as ProvenEntry[])
  const logged = new Map<number, { bytes: Uint8Array, entry: LogEntry }>()
  for (const e of entries) {
    const bytes = check(paths.entries, `entry ${e.index} is hex`, () => fromHex(e.entry))
    check(paths.entries, `entry ${e.index} is in the checkpoint's tree`, () => { verifyInclusion(hashLeaf(bytes), e.index, checkpoint.size, e.proof.map(fromHex), checkpoint.root) })
    const entry = check(paths.entries, `entry ${e.index} decodes`, () => decodeLogEntry(bytes))
    if (entry.kind !== e.kind) throw new EvidenceCheckError(paths.entries, `entry ${e.index} is the kind it says`)
    logged.set(e.index, { bytes, entry })
  }
  const requestEntry = [...logged.values()].find((l) => l.entry.kind === 'request' && idOfRequest(l.entry.request) === manifest.request)
  if (requestEntry === undefined) throw new EvidenceCheckError(paths.entries, 'holds the request\'s entry')
  passed(paths.entries, `${entries.length} entries, each proven in the tree of size ${checkpoint.size}`)

  // Each delivery: the resident's consent, the delivery entry, the agency's receipt for it.
  const clipsOf = new Map<string, string>()
  for (const d of manifest.deliveries) {
    const consentPath = paths.consent(d.consent)
    const consent = check(consentPath, 'decodes as a signed consent', () => decodeSignedConsent(file(consentPath)))
    try { verifySigned('Consent', consent, domain) } catch (err) { throw new EvidenceSignatureError(consentPath, { signer: 'consent key' }, err) }
    if (idOfConsent(consent) !== d.consent || consent.message.request !== manifest.request) throw new EvidenceCheckError(consentPath, 'is the listed delivery\'s consent for this request')
    passed(consentPath, `signed by the consent key ${consent.message.consentKey}`)
    const delivery = logged.get(d.logIndex)
    if (delivery?.entry.kind !== 'delivery' || delivery.entry.consent !== d.consent) throw new EvidenceCheckError(paths.entries, `holds the delivery entry ${d.logIndex}`)
    const receiptPath = paths.receipt(d.consent)
    const receipt = check(receiptPath, 'decodes as a signed receipt', () => decodeSignedReceipt(file(receiptPath)))
    try {
      verifyReceipt({ receipt, entryBytes: delivery.bytes, request, consent, domain })
    } catch (err) {
      const reason = (err as { details?: { reason?: string } }).details?.reason
      if (reason === 'signature') throw new EvidenceSignatureError(receiptPath, { signer: 'agency' }, err)
      throw new EvidenceCheckError(receiptPath, `the receipt proves the delivery entry (${reason ?? 'invalid'})`, {}, err)
    }
    if (receipt.message.logIndex !== d.logIndex) throw new EvidenceCheckError(receiptPath, 'names the delivery entry')
    passed(receiptPath, `signed by the agency; proves entry ${d.logIndex}`)
    for (const c of consent.message.clips) clipsOf.set(c.cid, d.consent)
  }

  // The clips: the plaintext is the consented bytes (its CID), the ciphertext the age file of its size.
  for (const clip of manifest.clips) {
    if (clipsOf.get(clip.cid) !== clip.consent) throw new EvidenceCheckError(MANIFEST, `clip ${clip.cid} is in its delivery's consent`)
    const plaintext = file(clip.plaintext)
    if (clipCid(plaintext).toString() !== clip.cid || plaintext.length !== clip.size) throw new EvidenceCheckError(clip.plaintext, 'hashes to its CID')
    passed(clip.plaintext, `CID ${clip.cid}`)
    const ciphertext = file(clip.ciphertext)
    if (ciphertext.length !== clip.ciphertextSize || ciphertext.length !== expectedCiphertextSize(clip.size)) throw new EvidenceCheckError(clip.ciphertext, 'is the age file of the clip\'s size')
    passed(clip.ciphertext, `${ciphertext.length} bytes as received`)
  }

  // The export itself is logged: one access with purpose `export` by the exporter, per clip.
  for (const index of manifest.exportAccess) {
    const e = logged.get(index)?.entry
    if (e?.kind !== 'access' || e.purpose !== 'export' || e.actor !== manifest.exportedBy || !clipsOf.has(e.clip)) throw new EvidenceCheckError(paths.entries, `entry ${index} logs this export`)
  }
  passed(paths.entries, `the export is logged (${manifest.exportAccess.length} access entries by ${manifest.exportedBy})`)

  const onChain = checkAnchors(file, manifest, checkpoint, passed)
  return { manifest, checks, onChain }
}

function readManifest (files: Record<string, Uint8Array>): EvidenceManifest {
  const bytes = files[MANIFEST]
  if (bytes === undefined) throw new EvidenceItemMissingError(MANIFEST)
  let manifest: EvidenceManifest
  try { manifest = JSON.parse(decoder.decode(bytes)) as EvidenceManifest } catch (err) { throw new EvidenceManifestError('not JSON', err) }
  if (typeof manifest !== 'object' || manifest === null || manifest.format !== EVIDENCE_FORMAT) throw new EvidenceManifestError(`not ${EVIDENCE_FORMAT}`)
  let canonical: Uint8Array
  try { canonical = encodeManifest(manifest) } catch (err) { throw new EvidenceManifestError('fields missing', err) }
  // One serialization: a byte of whitespace changed would otherwise leave the signed content intact.
  if (canonical.length !== bytes.length || canonical.some((b, i) => b !== bytes[i])) throw new EvidenceManifestError('not in its canonical form')
  let signer: string
  try { signer = manifestSigner(manifest) } catch (err) { throw new EvidenceSignatureError(MANIFEST, { signer: 'agency' }, err) }
  if (signer !== getAddress(manifest.agency)) throw new EvidenceSignatureError(MANIFEST, { signer: 'agency', recovered: signer })
  return manifest
}

function checkCheckpoint (file: (path: string) => Uint8Array, manifest: EvidenceManifest, passed: (item: string, check: string) => void): Checkpoint {
  const note = decoder.decode(file(paths.checkpoint))
  let checkpoint: Checkpoint
  try {
    checkpoint = openCheckpoint(note, checkpointOrigin(manifest.chainId, manifest.agency.toLowerCase())).checkpoint
  } catch (err) { throw new EvidenceSignatureError(paths.checkpoint, { signer: 'agency' }, err) }
  let set: WitnessSet
  try { set = JSON.parse(decoder.decode(file(paths.witnesses))) as WitnessSet } catch (err) { throw new EvidenceCheckError(paths.witnesses, 'is a witness set', {}, err) }
  if (set.quorum > 0) {
    // Any time up to the export: the package shows the checkpoint was witnessed, not when it was fresh.
    try {
      const q = checkWitnessQuorum(note, set, { notBefore: 0, notAfter: manifest.createdAt + 3600 })
      passed(paths.checkpoint, `signed by the agency; cosigned by ${q.cosigned.map((c) => c.name).join(', ')} (quorum ${q.quorum} of ${q.total})`)
    } catch (err) { throw new EvidenceSignatureError(paths.checkpoint, { signer: 'witnesses' }, err) }
  } else {
    passed(paths.checkpoint, 'signed by the agency (no witness quorum on this chain)')
  }
  return checkpoint
}

function checkAnchors (file: (path: string) => Uint8Array, manifest: EvidenceManifest, checkpoint: Checkpoint, passed: (item: string, check: string) => void): VerifiedEvidence['onChain'] {
  let anchors: AnchorItem[]
  try { anchors = JSON.parse(decoder.decode(file(paths.anchors))) as AnchorItem[] } catch (err) { throw new EvidenceCheckError(paths.anchors, 'is a list of anchors', {}, err) }
  const onChain: VerifiedEvidence['onChain'] = []
  for (const a of anchors) {
    const where = `anchor of size ${a.treeSize}`
    try {
      const root = fromHex(a.root)
      const proof = a.consistency.map(fromHex)
      if (a.treeSize <= checkpoint.size) verifyConsistency(a.treeSize, checkpoint.size, proof, root, checkpoint.root)
      else verifyConsistency(checkpoint.size, a.treeSize, proof, checkpoint.root, root)
      if (a.checkpoint !== undefined) {
        const anchored = openCheckpoint(a.checkpoint, checkpoint.origin).checkpoint
        if (anchored.size !== a.treeSize || sha(anchored.root) !== sha(root)) throw new Error('the anchored checkpoint is not the anchor')
      }
    } catch (err) { throw new EvidenceCheckError(paths.anchors, `${where} is consistent with the checkpoint`, {}, err) }
    if (a.raw !== paths.anchorTx(a.transactionHash)) throw new EvidenceCheckError(paths.anchors, `${where} names its raw transaction`)
    onChain.push(checkAnchorTx(a, file(a.raw), manifest))
    passed(a.raw, `transaction ${a.transactionHash} in block ${a.blockNumber} emits Anchored(${manifest.agency}, ${a.treeSize}, ${a.root})`)
  }
  passed(paths.anchors, `${anchors.length} anchors, each consistent with the checkpoint`)
  return onChain
}

const sha = toHex

/** The chain's own answers: the transaction hashes to its hash, its receipt succeeded in its block, and emitted the anchor. */
function checkAnchorTx (a: AnchorItem, bytes: Uint8Array, manifest: EvidenceManifest): VerifiedEvidence['onChain'][number] {
  const item = a.raw
  const fail = (check: string, cause?: unknown): never => { throw new EvidenceCheckError(item, check, {}, cause) }
  let raw: RawAnchor
  try { raw = JSON.parse(decoder.decode(bytes)) as RawAnchor } catch (err) { return fail('is JSON-RPC answers', err) }
  const { transaction: t, receipt: r, block: b } = raw
  let hash: string | null
  try { hash = transactionOf(t).hash } catch (err) { return fail('the transaction is a signed transaction', err) }
  if (hash !== a.transactionHash || t.hash !== hash) fail('the transaction hashes to the anchor\'s hash')
  if (getAddress(String(t.to)) !== getAddress(manifest.auditAnchor)) fail('the transaction calls the AuditAnchor contract')
  if (r.transactionHash !== hash || r.status !== '0x1') fail('the receipt is the transaction\'s, and it succeeded')
  if (Number(r.blockNumber) !== a.blockNumber || b.hash !== r.blockHash || Number(b.number) !== a.blockNumber) fail('the receipt and the block are the anchor\'s block')
  if (!Array.isArray(b.transactions) || !(b.transactions as unknown[]).includes(hash)) fail('the block lists the transaction')
  const logs = Array.isArray(r.logs) ? r.logs as Array<{ address: string, topics: string[], data: string }> : []
  const agencyTopic = zeroPadValue(manifest.agency, 32).toLowerCase()
  const emitted = logs.some((log) => {
    if (getAddress(log.address) !== getAddress(manifest.auditAnchor) || log.topics[0] !== ANCHORED_TOPIC || log.topics[1]?.toLowerCase() !== agencyTopic) return false
    const [treeSize, root] = AbiCoder.defaultAbiCoder().decode(['uint64', 'bytes32'], log.data)
    return Number(treeSize) === a.treeSize && String(root).toLowerCase() === a.root.toLowerCase()
  })
  if (!emitted) fail('the receipt holds the Anchored event of this agency, size and root')
  return { blockNumber: a.blockNumber, blockHash: String(b.hash), transactionHash: hash! }
}

/** An ethers Transaction from `eth_getTransactionByHash`'s answer, to recompute its hash from its fields and signature. */
function transactionOf (t: Record<string, unknown>): Transaction {
  const n = (v: unknown): bigint | undefined => v === undefined || v === null ? undefined : BigInt(v as string)
  return Transaction.from({
    type: Number(t.type),
    ...(t.chainId === undefined ? {} : { chainId: n(t.chainId)! }),
    nonce: Number(t.nonce),
    gasLimit: n(t.gas)!,
    ...(t.gasPrice !== undefined && Number(t.type) < 2 ? { gasPrice: n(t.gasPrice)! } : {}),
    ...(t.maxFeePerGas === undefined ? {} : { maxFeePerGas: n(t.maxFeePerGas)! }),
    ...(t.maxPriorityFeePerGas === undefined ? {} : { maxPriorityFeePerGas: n(t.maxPriorityFeePerGas)! }),
    to: t.to as string,
    value: n(t.value)!,
    data: t.input as string,
    ...(t.accessList === undefined ? {} : { accessList: t.accessList as [] }),
    signature: { r: t.r as string, s: t.s as string, ...(t.yParity === undefined ? { v: Number(t.v) } : { yParity: Number(t.yParity) as 0 | 1 }) }
  })
}
