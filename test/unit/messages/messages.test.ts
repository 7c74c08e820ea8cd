import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { isPorchlightError } from '../../../protocol/errors.js'
import {
  decodeConsent, decodeDeletionRequest, decodeLogEntry, decodeReceipt, decodeRequest, decodeSignedConsent,
  decodeSignedDeletionRequest, decodeSignedReceipt, decodeSignedRequest, decodeSignedWithdrawal, decodeWithdrawal,
  encodeConsent, encodeDeletionRequest, encodeLogEntry, encodeReceipt, encodeRequest, encodeSignedConsent,
  encodeSignedDeletionRequest, encodeSignedReceipt, encodeSignedRequest, encodeSignedWithdrawal, encodeWithdrawal,
  consentId, deletionRequestId, logEntryCid, messageId, receiptId, requestId, withdrawalId
} from '../../../protocol/messages/index.js'
import { LIMITS } from '../../../protocol/limits/index.js'
import { clipCid } from '../../../protocol/codec/index.js'
import {
  CLIP_CIDS, REQUEST_ID, sampleConsent, sampleDeletionRequest, sampleEntries, sampleReceipt, sampleRequest,
  sampleWithdrawal, signedConsent, signedDeletionRequest, signedReceipt, signedRequest, signedWithdrawal
} from '../../helpers/messages.js'

/** Encodes anything as dag-cbor, bypassing the message checks (to build bad input). */
const raw = (value: unknown): Uint8Array => dagCbor.encode(value)

/** Asserts that `fn` throws a PorchlightError with this name and, if given, details.field. */
function rejects (fn: () => unknown, name: string, field?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isPorchlightError(err), `not a PorchlightError: ${String(err)}`)
    assert.equal(err.name, name, err.message)
    if (field !== undefined) assert.equal(err.details.field, field, err.message)
    return true
  })
}

const roundTrips: Array<[string, unknown, (v: never) => Uint8Array, (b: Uint8Array) => unknown]> = [
  ['Request', sampleRequest(), encodeRequest, decodeRequest],
  ['SignedRequest', signedRequest(), encodeSignedRequest, decodeSignedRequest],
  ['Withdrawal', sampleWithdrawal(), encodeWithdrawal, decodeWithdrawal],
  ['SignedWithdrawal', signedWithdrawal(), encodeSignedWithdrawal, decodeSignedWithdrawal],
  ['Consent', sampleConsent(), encodeConsent, decodeConsent],
  ['SignedConsent', signedConsent(), encodeSignedConsent, decodeSignedConsent],
  ['Receipt', sampleReceipt(), encodeReceipt, decodeReceipt],
  ['SignedReceipt', signedReceipt(), encodeSignedReceipt, decodeSignedReceipt],
  ['DeletionRequest', sampleDeletionRequest(), encodeDeletionRequest, decodeDeletionRequest],
  ['SignedDeletionRequest', signedDeletionRequest(), encodeSignedDeletionRequest, decodeSignedDeletionRequest],
  ...sampleEntries().map((e): [string, unknown, (v: never) => Uint8Array, (b: Uint8Array) => unknown] => [`${e.kind} entry`, e, encodeLogEntry, decodeLogEntry])
]

for (const [name, value, encode, decode] of roundTrips) {
  test(`${name} round-trips through dag-cbor and re-encodes to the same bytes`, () => {
    const bytes = encode(value as never)
    const back = decode(bytes)
    assert.deepEqual(back, value)
    assert.deepEqual(encode(back as never), bytes)
  })
}

test('ids are the dag-cbor CIDv1 of the encoded signed message', () => {
  const signed = signedRequest()
  assert.equal(requestId(signed), messageId(encodeSignedRequest(signed)))
  assert.equal(requestId(signed), REQUEST_ID)
  const cid = CID.parse(REQUEST_ID)
  assert.equal(cid.version, 1)
  assert.equal(cid.code, 0x71)
  assert.notEqual(requestId(signedRequest({ nonce: '0x' + 'cd'.repeat(32) })), REQUEST_ID)
  const ids = [withdrawalId(signedWithdrawal()), consentId(signedConsent()), receiptId(signedReceipt()), deletionRequestId(signedDeletionRequest()), ...sampleEntries().map(logEntryCid)]
  assert.equal(new Set([REQUEST_ID, ...ids]).size, ids.length + 1)
})

test('key order in memory does not change the bytes', () => {
  const request = sampleRequest()
  const reversed = Object.fromEntries(Object.entries(request).reverse()) as typeof request
  assert.deepEqual(encodeRequest(reversed), encodeRequest(request))
})

// Each case: a bad change to a valid message, the decoder, the error name and the field it names.
type Case = [string, () => Uint8Array, (b: Uint8Array) => unknown, string, string?]
const signed = (message: unknown, signature = signedRequest().signature): unknown => ({ message, signature })
const request = (change: Record<string, unknown>): Record<string, unknown> => ({ ...sampleRequest(), ...change })
const consent = (change: Record<string, unknown>): Record<string, unknown> => ({ ...sampleConsent(), ...change })
const { agency: _omitAgency, ...withoutAgency } = sampleRequest()
const clips = sampleConsent().clips
const highS = (sig: string): string => {
  const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
  const s = BigInt('0x' + sig.slice(66, 130))
  const v = sig.slice(130) === '1b' ? '1c' : '1b'
  return sig.slice(0, 66) + (n - s).toString(16).padStart(64, '0') + v
}

const cases: Case[] = [
  ['an unknown field', () => raw(signed(request({ extra: 1 }))), decodeSignedRequest, 'MalformedMessageError', 'message.extra'],
  ['a missing field', () => raw(signed(withoutAgency)), decodeSignedRequest, 'MalformedMessageError', 'message.agency'],
  ['a missing signature', () => raw({ message: sampleRequest() }), decodeSignedRequest, 'MalformedMessageError', 'signature'],
  ['a string where a number goes', () => raw(request({ issuedAt: '1750000000' })), decodeRequest, 'MalformedMessageError', 'issuedAt'],
  ['a float', () => raw(request({ issuedAt: 1.5 })), decodeRequest, 'MalformedMessageError', 'issuedAt'],
  ['a negative time', () => raw(request({ windowStart: -1 })), decodeRequest, 'MalformedMessageError', 'windowStart'],
  ['an integer beyond 2^53 (decoded as bigint)', () => raw(request({ expiresAt: 2n ** 60n })), decodeRequest, 'MalformedMessageError', 'expiresAt'],
  ['retentionDays beyond uint32', () => raw(request({ retentionDays: 2 ** 32 })), decodeRequest, 'MalformedMessageError', 'retentionDays'],
  ['a title over 120 characters', () => raw(request({ title: 'x'.repeat(121) })), decodeRequest, 'TextTooLongError', 'title'],
  ['an empty title', () => raw(request({ title: '' })), decodeRequest, 'MalformedMessageError', 'title'],
  ['an unknown category', () => raw(request({ category: 'immigration' })), decodeRequest, 'UnknownCategoryError', 'category'],
  ['unsorted cells', () => raw(request({ cells: [...sampleRequest().cells].reverse() })), decodeRequest, 'MalformedMessageError', 'cells[1]'],
  ['a repeated cell', () => raw(request({ cells: [sampleRequest().cells[0], sampleRequest().cells[0]] })), decodeRequest, 'MalformedMessageError', 'cells[1]'],
  ['a res-8 cell', () => raw(request({ cells: ['8828d55401fffff'] })), decodeRequest, 'MalformedMessageError', 'cells[0]'],
  ['no cells', () => raw(request({ cells: [] })), decodeRequest, 'MalformedMessageError', 'cells'],
  ['too many cells', () => raw(request({ cells: Array(65).fill(sampleRequest().cells[0]) })), decodeRequest, 'MalformedMessageError', 'cells'],
  ['a lowercase (unchecksummed) address', () => raw(request({ agency: sampleRequest().agency.toLowerCase() })), decodeRequest, 'MalformedMessageError', 'agency'],
  ['an age recipient with a bad checksum', () => raw(request({ recipient: sampleRequest().recipient.slice(0, -1) + (sampleRequest().recipient.endsWith('q') ? 'p' : 'q') })), decodeRequest, 'MalformedMessageError', 'recipient'],
  ['an age recipient in upper case', () => raw(request({ recipient: sampleRequest().recipient.toUpperCase() })), decodeRequest, 'MalformedMessageError', 'recipient'],
  ['a peer id that is not a multihash', () => raw(request({ peerId: '12D3KooWnotapeerid' })), decodeRequest, 'MalformedMessageError', 'peerId'],
  ['a multiaddr in a non-canonical form', () => raw(request({ addrs: ['/ip6/0:0::1/tcp/1'] })), decodeRequest, 'MalformedMessageError', 'addrs[0]'],
  ['a repeated multiaddr', () => raw(request({ addrs: ['/ip4/1.2.3.4/tcp/1', '/ip4/1.2.3.4/tcp/1'] })), decodeRequest, 'MalformedMessageError', 'addrs[1]'],
  ['a nonce in upper case', () => raw(request({ nonce: '0x' + 'AB'.repeat(32) })), decodeRequest, 'MalformedMessageError', 'nonce'],
  ['bytes where a string goes', () => raw(request({ caseCode: new Uint8Array(4) })), decodeRequest, 'MalformedMessageError', 'caseCode'],
  ['a CID link where an id string goes', () => raw({ ...sampleWithdrawal(), request: CID.parse(REQUEST_ID) }), decodeWithdrawal, 'MalformedMessageError', 'request'],
  ['a clip CID as a request id', () => raw({ ...sampleWithdrawal(), request: CLIP_CIDS[0] }), decodeWithdrawal, 'MalformedMessageError', 'request'],
  ['a signature with upper-case hex', () => raw(signed(sampleRequest(), signedRequest().signature.toUpperCase().replace('0X', '0x'))), decodeSignedRequest, 'MalformedMessageError', 'signature'],
  ['a high-s (malleated) signature', () => raw(signed(sampleRequest(), highS(signedRequest().signature))), decodeSignedRequest, 'MalformedMessageError', 'signature'],
  ['a signature with v = 0', () => raw(signed(sampleRequest(), signedRequest().signature.slice(0, 130) + '00')), decodeSignedRequest, 'MalformedMessageError', 'signature'],
  ['a clip size over the cap', () => raw(consent({ clips: clips.map((c, i) => i === 2 ? { ...c, size: LIMITS.consent.maxClipBytes + 1 } : c) })), decodeConsent, 'MalformedMessageError', 'clips[2].size'],
  ['a clip ending before it starts', () => raw(consent({ clips: clips.map((c, i) => i === 1 ? { ...c, end: c.start - 1 } : c) })), decodeConsent, 'MalformedMessageError', 'clips[1].end'],
  ['a repeated clip', () => raw(consent({ clips: [clips[0], clips[1], clips[0]] })), decodeConsent, 'MalformedMessageError', 'clips[2]'],
  ['no clips', () => raw(consent({ clips: [] })), decodeConsent, 'MalformedMessageError', 'clips'],
  ['a clip with an unknown field', () => raw(consent({ clips: [{ ...clips[0], location: '47.6,-122.3' }] })), decodeConsent, 'MalformedMessageError', 'clips[0].location'],
  ['a clip without its media type', () => raw(consent({ clips: [(({ mediaType: _, ...rest }) => rest)(clips[0]!)] })), decodeConsent, 'MalformedMessageError', 'clips[0].mediaType'],
  ['a media type in upper case', () => raw(consent({ clips: [{ ...clips[0], mediaType: 'video/MP4' }] })), decodeConsent, 'MalformedMessageError', 'clips[0].mediaType'],
  ['a media type with parameters', () => raw(consent({ clips: [{ ...clips[0], mediaType: 'video/mp4; codecs=avc1' }] })), decodeConsent, 'MalformedMessageError', 'clips[0].mediaType'],
  ['a media type over the cap', () => raw(consent({ clips: [{ ...clips[0], mediaType: 'video/' + 'x'.repeat(LIMITS.consent.maxMediaTypeChars) }] })), decodeConsent, 'MalformedMessageError', 'clips[0].mediaType'],
  ['a clip longer than its span', () => raw(consent({ clips: clips.map((c, i) => i === 1 ? { ...c, durationMs: (c.end - c.start + 1) * 1000 + 1 } : c) })), decodeConsent, 'MalformedMessageError', 'clips[1].durationMs'],
  ['a negative duration', () => raw(consent({ clips: [{ ...clips[0], durationMs: -1 }] })), decodeConsent, 'MalformedMessageError', 'clips[0].durationMs'],
  ['a camera label over the cap', () => raw(consent({ clips: [{ ...clips[0], camera: 'é'.repeat(LIMITS.consent.maxCameraLabelChars + 1) }] })), decodeConsent, 'TextTooLongError', 'clips[0].camera'],
  ['a camera label with a control character', () => raw(consent({ clips: [{ ...clips[0], camera: 'Front\ndoor' }] })), decodeConsent, 'MalformedMessageError', 'clips[0].camera'],
  ['a camera label with surrounding spaces', () => raw(consent({ clips: [{ ...clips[0], camera: ' Front door' }] })), decodeConsent, 'MalformedMessageError', 'clips[0].camera'],
  ['terms over the cap', () => raw(consent({ terms: 'x'.repeat(LIMITS.consent.maxTermsChars + 1) })), decodeConsent, 'TextTooLongError', 'terms'],
  ['a proof hash of 31 bytes', () => raw({ ...sampleReceipt(), proof: ['0x' + '00'.repeat(31)] }), decodeReceipt, 'MalformedMessageError', 'proof[0]'],
  ['an unknown entry kind', () => raw({ kind: 'view', clip: CLIP_CIDS[0], at: 1 }), decodeLogEntry, 'MalformedMessageError', 'kind'],
  ['a resident deletion without its request', () => raw({ kind: 'delete', clip: CLIP_CIDS[0], reason: 'resident-request', actor: 'resident-request', at: 1 }), decodeLogEntry, 'MalformedMessageError', 'deletionRequest'],
  ['a retention deletion with a deletion request', () => raw({ kind: 'delete', clip: CLIP_CIDS[0], reason: 'retention', actor: 'retention', at: 1, deletionRequest: signedDeletionRequest() }), decodeLogEntry, 'MalformedMessageError', 'deletionRequest'],
  ['a delete without its actor', () => raw({ kind: 'delete', clip: CLIP_CIDS[0], reason: 'agency', at: 1 }), decodeLogEntry, 'MalformedMessageError', 'actor'],
  ['a retention deletion under a user\'s name', () => raw({ kind: 'delete', clip: CLIP_CIDS[0], reason: 'retention', actor: 'sgt-2210', at: 1 }), decodeLogEntry, 'MalformedMessageError', 'actor'],
  ['an agency deletion under the retention job\'s name', () => raw({ kind: 'delete', clip: CLIP_CIDS[0], reason: 'agency', actor: 'retention', at: 1 }), decodeLogEntry, 'MalformedMessageError', 'actor'],
  ['a share without its approver', () => raw({ kind: 'share', clip: CLIP_CIDS[0], recipient: 'County DA', legalBasis: 'x', actor: 'ofc-1', at: 1 }), decodeLogEntry, 'MalformedMessageError', 'approvedBy'],
  ['a share with a blank approver', () => raw({ kind: 'share', clip: CLIP_CIDS[0], recipient: 'County DA', legalBasis: 'x', actor: 'ofc-1', approvedBy: '', at: 1 }), decodeLogEntry, 'MalformedMessageError', 'approvedBy'],
  ['an unknown deletion reason', () => raw({ kind: 'delete', clip: CLIP_CIDS[0], reason: 'bored', at: 1 }), decodeLogEntry, 'MalformedMessageError', 'reason'],
  ['a bad field deep in a request entry', () => raw({ kind: 'request', request: signed(request({ windowEnd: -5 })) }), decodeLogEntry, 'MalformedMessageError', 'request.message.windowEnd'],
  ['an array where a map goes', () => raw([1, 2]), decodeSignedRequest, 'MalformedMessageError', ''],
  ['a request over 16 KiB', () => new Uint8Array(LIMITS.encodedBytes.request + 1), decodeSignedRequest, 'MessageTooLargeError', 'request'],
  ['truncated bytes', () => encodeSignedConsent(signedConsent()).subarray(0, 40), decodeSignedConsent, 'MalformedEncodingError']
]

for (const [why, bytes, decode, name, field] of cases) {
  test(`decoding rejects ${why} (${name}${field === undefined ? '' : ` at '${field}'`})`, () => rejects(() => decode(bytes()), name, field))
}

test('decoding rejects map keys out of canonical order (NonCanonicalEncodingError)', () => {
  const good = encodeWithdrawal(sampleWithdrawal())
  // {"agency", "request", "issuedAt"} with the 8-letter key moved first: same value, other bytes.
  const value = sampleWithdrawal()
  const bad = new Uint8Array([0xa3, ...dagCbor.encode('issuedAt'), ...dagCbor.encode(value.issuedAt), ...dagCbor.encode('agency'), ...dagCbor.encode(value.agency), ...dagCbor.encode('request'), ...dagCbor.encode(value.request)])
  assert.equal(bad.length, good.length)
  rejects(() => decodeWithdrawal(bad), 'NonCanonicalEncodingError')
})

test('encoding checks the message too, and changes nothing it is given', () => {
  const bad = sampleRequest({ title: '' })
  const copy = structuredClone(bad)
  rejects(() => encodeRequest(bad), 'MalformedMessageError', 'title')
  assert.deepEqual(bad, copy)
  rejects(() => encodeConsent({ ...sampleConsent(), clips: [] }), 'MalformedMessageError', 'clips')
  rejects(() => encodeConsent({ ...sampleConsent(), terms: 'ok \uD800' }), 'MalformedMessageError', 'terms')
})

test('the largest consent the field limits allow fits its size cap, and keeps its clips\' metadata', () => {
  // Every clip at its widest: the longest media type, a label of 4-byte code points, the largest numbers.
  const longType = 'video/' + 'x'.repeat(LIMITS.consent.maxMediaTypeChars - 6)
  const wide = Array.from({ length: LIMITS.consent.maxClips }, (_, i) => ({
    cid: clipCid(new Uint8Array([i])).toString(), size: LIMITS.consent.maxClipBytes, start: Number.MAX_SAFE_INTEGER - 1, end: Number.MAX_SAFE_INTEGER,
    mediaType: longType, durationMs: 2000, camera: '🚪'.repeat(LIMITS.consent.maxCameraLabelChars)
  }))
  const signed = { message: { ...sampleConsent(), clips: wide, terms: '🚪'.repeat(LIMITS.consent.maxTermsChars) }, signature: signedConsent().signature }
  const bytes = encodeSignedConsent(signed)
  assert.ok(bytes.length <= LIMITS.encodedBytes.consent, `${bytes.length} bytes`)
  assert.deepEqual(decodeSignedConsent(bytes).message.clips[63], wide[63])
})
