// The auditor's "check one thing" page: a pasted signed receipt, or a log entry with its inclusion proof,
// checked entirely in this browser. The checkpoint names its log (`porchlight.<chainId>/<agency>`), so the
// agency whose signature must be on it comes from the evidence itself; whether that agency is registered is
// then a question for the registry (the page shows the address to compare).
import {
  decodeLogEntry, encodeLogEntry, hashLeaf, openCheckpoint, parseCheckpoint, parseCheckpointOrigin, parseSignedNote, fromHex,
  verifyInclusion, verifySigned, type Domain, type LogEntry, type ReceiptFile, type SignedReceipt
} from '../../../protocol/index.js'

export interface Step {
  label: string
  ok: boolean
  detail: string
}

export interface EvidenceResult {
  kind: 'receipt' | 'entry'
  agency?: string
  steps: Step[]
  ok: boolean
}

export class EvidenceFormatError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'EvidenceFormatError'
  }
}

export interface Evidence {
  receipt?: SignedReceipt
  /** The entry, or its encoded bytes as hex (what a resident node's share record holds). */
  entry?: LogEntry | string
  logIndex?: number
  checkpoint?: string
  proof?: string[]
  /** The chain and registry a receipt file (ReceiptFile) says it is of. */
  named?: { chainId: number, registry: string }
}

const RECEIPT_FILE_FORMAT: ReceiptFile['format'] = 'porchlight-receipt/1'

function reason (err: unknown): string {
  const e = err as { code?: string, name?: string, message?: string }
  return `${e.code ?? e.name ?? 'error'}: ${e.message ?? String(err)}`
}

function step (label: string, run: () => string): Step {
  try {
    return { label, ok: true, detail: run() }
  } catch (err) {
    return { label, ok: false, detail: reason(err) }
  }
}

function readPasted (text: string): Evidence {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new EvidenceFormatError('Paste JSON: a signed receipt ({ message, signature }), { receipt, entry }, or { entry, logIndex, checkpoint, proof }.')
  }
  if (typeof value !== 'object' || value === null) throw new EvidenceFormatError('Expected a JSON object.')
  const v = value as Record<string, unknown>
  if (v.format !== undefined) return fromReceiptFile(v)
  if (typeof v.signature === 'string' && typeof v.message === 'object') return { receipt: v as unknown as SignedReceipt }
  return v
}

/** A resident's exported receipt file: its receipt and entry, and the chain and registry it names. */
function fromReceiptFile (v: Record<string, unknown>): Evidence {
  if (v.format !== RECEIPT_FILE_FORMAT) throw new EvidenceFormatError(`Unknown file format ${JSON.stringify(v.format)}: this page reads ${RECEIPT_FILE_FORMAT}.`)
  const file = v as unknown as ReceiptFile
  if (typeof file.receipt !== 'object' || file.receipt === null || typeof file.entry !== 'string' || typeof file.chainId !== 'number' || typeof file.registry !== 'string') {
    throw new EvidenceFormatError('A receipt file needs receipt, entry (hex), chainId and registry.')
  }
  return { receipt: file.receipt, entry: file.entry, named: { chainId: file.chainId, registry: file.registry } }
}

/**
 * Checks pasted evidence. `registryDomain`, when known, lets a receipt's EIP-712 signature be checked too
 * (its domain names the AgencyRegistry contract).
 */
export function checkEvidence (text: string, registryDomain?: Domain): EvidenceResult {
  return checkEvidenceValue(readPasted(text), registryDomain)
}

/** checkEvidence for evidence already parsed (a share's receipt and entry, say). */
export function checkEvidenceValue (pasted: Evidence, registryDomain?: Domain): EvidenceResult {
  const receipt = pasted.receipt?.message
  const logIndex = receipt?.logIndex ?? pasted.logIndex
  const checkpointText = receipt?.checkpoint ?? pasted.checkpoint
  const proof = receipt?.proof ?? pasted.proof
  if (typeof logIndex !== 'number' || typeof checkpointText !== 'string' || !Array.isArray(proof)) {
    throw new EvidenceFormatError('The evidence needs logIndex, checkpoint and proof (a receipt carries all three).')
  }
  const steps: Step[] = []
  let agency: string | undefined
  let chainId: bigint | undefined
  let size = 0
  let root: Uint8Array | undefined
  steps.push(step('Checkpoint signed by the log\'s agency', () => {
    const origin = parseCheckpoint(parseSignedNote(checkpointText).text).origin
    const named = parseCheckpointOrigin(origin)
    const { checkpoint } = openCheckpoint(checkpointText, origin)
    agency = named.agency; chainId = named.chainId; size = checkpoint.size; root = checkpoint.root
    return `${origin}: tree size ${checkpoint.size}`
  }))
  const named = pasted.named
  if (named !== undefined && registryDomain !== undefined) {
    // The auditor checks against its own chain and registry; a file naming others is for another network.
    steps.push(step("The file names this auditor's chain and registry", () => {
      if (named.chainId !== registryDomain.chainId) throw new Error(`the file is of chain ${named.chainId}; this auditor reads chain ${registryDomain.chainId}`)
      if (named.registry.toLowerCase() !== registryDomain.verifyingContract.toLowerCase()) throw new Error(`the file names registry ${named.registry}; this auditor reads ${registryDomain.verifyingContract}`)
      return `chain ${named.chainId}, registry ${named.registry}`
    }))
  }
  if (pasted.receipt !== undefined) {
    const signed = pasted.receipt
    if (registryDomain !== undefined) {
      steps.push(step('Receipt signed by the same agency', () => {
        if (agency === undefined) throw new Error('no agency: the checkpoint did not open')
        if (chainId !== undefined && BigInt(registryDomain.chainId) !== chainId) throw new Error(`checkpoint is from chain ${chainId}, the registry on ${registryDomain.chainId}`)
        return `EIP-712 signature recovers ${verifySigned('Receipt', signed, registryDomain, agency)}`
      }))
    } else {
      steps.push({ label: 'Receipt signature', ok: true, detail: 'not checked: the registry contract of this chain is unknown to this page' })
    }
  }
  if (pasted.entry !== undefined) {
    const given = pasted.entry
    steps.push(step(`Entry ${logIndex} is in the log`, () => {
      if (root === undefined) throw new Error('no root: the checkpoint did not open')
      const entry = typeof given === 'string' ? decodeLogEntry(fromHex(given)) : given
      verifyInclusion(hashLeaf(encodeLogEntry(entry)), logIndex, size, proof.map(fromHex), root)
      if (receipt !== undefined && entry.kind === 'delivery' && (entry.consent !== receipt.consent || entry.request !== receipt.request)) {
        throw new Error('the entry is about another consent or request than the receipt')
      }
      return `a ${entry.kind} entry; inclusion proof of ${proof.length} hashes leads to the signed root`
    }))
  } else {
    steps.push({ label: `Entry ${logIndex} is in the log`, ok: false, detail: 'paste the log entry too (as { receipt, entry }) to check inclusion' })
  }
  return { kind: pasted.receipt !== undefined ? 'receipt' : 'entry', ...(agency === undefined ? {} : { agency }), steps, ok: steps.every((s) => s.ok) }
}
