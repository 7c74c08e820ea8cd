// The auditor alone (no peer auditor) against checkpoints that reach it as they reach residents: a receipt
// and a witness's latest cosigned checkpoint whose tree differs from the agency's public log at that size are
// SPLIT_VIEW, with both roots and both notes; honest ones are no finding; a witness line its key did not sign
// is FORGED_COSIGNATURE; the witness set and its changes are in the report. Witnesses and the registry are
// doubles of node/witness's client and the chain client's WitnessRegistry view (issue 14, H1 and H2).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { ed25519 } from '@noble/curves/ed25519.js'
import { Wallet, getBytes } from 'ethers'
import { Auditor, type AuditReport, type WitnessChange, type WitnessCheckpoints } from '../../../node/auditor/index.js'
import {
  MemoryTree, encodeVerifierKey, formatSignatureLine, fromHex, parseSignatureLine, parseVerifierKey, messageId, parseSignedNote, signCheckpoint, signCosignature, signTyped, verifyConsistency,
  type RegisteredWitness, type WitnessSet
} from '../../../protocol/index.js'
import { startAuditChain, type AuditChainFixture, type TestAgency } from '../../helpers/audit-chain.js'

let fx: AuditChainFixture

before(async () => { fx = await startAuditChain(6) })
after(async () => { await fx.stop() })

/** A checkpoint the agency signs of a private tree of `size` entries whose last differs from its public log. */
function forkOf (a: TestAgency, size: number): string {
  const tree = new MemoryTree()
  for (const e of a.log.view.entries.slice(0, size - 1)) tree.append(e)
  tree.append(Uint8Array.of(0xf0, 0x4b, size))
  return signCheckpoint({ origin: a.log.origin, size, root: tree.root() }, getBytes(a.key))
}

function receiptOf (key: string, checkpoint: string): { receipt: { message: { consent: string, request: string, logIndex: number, checkpoint: string, proof: string[] }, signature: string } } {
  const message = { consent: messageId(Uint8Array.of(1)), request: messageId(Uint8Array.of(2)), logIndex: 0, checkpoint, proof: [] }
  return { receipt: signTyped('Receipt', message, fx.domain, key) }
}

function splitViews (report: AuditReport, a: TestAgency): Array<{ size: number, roots: string[], sources: string[] }> {
  return report.findings.filter((f) => f.agency === a.address && f.rule === 'SPLIT_VIEW').map((f) => {
    const seen = f.evidence.seen as Array<{ root: string, source: string }>
    return { size: f.evidence.size as number, roots: seen.map((s) => s.root), sources: seen.map((s) => s.source) }
  })
}

const hex = (b: Uint8Array): string => '0x' + Buffer.from(b).toString('hex')

test('a receipt carrying a forked checkpoint is SPLIT_VIEW with both roots; an honest one is no finding; bad receipts are refused and change nothing', async () => {
  const a = await fx.agencyWith(40)
  const auditor = new Auditor({ chain: fx.reader, logs: { [a.address]: a.url } })
  const refused: string[] = []
  auditor.on('checkpoint:refused', ({ code }) => refused.push(code))

  const honest = auditor.submitReceipt(receiptOf(a.key, a.log.checkpoint(30)))
  assert.deepEqual(honest, { agency: a.address, size: 30, root: hex(a.log.rootAt(30)), fresh: true })
  assert.equal(auditor.submitReceipt(receiptOf(a.key, a.log.checkpoint(30))).fresh, false, 'the same checkpoint twice is held once')
  const clean = await auditor.audit({ agency: a.address })
  assert.deepEqual(clean.findings, [])
  assert.equal(clean.pendingCheckpoints, 0, 'a checkpoint compared with the log is no longer held')

  const fork = forkOf(a, 20)
  const forked = auditor.submitReceipt(receiptOf(a.key, fork))
  assert.equal(auditor.pendingCheckpoints, 1)
  const report = await auditor.audit({ agency: a.address })
  assert.deepEqual(splitViews(report, a), [{ size: 20, roots: [hex(a.log.rootAt(20)), forked.root], sources: ['log', 'receipt'] }])
  const evidence = report.findings[0]!.evidence.seen as Array<{ note: string, noteSize: number, noteRoot: string, consistencyProof: string[] }>
  assert.equal((evidence[1] as unknown as { note: string }).note, fork)
  // Anyone can re-check it: the public root at 20 is consistent with the served checkpoint the agency signed.
  verifyConsistency(20, evidence[0]!.noteSize, evidence[0]!.consistencyProof.map(fromHex), a.log.rootAt(20), fromHex(evidence[0]!.noteRoot))
  assert.equal(evidence[0]!.noteSize, 40)

  // Refused, typed, counted, and nothing held: another key's signature, an agency it does not audit, no note.
  const other = await fx.agencyWith(1)
  const stranger = Wallet.createRandom()
  const strangerNote = signCheckpoint({ origin: `porchlight.${fx.chain.chainId}/${stranger.address.toLowerCase()}`, size: 1, root: new Uint8Array(32) }, getBytes(stranger.privateKey))
  const attempts = [receiptOf(other.key, a.log.checkpoint(40)), receiptOf(stranger.privateKey, strangerNote), receiptOf(a.key, 'not a note\n')]
  const codes = attempts.map((r) => { try { auditor.submitReceipt(r); return 'accepted' } catch (err) { return (err as { code: string }).code } })
  assert.deepEqual(codes, ['RECEIPT_NOT_VERIFIED', 'AGENCY_NOT_AUDITED', 'RECEIPT_NOT_VERIFIED'])
  assert.deepEqual(refused, codes)
  assert.equal(auditor.pendingCheckpoints, 0)
})

interface WitnessDouble { witness: RegisteredWitness, secretKey: Uint8Array }

function witnessDouble (name: string): WitnessDouble {
  const secretKey = ed25519.utils.randomSecretKey()
  return { witness: { name, vkey: encodeVerifierKey(name, ed25519.getPublicKey(secretKey)), url: `http://${name}.invalid`, multiaddr: '' }, secretKey }
}

function cosign (w: WitnessDouble, note: string): string {
  return note + signCosignature({ name: w.witness.name, secretKey: w.secretKey, checkpoint: parseSignedNote(note).text, timestamp: 1_800_000_000 })
}

/** A line in `w`'s name and key id whose signature another key made. */
function forge (w: WitnessDouble, note: string): string {
  const line = signCosignature({ name: w.witness.name, secretKey: ed25519.utils.randomSecretKey(), checkpoint: parseSignedNote(note).text, timestamp: 1_800_000_000 })
  const { signature } = parseSignatureLine(line.slice(0, -1))
  return note + formatSignatureLine({ name: w.witness.name, keyId: parseVerifierKey(w.witness.vkey).keyId, signature })
}

test("witnesses' latest checkpoints: a fork is SPLIT_VIEW, a forged line FORGED_COSIGNATURE, an honest one nothing; the set and its changes are reported", async () => {
  const a = await fx.agencyWith(30)
  const [forking, forging, honest] = [witnessDouble('w-fork'), witnessDouble('w-forge'), witnessDouble('w-honest')]
  const latest = new Map<string, string>([
    [forking.witness.name, cosign(forking, forkOf(a, 25))],
    [forging.witness.name, forge(forging, a.log.checkpoint(30))],
    [honest.witness.name, cosign(honest, a.log.checkpoint(30))]
  ])
  let set: WitnessSet = { quorum: 2, witnesses: [forking, forging, honest].map((w) => w.witness) }
  const changes: WitnessChange[] = set.witnesses.map((w, i) => ({ kind: 'added', name: w.name, blockNumber: 10 + i, transactionHash: `0x${String(i).repeat(64)}` }))
  changes.push({ kind: 'quorum', quorum: 2, blockNumber: 13, transactionHash: `0x${'4'.repeat(64)}` })
  const asked: string[] = []
  const auditor = new Auditor({
    chain: fx.reader,
    logs: { [a.address]: a.url },
    witnesses: { witnessSet: async () => set, witnessEvents: async () => [...changes] },
    witnessClient: (witness): WitnessCheckpoints => ({
      witness,
      latest: async (origin) => { asked.push(`${witness.name} ${origin}`); return latest.get(witness.name) }
    })
  })
  const report = await auditor.audit({ agency: a.address })
  assert.deepEqual(asked.sort(), set.witnesses.map((w) => `${w.name} ${a.log.origin}`).sort())
  assert.deepEqual(splitViews(report, a), [{ size: 25, roots: [hex(a.log.rootAt(25)), splitRoot(latest.get('w-fork')!)], sources: ['log', 'witness'] }])
  const forged = report.findings.filter((f) => f.rule === 'FORGED_COSIGNATURE')
  assert.deepEqual(forged.map((f) => [f.agency, f.evidence.witness, f.evidence.code]), [[a.address, 'w-forge', 'FORGED_COSIGNATURE']])
  assert.equal(report.findings.length, 2, 'the honest witness is no finding')
  assert.deepEqual(report.witnesses, { quorum: 2, set: set.witnesses, changes })

  // The council removes the forging witness: the next report shows the new set and the change.
  set = { quorum: 2, witnesses: [forking.witness, honest.witness] }
  changes.push({ kind: 'removed', name: 'w-forge', blockNumber: 20, transactionHash: `0x${'5'.repeat(64)}` })
  const next = await auditor.audit({ agency: a.address })
  assert.deepEqual(next.witnesses?.set.map((w) => w.name), ['w-fork', 'w-honest'])
  assert.deepEqual(next.witnesses?.changes.at(-1), { kind: 'removed', name: 'w-forge', blockNumber: 20, transactionHash: `0x${'5'.repeat(64)}` })
})

function splitRoot (note: string): string {
  const root = parseSignedNote(note).text.split('\n')[2]!
  return hex(new Uint8Array(Buffer.from(root, 'base64')))
}
