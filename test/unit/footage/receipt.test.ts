// Receipt verification and receipt status, on an in-memory log: every way a receipt can lie is refused,
// and "publicly anchored" needs the chain's root to be this checkpoint's tree or one consistent with it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { encodeLogEntry, hashLeaf, verifyCheckpoint, signTyped, requestId, type SignedReceipt } from '../../../protocol/index.js'
import { anchorStatus, createConsent, deliveryEntry, signReceipt, verifyReceipt } from '../../../node/footage/index.js'
import { toHex as bytesToHex } from '../../../protocol/index.js'
import { MemoryFootageLog } from '../../helpers/footage.js'
import { AGENCY, AGENCY_KEY, CLIP_CIDS, DOMAIN, NOW, signedRequest } from '../../helpers/messages.js'

const request = signedRequest()
const consent = createConsent({ request: requestId(request), clips: [{ cid: CLIP_CIDS[0]!, size: 1000, start: NOW - 3 * 3600, end: NOW - 3 * 3600 + 60, mediaType: 'video/mp4', durationMs: 60_000, camera: 'Front door' }], domain: DOMAIN, issuedAt: NOW + 100 })

async function delivered (): Promise<{ log: MemoryFootageLog, receipt: SignedReceipt, entry: Uint8Array }> {
  const log = new MemoryFootageLog()
  await log.append(new Uint8Array([1]))
  const entry = encodeLogEntry(deliveryEntry(consent.signed, NOW + 200))
  const index = await log.append(entry)
  await log.append(new Uint8Array([2]))
  const p = await log.proof(index)
  return { log, entry, receipt: signReceipt({ consent: consent.signed, logIndex: index, checkpoint: p.checkpoint, proof: p.proof, domain: DOMAIN, agencyKey: AGENCY_KEY }) }
}

test('a receipt from the request\'s agency with a valid proof verifies', async () => {
  const { receipt, entry } = await delivered()
  const v = verifyReceipt({ receipt, entryBytes: entry, request, consent: consent.signed, domain: DOMAIN })
  assert.equal(v.logIndex, 1)
  assert.equal(v.checkpoint.size, 3)
})

test('a consent key is fresh for each consent', () => {
  const again = createConsent({ request: requestId(request), clips: consent.signed.message.clips, domain: DOMAIN, issuedAt: NOW + 100 })
  assert.notEqual(again.signed.message.consentKey, consent.signed.message.consentKey)
  assert.notEqual(again.consentKey, consent.consentKey)
})

test('receipts that lie are refused, each with its reason', async () => {
  const { receipt, entry } = await delivered()
  const reasonOf = (r: SignedReceipt, e = entry): string => {
    try { verifyReceipt({ receipt: r, entryBytes: e, request, consent: consent.signed, domain: DOMAIN }) } catch (err: any) {
      assert.equal(err.name, 'InvalidReceiptError')
      return err.details.reason
    }
    return 'accepted'
  }
  const resign = (patch: Partial<SignedReceipt['message']>, key = AGENCY_KEY): SignedReceipt => signTyped('Receipt', { ...receipt.message, ...patch }, DOMAIN, key)
  assert.equal(reasonOf(resign({}, '0x' + '11'.repeat(32))), 'signature')
  assert.equal(reasonOf(resign({ consent: requestId(request) })), 'consent')
  assert.equal(reasonOf(resign({ logIndex: 0 })), 'inclusion proof')
  assert.equal(reasonOf(resign({ proof: receipt.message.proof.map((h, i) => i === 0 ? '0x' + '00'.repeat(32) : h) })), 'inclusion proof')
  assert.equal(reasonOf(receipt, encodeLogEntry(deliveryEntry({ ...consent.signed, message: { ...consent.signed.message, clips: [{ ...consent.signed.message.clips[0]!, size: 999 }] } }, NOW + 200))), 'entry content')
  assert.equal(reasonOf(receipt, encodeLogEntry({ kind: 'access', clip: CLIP_CIDS[0]!, actor: 'a', purpose: 'p', at: 1 })), 'entry kind')
})

test('receipt status: logged until the chain anchors this tree or a later one consistent with it', async () => {
  const { log, receipt } = await delivered()
  const checkpoint = verifyCheckpoint(receipt.message.checkpoint, AGENCY, DOMAIN.chainId)
  const anchorAt = (size: number): { latestAnchor: () => Promise<{ treeSize: number, root: string }> } => ({ latestAnchor: async () => ({ treeSize: size, root: bytesToHex(log.tree.rootAt(size)) }) })
  assert.equal(await anchorStatus(checkpoint, AGENCY, { latestAnchor: async () => undefined }, log), 'logged')
  assert.equal(await anchorStatus(checkpoint, AGENCY, anchorAt(2), log), 'logged')
  assert.equal(await anchorStatus(checkpoint, AGENCY, anchorAt(3), log), 'publicly-anchored')
  await log.append(new Uint8Array([3]))
  await log.append(new Uint8Array([4]))
  assert.equal(await anchorStatus(checkpoint, AGENCY, anchorAt(5), log), 'publicly-anchored')
  // An anchored root the checkpoint's tree is not a prefix of: a split view.
  const forked = { latestAnchor: async () => ({ treeSize: 5, root: bytesToHex(hashLeaf(new Uint8Array([9]))) }) }
  await assert.rejects(anchorStatus(checkpoint, AGENCY, forked, log), (err: any) => err.name === 'InvalidReceiptError' && err.details.reason === 'split view')
})

test('the public `delivery` entry carries each clip\'s CID and size only: no label, media type, span or length', () => {
  const labelled = createConsent({
    request: requestId(request),
    clips: [{ cid: CLIP_CIDS[1]!, size: 2000, start: NOW - 3600, end: NOW - 3000, mediaType: 'video/x-matroska', durationMs: 600_000, camera: 'Smith family back yard' }],
    domain: DOMAIN,
    issuedAt: NOW + 100
  })
  const entry = deliveryEntry(labelled.signed, NOW + 200)
  assert.deepEqual(entry.clips, [{ cid: CLIP_CIDS[1], size: 2000 }])
  // The bytes themselves, as auditors and everyone else read them.
  const text = new TextDecoder('utf-8', { fatal: false }).decode(encodeLogEntry(entry))
  for (const secret of ['Smith family back yard', 'video/x-matroska', 'camera', 'mediaType', 'durationMs']) assert.equal(text.includes(secret), false, secret)
})
