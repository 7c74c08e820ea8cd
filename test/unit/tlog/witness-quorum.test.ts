// checkWitnessQuorum (protocol/tlog/witness-quorum.ts): which cosignature lines count towards k of n.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ed25519 } from '@noble/curves/ed25519.js'
import {
  addressOfPrivateKey, checkpointOrigin, checkWitnessQuorum, cosignatureWindow, encodeVerifierKey, formatSignatureLine, LIMITS, parseSignatureLine,
  signCheckpoint, type WitnessSet
} from '../../../protocol/index.js'
import { verifyEd25519Native } from '../../../node/crypto/index.js'
import { TEST_WITNESSES, TEST_WITNESS_SET, cosign, testWitness } from '../../helpers/announcements.js'
import { AGENCY_KEY, DOMAIN } from '../../helpers/messages.js'

const T = 1_760_000_000
const window = cosignatureWindow(T)
const note = signCheckpoint({ origin: checkpointOrigin(DOMAIN.chainId, addressOfPrivateKey(AGENCY_KEY)), size: 3, root: new Uint8Array(32).fill(7) }, Buffer.from(AGENCY_KEY.slice(2), 'hex'))
const [A, B, C] = TEST_WITNESSES as [typeof TEST_WITNESSES[0], typeof TEST_WITNESSES[0], typeof TEST_WITNESSES[0]]

function fails (fn: () => unknown, code: string, details?: Record<string, unknown>): void {
  assert.throws(fn, (err: any) => {
    assert.equal(err.code, code)
    if (details !== undefined) for (const [k, v] of Object.entries(details)) assert.deepEqual(err.details[k], v, k)
    return true
  })
}

test('k of n: the witnesses that counted, in note order, with their timestamps', () => {
  const q = checkWitnessQuorum(cosign(cosign(note, [C], T + 2), [A], T + 1), TEST_WITNESS_SET, window)
  assert.deepEqual(q, { quorum: 2, total: 3, cosigned: [{ name: C.name, timestamp: T + 2 }, { name: A.name, timestamp: T + 1 }] })
  fails(() => checkWitnessQuorum(cosign(note, [A], T), TEST_WITNESS_SET, window), 'WITNESS_QUORUM_NOT_MET', { required: 2, valid: 1, outsideWindow: 0 })
  fails(() => checkWitnessQuorum(note, TEST_WITNESS_SET, window), 'WITNESS_QUORUM_NOT_MET', { valid: 0 })
})

test('one witness counts once: a repeated line, or one key registered under two names', () => {
  fails(() => checkWitnessQuorum(cosign(cosign(note, [A], T), [A], T + 1), TEST_WITNESS_SET, window), 'WITNESS_QUORUM_NOT_MET', { valid: 1 })
  const twin = { ...testWitness('witness-a-twin.test', 0xa1) } // A's secret key under another name
  const set: WitnessSet = { quorum: 2, witnesses: [A.registered, twin.registered] }
  fails(() => checkWitnessQuorum(cosign(note, [A, twin], T), set, window), 'WITNESS_QUORUM_NOT_MET', { valid: 1 })
  assert.equal(checkWitnessQuorum(cosign(note, [A, twin], T), { ...set, quorum: 1 }, window).total, 1)
})

test('the window is inclusive at both ends, and out-of-window cosignatures are named when they made the difference', () => {
  const { clockSkewSeconds } = LIMITS
  const edge = cosign(cosign(note, [A], T - clockSkewSeconds), [B], T + LIMITS.witness.maxCosignatureDelaySeconds)
  assert.equal(checkWitnessQuorum(edge, TEST_WITNESS_SET, window).cosigned.length, 2)
  const early = cosign(cosign(note, [A], T - clockSkewSeconds - 1), [B], T)
  fails(() => checkWitnessQuorum(early, TEST_WITNESS_SET, window), 'COSIGNATURE_OUT_OF_WINDOW', { required: 2, valid: 1, outsideWindow: 1 })
  // A witness with one line in the window and one outside counts (once), and is not "outside".
  assert.equal(checkWitnessQuorum(cosign(early, [A], T), TEST_WITNESS_SET, window).cosigned.length, 2)
  fails(() => checkWitnessQuorum(cosign(note, [A], T + 9999), TEST_WITNESS_SET, window), 'WITNESS_QUORUM_NOT_MET', { valid: 0, outsideWindow: 1 })
})

test('k = 0 is no quorum; k above the usable witnesses can never be met; malformed entries are left out', () => {
  const all = cosign(note, TEST_WITNESSES, T)
  fails(() => checkWitnessQuorum(all, { quorum: 0, witnesses: TEST_WITNESS_SET.witnesses }, window), 'NO_WITNESS_QUORUM')
  fails(() => checkWitnessQuorum(all, { quorum: 4, witnesses: TEST_WITNESS_SET.witnesses }, window), 'WITNESS_QUORUM_NOT_MET', { required: 4, valid: 3 })
  const plainKey = encodeVerifierKey(C.name, ed25519.getPublicKey(C.secretKey)).replace(/\+[^+]*\+/, '+00000000+')
  const set: WitnessSet = {
    quorum: 2,
    witnesses: [A.registered, { ...B.registered, name: 'not-b.test' }, { ...C.registered, vkey: plainKey }]
  }
  fails(() => checkWitnessQuorum(all, set, window), 'WITNESS_QUORUM_NOT_MET', { valid: 1 })
  assert.equal(checkWitnessQuorum(all, { quorum: 1, witnesses: set.witnesses }, window).total, 1)
})

test('a registered witness\'s line that does not verify is forged, under noble and OpenSSL alike', () => {
  const clean = cosign(note, [A, B], T)
  const line = parseSignatureLine(cosign(note, [C], T).slice(note.length, -1))
  for (const i of [7, 8, 40, 71]) {
    const signature = line.signature.slice()
    signature[i]! ^= 1
    const forged = clean + formatSignatureLine({ ...line, signature })
    // Byte 0..7 is the timestamp: flipping it changes the signed message, so the signature no longer verifies.
    fails(() => checkWitnessQuorum(forged, TEST_WITNESS_SET, window), 'FORGED_COSIGNATURE')
    fails(() => checkWitnessQuorum(forged, TEST_WITNESS_SET, window, { verify: verifyEd25519Native }), 'FORGED_COSIGNATURE')
  }
  const short = clean + formatSignatureLine({ ...line, signature: line.signature.slice(0, 40) })
  fails(() => checkWitnessQuorum(short, TEST_WITNESS_SET, window), 'INVALID_COSIGNATURE')
  assert.deepEqual(checkWitnessQuorum(clean, TEST_WITNESS_SET, window, { verify: verifyEd25519Native }), checkWitnessQuorum(clean, TEST_WITNESS_SET, window))
})

test('a note that is not a signed note is INVALID_NOTE', () => {
  fails(() => checkWitnessQuorum('garbage', TEST_WITNESS_SET, window), 'INVALID_NOTE')
})
