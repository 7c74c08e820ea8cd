// node/crypto's native secp256k1 recovery against protocol's noble one: `openCheckpoint` with each must
// open the same notes and refuse the same ones with the same error, on hand-made attack cases and on
// random corruptions of a valid signature. Keys are fixed so failures reproduce.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { Signature, Wallet, getBytes } from 'ethers'
import { nodeSignerRecovery } from '../../../node/crypto/index.js'
import {
  checkpointKeyId, checkpointOrigin, formatCheckpoint, formatSignedNote, openCheckpoint, pureSignerRecovery, signCheckpoint,
  signCosignature
} from '../../../protocol/tlog/index.js'

const agency = new Wallet('0x' + '11'.repeat(32))
const other = new Wallet('0x' + '22'.repeat(32))
const origin = checkpointOrigin(31337, agency.address)
const text = formatCheckpoint({ origin, size: 1234, root: new Uint8Array(32).fill(7) })
const keyId = checkpointKeyId(origin, agency.address)
const nativeRecovery = nodeSignerRecovery()
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn

const hex32 = (x: bigint): string => x.toString(16).padStart(64, '0')
const noteWith = (...signatures: Uint8Array[]): string =>
  formatSignedNote({ text, signatures: signatures.map((signature) => ({ name: origin, keyId, signature })) })

/** What `openCheckpoint` makes of `note` with `recover`: the signer, or the error's name and code. */
function outcome (note: string, recover: typeof pureSignerRecovery): string {
  try {
    return `opened by ${openCheckpoint(note, origin, recover).signer}`
  } catch (err) {
    const { name, code } = err as { name: string, code: string }
    return `${name} ${code}`
  }
}

function sameOutcome (note: string, label: string): string {
  const pure = outcome(note, pureSignerRecovery)
  assert.equal(outcome(note, nativeRecovery), pure, label)
  return pure
}

test('the native recovery opens a valid checkpoint as noble does, and recovers the same key', () => {
  const note = signCheckpoint({ origin, size: 1234, root: new Uint8Array(32).fill(7) }, getBytes(agency.privateKey))
  assert.equal(sameOutcome(note, 'valid'), `opened by ${agency.address.toLowerCase()}`)
  // With a witness's cosignature beside it (ignored by both), and twice signed by the agency.
  const line = signCosignature({ name: 'w.example/w', secretKey: new Uint8Array(32).fill(3), checkpoint: text, timestamp: 1_700_000_000 })
  assert.equal(sameOutcome(note + line, 'with a cosignature'), `opened by ${agency.address.toLowerCase()}`)
  const good = getBytes(agency.signMessageSync(text))
  assert.equal(sameOutcome(noteWith(good, good), 'twice'), `opened by ${agency.address.toLowerCase()}`)
  const digest = new Uint8Array(32).fill(9)
  const sig = Signature.from(agency.signingKey.sign(digest))
  const compact = getBytes(sig.r + sig.s.slice(2))
  assert.deepEqual(nativeRecovery(compact, sig.yParity, digest), pureSignerRecovery(compact, sig.yParity, digest))
})

test('the native recovery refuses what noble refuses, with the same error', () => {
  const good = getBytes(agency.signMessageSync(text))
  const sig = Signature.from(agency.signMessageSync(text))
  const flippedV = sig.v === 27 ? 28 : 27
  const cases: Record<string, [string, string]> = {
    'v = 0': [noteWith(Uint8Array.from([...good.subarray(0, 64), 0])), 'InvalidCheckpointSignatureError'],
    'v = 29': [noteWith(Uint8Array.from([...good.subarray(0, 64), 29])), 'InvalidCheckpointSignatureError'],
    'v flipped (another key)': [noteWith(Uint8Array.from([...good.subarray(0, 64), flippedV])), 'WrongSignerError'],
    '64 bytes': [noteWith(good.subarray(0, 64)), 'InvalidCheckpointSignatureError'],
    '66 bytes': [noteWith(Uint8Array.from([...good, 0])), 'InvalidCheckpointSignatureError'],
    'r = 0': [noteWith(getBytes('0x' + hex32(0n) + sig.s.slice(2) + sig.v.toString(16))), 'InvalidCheckpointSignatureError'],
    's = 0': [noteWith(getBytes(sig.r + hex32(0n) + sig.v.toString(16))), 'InvalidCheckpointSignatureError'],
    'r = n': [noteWith(getBytes('0x' + hex32(N) + sig.s.slice(2) + sig.v.toString(16))), 'InvalidCheckpointSignatureError'],
    'r = p - 1 (no point)': [noteWith(getBytes('0x' + hex32(P - 1n) + sig.s.slice(2) + sig.v.toString(16))), 'InvalidCheckpointSignatureError'],
    'high s': [noteWith(getBytes(sig.r + hex32(N - BigInt(sig.s)) + (sig.v === 27 ? '1c' : '1b'))), 'InvalidCheckpointSignatureError'],
    'another signer': [noteWith(getBytes(other.signMessageSync(text))), 'WrongSignerError'],
    'a good line then a bad one': [noteWith(good, getBytes(other.signMessageSync(text))), 'WrongSignerError'],
    'another text signed': [noteWith(getBytes(agency.signMessageSync(text + 'x'))), 'WrongSignerError'],
    'no agency signature': [formatSignedNote({ text, signatures: [{ name: origin, keyId: (keyId ^ 1) >>> 0, signature: good }] }), 'MissingSignatureError']
  }
  for (const [label, [note, name]] of Object.entries(cases)) {
    assert.match(sameOutcome(note, label), new RegExp(`^${name} `), label)
  }
})

test('random corruptions of a valid signature end the same way with both recoveries', () => {
  const good = getBytes(agency.signMessageSync(text))
  fc.assert(fc.property(
    fc.array(fc.record({ at: fc.nat({ max: 64 }), xor: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 3 }),
    (flips) => {
      const bad = Uint8Array.from(good)
      for (const { at, xor } of flips) bad[at]! ^= xor
      const pure = sameOutcome(noteWith(bad), `flips ${JSON.stringify(flips)}`)
      // A flipped byte never still opens as the agency (it would be a second valid signature).
      if (!bad.every((b, i) => b === good[i])) assert.ok(!pure.startsWith('opened'), pure)
    }
  ), { numRuns: 300, seed: 14 })
})
