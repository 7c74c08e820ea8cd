// Evidence packages against a real agency node (its level store, persistent log, witnesses, the embedded
// chain anchoring every second): `porchlight evidence export` writes the package through the node's API, each
// clip's opening logged first as an `access` with purpose `export`; `porchlight evidence verify` checks it in
// a process that has no node, no config and no network to ask. Then the property the format exists for: one
// byte changed in any item, and verify fails naming that item; and items changed consistently by someone
// holding the agency key still fail on what the key cannot forge (a CID, an anchor event).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { unzipSync, zipSync } from 'fflate'
import { decodeLogEntry, fromHex, type AccessEntry } from '../../../protocol/index.js'
import type { DeliveryRecord } from '../../../node/deliveries/index.js'
import type { AnchorRecord } from '../../../node/log/anchorer.js'
import {
  encodeManifest, evidencePaths, signManifest, verifyEvidence, type EvidenceManifest, type RawAnchor
} from '../../../node/evidence/index.js'
import { sha256Hex } from '../../../node/evidence/package.js'
import { mp4Clip, randomClip } from '../../support/byte-streams.js'
import { spawn } from 'node:child_process'
import { bin, exitOf, porchlight } from '../../helpers/cli.js'
import { addClip, call, draft, issueRequest, shareWhere, startFootageWorld, type FootageWorld } from '../../helpers/footage-world.js'

let world: FootageWorld
let out: string
let request: string
let consent: string
let deliveryIndex: number
const clips: Array<{ cid: string, bytes: Uint8Array }> = []

before(async () => {
  world = await startFootageWorld({ anchorIntervalSeconds: 1 })
  out = await mkdtemp(join(tmpdir(), 'porchlight-evidence-'))
  const ann = await world.resident('ann')
  request = (await issueRequest(world, draft({ caseCode: 'EV-1' }))).id
  const start = Math.floor(Date.now() / 1000) - 1800
  for (const bytes of [mp4Clip(40_000), randomClip(777)]) clips.push({ bytes, cid: await addClip(ann, bytes, start) })
  const anchorer = world.agency.services.log.anchorer!
  const consented = await call(ann, 'POST', `/api/inbox/${request}/consent`, { clips: clips.map((c) => c.cid) })
  assert.equal(consented.status, 202, JSON.stringify(consented.json))
  consent = consented.json.id
  const share = await shareWhere(ann, consent, (s) => s.state === 'delivered' || s.state === 'failed')
  assert.equal(share.state, 'delivered')
  deliveryIndex = share.logIndex!
  // The delivery anchored before the export: the package then shows an anchor covering it.
  for (;;) {
    const anchors = await anchorer.anchors()
    if (anchors.some((a) => a.treeSize > deliveryIndex)) break
    await once(anchorer, 'anchor:recorded') as [AnchorRecord]
  }
})
after(async () => {
  await world?.stop()
  if (out !== undefined) await rm(out, { recursive: true, force: true })
})

let archive: Uint8Array

test('evidence export writes the package; each clip\'s opening is logged first as an access (export, the user)', { timeout: 60_000 }, async (t) => {
  const file = join(out, 'case.zip')
  const exported = await exitOf(porchlight(t, ['evidence', 'export', request, '--dir', world.agency.dir!, '--out', file]))
  assert.equal(exported.code, 0, exported.stderr)
  const printed = JSON.parse(exported.stdout) as { exportAccess: number[], bytes: number }
  archive = new Uint8Array(await readFile(file))
  assert.equal(printed.bytes, archive.length)
  assert.equal(printed.exportAccess.length, clips.length)
  for (const index of printed.exportAccess) {
    const entry = decodeLogEntry(await world.agency.services.log.log!.entry(index)) as AccessEntry
    assert.equal(entry.kind, 'access')
    assert.equal(entry.purpose, 'export')
    // The node's own token acts as the operator (node/api/principal.ts).
    assert.equal(entry.actor, 'operator')
  }
  const files = unzipSync(archive)
  const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as EvidenceManifest
  assert.deepEqual(manifest.exportAccess, printed.exportAccess)
  assert.deepEqual(manifest.deliveries, [{ consent, logIndex: deliveryIndex }])
  for (const c of clips) {
    const listed = manifest.clips.find((m) => m.cid === c.cid)!
    assert.deepEqual(files[listed.plaintext], c.bytes)
    assert.deepEqual(files[listed.ciphertext], new Uint8Array(await readFile(world.agency.services.footage.vault.path(consent, c.cid))))
  }
  assert.equal(manifest.clips.find((m) => m.cid === clips[0]!.cid)!.mediaType, 'video/mp4')
  for (const name of ['report.html', 'certification.txt', 'log/checkpoint.txt', 'anchors/anchors.json']) assert.ok(files[name] !== undefined, name)
  // The report names the exporter and every item's hash; the certification too.
  const report = new TextDecoder().decode(files['report.html'])
  assert.match(report, /operator/)
  assert.ok(manifest.items.filter((i) => i.path !== 'report.html' && i.path !== 'certification.txt').every((i) => report.includes(i.sha256)))
})

test('evidence verify checks the package offline: no node, no config, another working directory, an environment with nothing of the node', { timeout: 60_000 }, async (t) => {
  const file = join(out, 'case.zip')
  const empty = await mkdtemp(join(tmpdir(), 'porchlight-evidence-cwd-'))
  t.after(async () => { await rm(empty, { recursive: true, force: true }) })
  const child = spawn(process.execPath, [bin, 'evidence', 'verify', file], { cwd: empty, env: { PORCHLIGHT_FROM_SOURCES: process.env.PORCHLIGHT_FROM_SOURCES ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] })
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const verified = await exitOf(child)
  assert.equal(verified.code, 0, verified.stderr)
  const result = JSON.parse(verified.stdout) as { ok: boolean, caseCode: string, checks: Array<{ item: string }>, onChain: Array<{ blockNumber: number, blockHash: string }> }
  assert.equal(result.ok, true)
  assert.equal(result.caseCode, 'EV-1')
  assert.ok(result.checks.some((c) => c.item.startsWith('anchors/0x')), 'an anchor transaction was checked')
  // What it asks the reader to confirm on chain is the chain's own block.
  assert.ok(result.onChain.length > 0)
  for (const b of result.onChain) assert.equal(b.blockHash, (await world.council.provider.getBlock(b.blockNumber))!.hash)
})

/** Re-zips `files`; with `resign`, the manifest lists the files' new hashes and is signed again with the agency key. */
function rezip (files: Record<string, Uint8Array>, resign = false): Uint8Array {
  if (resign) {
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as EvidenceManifest
    const items = manifest.items.map((i) => ({ ...i, bytes: files[i.path]!.length, sha256: sha256Hex(files[i.path]!) }))
    const { signature: _s, ...body } = manifest
    files = { ...files, 'manifest.json': encodeManifest(signManifest({ ...body, items }, world.agency.keys.agencyKey!)) }
  }
  return zipSync(files)
}

function failure (bytes: Uint8Array): { name: string, code: string, item: string } {
  try { verifyEvidence(bytes) } catch (err) {
    const e = err as { name: string, code: string, details: { item: string } }
    return { name: e.name, code: e.code, item: e.details.item }
  }
  assert.fail('verify passed')
}

test('one byte changed in any item: verify fails naming that item (property)', { timeout: 120_000 }, () => {
  const files = unzipSync(archive)
  const names = Object.keys(files).sort()
  assert.ok(names.length >= 12, names.join(' '))
  // The untouched package, re-zipped, verifies: a failure below is the changed byte's doing.
  assert.equal(verifyEvidence(rezip(files)).manifest.request, request)
  fc.assert(fc.property(fc.nat(names.length - 1), fc.nat(), fc.integer({ min: 1, max: 255 }), (n, at, flip) => {
    const item = names[n]!
    const bytes = new Uint8Array(files[item]!)
    bytes[at % bytes.length]! ^= flip
    assert.equal(failure(rezip({ ...files, [item]: bytes })).item, item)
  }), { numRuns: 300 })
})

test('a missing item, an unlisted file, a truncated archive: each its own error', () => {
  const files = unzipSync(archive)
  const { [evidencePaths.checkpoint]: _cp, ...without } = files
  assert.deepEqual(failure(rezip(without)), { name: 'EvidenceItemMissingError', code: 'EVIDENCE_ITEM_MISSING', item: evidencePaths.checkpoint })
  assert.deepEqual(failure(rezip({ ...files, 'extra.txt': new Uint8Array([1]) })), { name: 'EvidenceItemUnlistedError', code: 'EVIDENCE_ITEM_UNLISTED', item: 'extra.txt' })
  assert.deepEqual(failure(archive.subarray(0, archive.length - 30)), { name: 'EvidenceArchiveError', code: 'EVIDENCE_ARCHIVE_INVALID', item: 'archive' })
})

test('items changed by the agency key\'s holder, manifest re-signed: what the key cannot forge still fails', () => {
  const files = unzipSync(archive)
  const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as EvidenceManifest
  // Re-signing alone changes nothing that matters.
  assert.equal(verifyEvidence(rezip(files, true)).manifest.request, request)
  // Another clip in place of the consented one: its CID is the resident's.
  const plaintext = manifest.clips[1]!.plaintext
  assert.deepEqual(failure(rezip({ ...files, [plaintext]: randomClip(777) }, true)), { name: 'EvidenceCheckError', code: 'EVIDENCE_CHECK_FAILED', item: plaintext })
  // An anchor transaction's event saying another root: the transaction's hash is the chain's.
  const anchors = JSON.parse(new TextDecoder().decode(files[evidencePaths.anchors])) as Array<{ raw: string }>
  const rawPath = anchors[0]!.raw
  const raw = JSON.parse(new TextDecoder().decode(files[rawPath])) as RawAnchor
  const tx = raw.transaction as { input: string }
  tx.input = tx.input.slice(0, -2) + (tx.input.endsWith('00') ? '01' : '00')
  assert.deepEqual(failure(rezip({ ...files, [rawPath]: new TextEncoder().encode(JSON.stringify(raw)) }, true)), { name: 'EvidenceCheckError', code: 'EVIDENCE_CHECK_FAILED', item: rawPath })
  // A manifest signed by another key.
  const { signature: _s, ...body } = manifest
  const other = encodeManifest(signManifest(body, '0x' + '11'.repeat(32)))
  assert.deepEqual(failure(zipSync({ ...files, 'manifest.json': other })), { name: 'EvidenceSignatureError', code: 'EVIDENCE_SIGNATURE_INVALID', item: 'manifest.json' })
})

test('the export of one delivery (its consent id); an unknown id is 404 and logs nothing; a malformed one 400', { timeout: 60_000 }, async () => {
  const log = world.agency.services.log.log!
  const res = await call(world.agency, 'POST', `/api/evidence/${consent}`, {})
  assert.equal(res.status, 200)
  assert.equal(res.headers.get('content-type'), 'application/zip')
  assert.match(res.headers.get('content-disposition')!, /^attachment; filename="evidence-EV-1-[a-z2-7]{12}\.zip"$/)
  assert.deepEqual(verifyEvidence(res.body).manifest.deliveries.map((d) => d.consent), [consent])
  const size = log.size
  const unknown = await call(world.agency, 'POST', `/api/evidence/b${'a'.repeat(58)}`, {})
  assert.equal(unknown.status, 404)
  assert.equal(unknown.json.error.code, 'EVIDENCE_SUBJECT_NOT_FOUND')
  assert.equal((await call(world.agency, 'POST', '/api/evidence/nope', {})).json.error.code, 'VALIDATION_FAILED')
  assert.equal((await call(world.agency, 'POST', `/api/evidence/${consent}`, {}, null)).status, 401)
  assert.equal(log.size, size, 'nothing logged')
  const metrics = new TextDecoder().decode((await call(world.agency, 'GET', '/metrics')).body)
  assert.match(metrics, /^porchlight_evidence_exports_refused_total\{code="EVIDENCE_SUBJECT_NOT_FOUND"\} 1$/m)
  assert.match(metrics, /^porchlight_evidence_exports_total [1-9]/m)
})

test('a delivery recorded after a crash (no receipt sent) gets a receipt signed at the export; one without its consent kept is refused', { timeout: 60_000 }, async () => {
  // The records as the footage desk reads them, changed for this test only (its store's sublevel is the desk's own).
  const footage = world.agency.services.footage
  const record = (await footage.delivery(consent))!
  const { receipt: _r, ...noReceipt } = record
  let current: DeliveryRecord = noReceipt
  const saved = { delivery: footage.delivery.bind(footage), deliveries: footage.deliveries.bind(footage) }
  footage.delivery = async (id) => id === consent ? current : await saved.delivery(id)
  footage.deliveries = async () => (await saved.deliveries()).map((d) => d.consent === consent ? current : d)
  try {
    const res = await call(world.agency, 'POST', `/api/evidence/${consent}`, {})
    assert.equal(res.status, 200)
    const files = unzipSync(res.body)
    assert.notDeepEqual(files[evidencePaths.receipt(consent)], fromHex(record.receipt!), 'a new receipt')
    assert.equal(verifyEvidence(res.body).manifest.deliveries[0]!.consent, consent)
    const { signedConsent: _c, ...noConsent } = noReceipt
    current = noConsent
    const size = world.agency.services.log.log!.size
    const refused = await call(world.agency, 'POST', `/api/evidence/${request}`, {})
    assert.equal(refused.status, 409)
    assert.equal(refused.json.error.code, 'EVIDENCE_UNAVAILABLE')
    assert.equal(world.agency.services.log.log!.size, size, 'nothing logged')
  } finally {
    Object.assign(footage, saved)
  }
})
