// The agency's evidence export (issue 19, docs/evidence.md): for one request, or one delivery, every clip
// still held is opened through the footage keeper — its `access` entry (purpose `export`, the user's id) is
// durable in the log before a byte is decrypted — and packed with its ciphertext as received, the signed
// request, consents and receipts, every log entry about them with its inclusion proof against one witnessed
// checkpoint, the anchors that tie that checkpoint to the chain (with the chain's own answers), a report for
// people and a hash certification, all listed in a manifest the agency key signs.
//
// The archive is built in memory (fflate's zipSync): clips are bounded by the consent limits
// (LIMITS.consent), and an export is an operator's deliberate act, not something a peer can trigger.
import { EventEmitter } from 'node:events'
import { readFile } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { zipSync, type Zippable } from 'fflate'
import {
  decodeLogEntry, decodeSignedConsent, encodeSignedReceipt, encodeSignedRequest, fromHex, getAddress, parseCheckpoint, parseSignedNote, requestId as idOfRequest, toHex,
  type LogEntry, type WitnessSet
} from '../../protocol/index.js'
import { isPorchlightError } from '../../protocol/errors.js'
import type { NodeComponents, NodeService } from '../service.js'
import type { ChainService } from '../chain/chain-service.js'
import type { AgencyLogService } from '../log/service.js'
import type { AgencyRequests } from '../agency/requests-service.js'
import type { AgencyFootage } from '../deliveries/footage-desk.js'
import { signReceipt } from '../footage/receipt.js'
import { EvidenceSubjectNotFoundError, EvidenceUnavailableError } from './errors.js'
import {
  EVIDENCE_FORMAT, MANIFEST, encodeManifest, paths, sha256Hex, signManifest,
  type AnchorItem, type EvidenceManifest, type EvidenceManifestBody, type ManifestClip, type ManifestItem, type ProvenEntry, type RawAnchor
} from './package.js'
import { certificationStatement, custodyReport } from './report.js'

/** The purpose every export's `access` entries carry. */
export const EXPORT_PURPOSE = 'export'

export interface EvidenceExporterInit {
  /** Unix seconds. @default the system clock */
  now?: () => number
}

export type EvidenceComponents = Pick<NodeComponents, 'keys'> & Partial<Pick<NodeComponents, 'logger'>> & {
  chain: ChainService
  log: Pick<AgencyLogService, 'log' | 'anchorer' | 'witnessedProof'>
  requests: Pick<AgencyRequests, 'desk'>
  footage: Pick<AgencyFootage, 'keeper' | 'vault' | 'delivery' | 'deliveries'>
}

export interface ExportedEvidence {
  archive: Uint8Array
  manifest: EvidenceManifest
  /** A file name for it: `evidence-<case code>-<id>.zip`, safe on every file system. */
  filename: string
}

const EXTENSIONS: Record<string, string> = { 'video/mp4': 'mp4', 'video/quicktime': 'mov', 'video/webm': 'webm', 'video/x-matroska': 'mkv', 'image/jpeg': 'jpg', 'image/png': 'png' }

export interface EvidenceExporterEvents {
  'evidence:exported': [{ id: string, actor: string, clips: number, bytes: number }]
  /** An export refused with a typed error (`code`); nothing was logged unless a clip was opened first. */
  'evidence:refused': [{ id: string, actor: string, code: string }]
}

export class EvidenceExporter extends EventEmitter<EvidenceExporterEvents> implements NodeService {
  readonly #c: EvidenceComponents
  readonly #now: () => number

  constructor (components: EvidenceComponents, init: EvidenceExporterInit = {}) {
    super()
    this.#c = components
    this.#now = init.now ?? (() => Math.floor(Date.now() / 1000))
  }

  async start (): Promise<void> {}
  async stop (): Promise<void> {}

  /** Exports the request or delivery `id`, logging the export as `actor`'s access to each clip. */
  async export (id: string, actor: string): Promise<ExportedEvidence> {
    const logger = this.#c.logger?.child({ component: 'evidence' })
    try {
      const exported = await this.#export(id, actor)
      logger?.info({ id, actor, clips: exported.manifest.clips.length, exportAccess: exported.manifest.exportAccess, bytes: exported.archive.length }, 'evidence: package exported')
      this.emit('evidence:exported', { id, actor, clips: exported.manifest.clips.length, bytes: exported.archive.length })
      return exported
    } catch (err) {
      if (!isPorchlightError(err)) throw err
      logger?.info({ id, actor, err }, 'evidence: export refused')
      this.emit('evidence:refused', { id, actor, code: err.code })
      throw err
    }
  }

  async #export (id: string, actor: string): Promise<ExportedEvidence> {
    const { chain, footage, requests, keys } = this.#c
    const endpoint = chain.endpoint
    const log = this.#c.log.log
    if (endpoint === undefined || chain.domain === undefined || log === undefined || keys.agencyKey === undefined) throw new EvidenceUnavailableError(id, 'no-chain')
    const one = await footage.delivery(id)
    const requestId = one?.request ?? id
    const found = await requests.desk.lookup(requestId)
    if (found === undefined) throw new EvidenceSubjectNotFoundError(id)
    const deliveries = one !== undefined ? [one] : (await footage.deliveries()).filter((d) => d.request === requestId).sort((a, b) => a.logIndex - b.logIndex)
    if (deliveries.length === 0) throw new EvidenceUnavailableError(id, 'no-delivery')
    if (deliveries.some((d) => d.signedConsent === undefined)) throw new EvidenceUnavailableError(id, 'consent-not-kept')
    const held = deliveries.flatMap((d) => d.clips.filter((c) => d.deleted[c.cid] === undefined).map((c) => ({ delivery: d, clip: c })))
    if (held.length === 0) throw new EvidenceUnavailableError(id, 'deleted')

    const files: Record<string, { bytes: Uint8Array, kind: string }> = {}
    const add = (path: string, kind: string, bytes: Uint8Array): void => { files[path] = { bytes, kind } }
    const signedRequest = found.stored.request
    add(paths.request, 'the request, signed by the agency (dag-cbor)', encodeSignedRequest(signedRequest))
    for (const d of deliveries) {
      add(paths.consent(d.consent), 'the resident\'s signed consent, as received (dag-cbor)', fromHex(d.signedConsent!))
      if (d.receipt !== undefined) add(paths.receipt(d.consent), 'the agency\'s signed receipt, as sent (dag-cbor)', fromHex(d.receipt))
    }

    // Each clip: the ciphertext first (the file may go once the access is logged), then the logged opening.
    const clips: ManifestClip[] = []
    const exportAccess: number[] = []
    for (const { delivery, clip } of held) {
      const ciphertext = new Uint8Array(await readFile(footage.vault.path(delivery.consent, clip.cid)))
      const opened = await footage.keeper.open(clip.cid, EXPORT_PURPOSE, actor)
      exportAccess.push(opened.accessIndex)
      const plaintext = await readAll(opened.plaintext)
      const plaintextPath = paths.plaintext(clip.cid, EXTENSIONS[opened.contentType] ?? 'bin')
      add(paths.ciphertext(clip.cid), 'the clip as received: age-encrypted to the request\'s key', ciphertext)
      add(plaintextPath, `the clip decrypted (${opened.contentType})`, plaintext)
      clips.push({ cid: clip.cid, consent: delivery.consent, size: clip.size, ciphertextSize: clip.ciphertextSize, mediaType: opened.contentType, plaintext: plaintextPath, ciphertext: paths.ciphertext(clip.cid) })
    }

    // One witnessed checkpoint covering the export's own entries: every proof leads to it.
    const witnessed = await this.#c.log.witnessedProof(Math.max(...exportAccess))
    const cp = parseCheckpoint(parseSignedNote(witnessed.checkpoint).text)
    // A delivery recorded after a crash (node/deliveries/delivery-journal.ts) never sent its receipt: the
    // agency signs one now, against the package's checkpoint.
    for (const d of deliveries.filter((r) => r.receipt === undefined)) {
      const receipt = signReceipt({ consent: decodeSignedConsent(fromHex(d.signedConsent!)), logIndex: d.logIndex, checkpoint: witnessed.checkpoint, proof: await log.inclusion(d.logIndex, cp.size), domain: chain.domain, agencyKey: keys.agencyKey })
      add(paths.receipt(d.consent), 'the agency\'s signed receipt, issued at the export (the delivery\'s was never sent)', encodeSignedReceipt(receipt))
    }
    const cids = new Set(held.map((h) => h.clip.cid))
    const consents = new Set(deliveries.map((d) => d.consent))
    const relevant: Array<{ index: number, entry: LogEntry, bytes: Uint8Array }> = []
    const all = await log.entries(0, cp.size)
    all.forEach((bytes, index) => {
      const entry = decodeLogEntry(bytes)
      if (isAbout(entry, requestId, consents, cids)) relevant.push({ index, entry, bytes })
    })
    const proven: ProvenEntry[] = []
    for (const r of relevant) proven.push({ index: r.index, kind: r.entry.kind, entry: toHex(r.bytes), proof: (await log.inclusion(r.index, cp.size)).map(toHex) })
    add(paths.entries, 'the log entries about this request and its clips, each with its inclusion proof', json(proven))
    add(paths.checkpoint, 'the checkpoint the proofs lead to, signed by the agency and cosigned by witnesses', new TextEncoder().encode(witnessed.checkpoint))
    const witnessSet: WitnessSet = (await chain.registry?.witnessSet()) ?? { quorum: 0, witnesses: [] }
    add(paths.witnesses, 'the council\'s witness set (WitnessRegistry) at the export', json(witnessSet))

    const agency = getAddress(signedRequest.message.agency)
    const before = Math.max(...relevant.filter((r) => !exportAccess.includes(r.index)).map((r) => r.index))
    const anchors = await this.#anchors(agency, before, cp.size)
    for (const a of anchors) add(a.item.raw, `the chain's answers for anchor transaction ${a.item.transactionHash}`, json(a.raw))
    add(paths.anchors, 'the anchor transactions, each with a consistency proof to the checkpoint', json(anchors.map((a) => a.item)))

    const head: Omit<EvidenceManifestBody, 'items'> = {
      format: EVIDENCE_FORMAT,
      createdAt: this.#now(),
      exportedBy: actor,
      exportAccess,
      agency,
      chainId: endpoint.chainId,
      registry: getAddress(endpoint.contracts.AgencyRegistry),
      auditAnchor: getAddress(endpoint.contracts.AuditAnchor),
      request: requestId,
      caseCode: signedRequest.message.caseCode,
      deliveries: deliveries.map((d) => ({ consent: d.consent, logIndex: d.logIndex })),
      clips
    }
    const itemsSoFar = (): ManifestItem[] => Object.entries(files).map(([path, f]) => ({ path, kind: f.kind, bytes: f.bytes.length, sha256: sha256Hex(f.bytes) }))
    const witnesses = witnessSet.witnesses.map((w) => w.name)
    add(paths.report, 'the chain-of-custody report (HTML)', new TextEncoder().encode(custodyReport({
      manifest: head, request: signedRequest, entries: relevant, checkpoint: { size: cp.size, root: toHex(cp.root), witnesses }, anchors: anchors.map((a) => a.item), items: itemsSoFar()
    })))
    add(paths.certification, 'the hash certification statement (FRE 902(14) style), to be completed and signed', new TextEncoder().encode(certificationStatement({ manifest: head, items: itemsSoFar() })))
    const manifest = signManifest({ ...head, items: itemsSoFar() }, keys.agencyKey)

    // Clips are stored, not deflated: video does not compress, and the bytes stay greppable in the zip.
    const zippable: Zippable = { [MANIFEST]: encodeManifest(manifest) }
    for (const [path, f] of Object.entries(files)) zippable[path] = [f.bytes, { level: path.startsWith('clips/') ? 0 : 6 }]
    const archive = zipSync(zippable, { mtime: new Date(head.createdAt * 1000) })
    const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60)
    return { archive, manifest, filename: `evidence-${safe(head.caseCode)}-${id.slice(-12)}.zip` }
  }

  /**
   * The anchors to include: the first that covers the entries before the export (the delivery and its uses
   * were anchored), and the latest. Each with a consistency proof to the checkpoint of size `size`.
   */
  async #anchors (agency: string, lastIndex: number, size: number): Promise<Array<{ item: AnchorItem, raw: RawAnchor }>> {
    const client = this.#c.chain.client
    const log = this.#c.log.log!
    if (client === undefined) return []
    const events = (await client.getAnchors(agency)).filter((e) => e.treeSize <= log.size).sort((a, b) => a.treeSize - b.treeSize)
    const picked = [events.find((e) => e.treeSize > lastIndex), events.at(-1)].filter((e, i, list) => e !== undefined && list.indexOf(e) === i)
    const notes = new Map(((await this.#c.log.anchorer?.anchors()) ?? []).map((r) => [r.treeSize, r.checkpoint]))
    const out: Array<{ item: AnchorItem, raw: RawAnchor }> = []
    for (const e of picked) {
      const consistency = e!.treeSize <= size ? await log.consistency(e!.treeSize, size) : await log.consistency(size, e!.treeSize)
      const provider = client.provider
      const [transaction, receipt] = await Promise.all([
        provider.send('eth_getTransactionByHash', [e!.transactionHash]) as Promise<Record<string, unknown>>,
        provider.send('eth_getTransactionReceipt', [e!.transactionHash]) as Promise<Record<string, unknown>>
      ])
      const block = await provider.send('eth_getBlockByNumber', [`0x${e!.blockNumber.toString(16)}`, false]) as Record<string, unknown>
      const note = notes.get(e!.treeSize)
      out.push({
        item: { treeSize: e!.treeSize, root: e!.root, transactionHash: e!.transactionHash, blockNumber: e!.blockNumber, ...(note === undefined ? {} : { checkpoint: note }), consistency: consistency.map(toHex), raw: paths.anchorTx(e!.transactionHash) },
        raw: { transaction, receipt, block }
      })
    }
    return out
  }
}

/** Whether a log entry is about the request, one of its exported deliveries, or one of their clips. */
function isAbout (entry: LogEntry, request: string, consents: Set<string>, cids: Set<string>): boolean {
  switch (entry.kind) {
    case 'request': return idOfRequest(entry.request) === request
    case 'withdraw': return entry.withdrawal.message.request === request
    case 'delivery': return consents.has(entry.consent)
    default: return cids.has(entry.clip)
  }
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n')

async function readAll (stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return new Uint8Array(Buffer.concat(chunks))
}

/** The export as a node service (the agency role, node/roles.ts). */
export function evidenceExporter (init: EvidenceExporterInit = {}): (components: EvidenceComponents) => EvidenceExporter {
  return (components) => new EvidenceExporter(components, init)
}
