// C2SP tlog-cosignature/v1 (Ed25519) and signed-note verifier keys. Known answers come from the C2SP
// specifications (github.com/C2SP/C2SP, tlog-cosignature.md and signed-note.md); interop is checked both
// ways against Python's `cryptography` (OpenSSL's Ed25519), which also builds the signed bytes and the key id
// on its own from the spec's definitions.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { ed25519 } from '@noble/curves/ed25519.js'
import { Wallet, getBytes } from 'ethers'
import {
  checkpointOrigin, cosignedMessage, encodeVerifierKey, formatCheckpoint, openCheckpoint, parseCosignature,
  parseSignedNote, parseVerifierKey, signCheckpoint, signCosignature, verifyCosignature, witnessKeyId,
  type Checkpoint
} from '../../../protocol/tlog/index.js'
import { encodeBase64 } from '../../../protocol/tlog/base64.js'
import { hex } from './reference.js'

// Fixed keys so failures reproduce.
const secretKey = new Uint8Array(32).fill(0x42)
const publicKey = ed25519.getPublicKey(secretKey)
const otherSecret = new Uint8Array(32).fill(0x43)
const otherPublic = ed25519.getPublicKey(otherSecret)
const name = 'witness.example/w1'
const body = formatCheckpoint({ origin: 'example.com/log', size: 1234, root: new Uint8Array(32).fill(7) })
const otherBody = formatCheckpoint({ origin: 'example.com/log', size: 1234, root: new Uint8Array(32).fill(8) })
const TIME = 1_700_000_000
const line = signCosignature({ name, secretKey, checkpoint: body, timestamp: TIME })

/** The line's decoded bytes (key id ‖ timestamp ‖ signature), for tampering. */
function lineBytes (l: string): Uint8Array {
  return Uint8Array.from(atob(l.trimEnd().split(' ')[2]!), (c) => c.charCodeAt(0))
}
function withBytes (bytes: Uint8Array, lineName = name): string {
  return `\u2014 ${lineName} ${encodeBase64(bytes)}\n`
}
function rejects (fn: () => unknown, errorName: string, code: string): void {
  assert.throws(fn, (err: Error & { code?: string }) => { assert.equal(err.name, errorName); assert.equal(err.code, code); return true })
}
const verify = (cosignature: string, over = body, key: Uint8Array = publicKey, who = name): unknown =>
  verifyCosignature({ name: who, publicKey: key, checkpoint: over, cosignature })

test('a cosignature verifies and gives back name, key id and timestamp', () => {
  assert.match(line, /^\u2014 witness\.example\/w1 [A-Za-z0-9+/]{102}==\n$/u)
  assert.equal(lineBytes(line).length, 4 + 8 + 64)
  assert.deepEqual(verify(line), { name, keyId: witnessKeyId(name, publicKey), timestamp: TIME })
  assert.deepEqual(verify(line.trimEnd()), { name, keyId: witnessKeyId(name, publicKey), timestamp: TIME })
  const parsed = parseCosignature(line)
  assert.equal(parsed.timestamp, TIME)
  assert.equal(parsed.signature.length, 64)
})

test('a cosignature appended to an agency-signed checkpoint leaves the agency check intact and verifies from the note', () => {
  const agency = new Wallet('0x' + '11'.repeat(32))
  const checkpoint: Checkpoint = { origin: checkpointOrigin(31337, agency.address), size: 3, root: new Uint8Array(32).fill(1) }
  const signed = signCheckpoint(checkpoint, getBytes(agency.privateKey))
  const text = formatCheckpoint(checkpoint)
  const cosigned = signed + signCosignature({ name, secretKey, checkpoint: text, timestamp: TIME })
  assert.equal(openCheckpoint(cosigned, checkpoint.origin).checkpoint.size, 3)
  const note = parseSignedNote(cosigned)
  assert.equal(note.signatures.length, 2)
  assert.equal(verifyCosignature({ name, publicKey, checkpoint: note.text, cosignature: note.signatures[1]! }).timestamp, TIME)
})

test('the key id is SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4], big-endian', () => {
  const h = createHash('sha256').update(`${name}\n`).update(Uint8Array.of(0x04)).update(publicKey).digest()
  assert.equal(witnessKeyId(name, publicKey), h.readUInt32BE(0))
  assert.equal(hex(lineBytes(line).subarray(0, 4)), hex(h.subarray(0, 4)))
})

// tlog-cosignature.md, "Ed25519 signed message": the message for the example checkpoint at time 1679315147.
const SPEC_CHECKPOINT = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'
test('the signed message is the C2SP tlog-cosignature example', () => {
  assert.equal(new TextDecoder().decode(cosignedMessage(SPEC_CHECKPOINT, 1679315147)),
    'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n')
})

// tlog-cosignature.md, the cosigned checkpoint at the top: its witness line carries key id 8d66cf3f and the
// timestamp of the message example (1679315147 = 0x641850cb). The spec publishes no witness public key, so
// only the structure can be checked.
test('the C2SP tlog-cosignature example line parses to its key id and timestamp', () => {
  const spec = '\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n'
  const parsed = parseCosignature(spec)
  assert.equal(parsed.name, 'witness.example.com/w1')
  assert.equal(parsed.keyId, 0x8d66cf3f)
  assert.equal(parsed.timestamp, 1679315147)
  // The example's agency line is 68 bytes (a plain Ed25519 note signature), not a cosignature.
  rejects(() => parseCosignature('\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8='),
    'InvalidCosignatureError', 'INVALID_COSIGNATURE')
})

// signed-note.md, "Verifier keys" example: a type 0x01 (Ed25519 note) vkey and the note it verifies.
test('the C2SP signed-note vkey example parses and verifies its note', () => {
  const vkey = parseVerifierKey('example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k')
  assert.equal(vkey.name, 'example.com/foo')
  assert.equal(vkey.keyId, 0x530d903a)
  assert.equal(vkey.type, 0x01)
  assert.equal(hex(vkey.publicKey), 'e932791ae6e7a840a46164c904786426d5e7821dd8b29a00d61cae72afdd4da4')
  const note = parseSignedNote('This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n')
  assert.equal(note.signatures[0]!.keyId, vkey.keyId)
  assert.ok(ed25519.verify(note.signatures[0]!.signature, new TextEncoder().encode(note.text), vkey.publicKey))
})

test('a witness vkey round-trips with type 0x04 and the cosignature key id', () => {
  const vkey = encodeVerifierKey(name, publicKey)
  assert.equal(vkey, `${name}+${witnessKeyId(name, publicKey).toString(16).padStart(8, '0')}+${encodeBase64(Uint8Array.of(4, ...publicKey))}`)
  const parsed = parseVerifierKey(vkey)
  assert.deepEqual(parsed, { name, keyId: witnessKeyId(name, publicKey), type: 0x04, publicKey })
  assert.deepEqual(verify(line, body, parsed.publicKey, parsed.name), { name, keyId: parsed.keyId, timestamp: TIME })
})

test('attack: a flipped signature bit, a changed timestamp or another checkpoint does not verify', () => {
  for (const bit of [0, 7, 63 * 8 + 7]) {
    const bytes = lineBytes(line)
    bytes[12 + (bit >> 3)]! ^= 1 << (bit & 7)
    rejects(() => verify(withBytes(bytes)), 'ForgedCosignatureError', 'FORGED_COSIGNATURE')
  }
  const later = lineBytes(line)
  new DataView(later.buffer).setBigUint64(4, BigInt(TIME + 1))
  rejects(() => verify(withBytes(later)), 'ForgedCosignatureError', 'FORGED_COSIGNATURE')
  rejects(() => verify(line, otherBody), 'ForgedCosignatureError', 'FORGED_COSIGNATURE')
  // The same bytes under the other key (its name and key id), as a witness that copies another's line would.
  const copied = lineBytes(line)
  new DataView(copied.buffer).setUint32(0, witnessKeyId(name, otherPublic))
  rejects(() => verify(withBytes(copied), body, otherPublic), 'ForgedCosignatureError', 'FORGED_COSIGNATURE')
})

test('attack: the malleable twin (S + L) of a valid signature is refused', () => {
  const L = 2n ** 252n + 27742317777372353535851937790883648493n
  const bytes = lineBytes(line)
  const s = bytes.subarray(12 + 32)
  let n = 0n
  for (let i = 31; i >= 0; i--) n = (n << 8n) | BigInt(s[i]!)
  n += L
  for (let i = 0; i < 32; i++) { s[i] = Number(n & 0xffn); n >>= 8n }
  assert.equal(n, 0n)
  rejects(() => verify(withBytes(bytes)), 'ForgedCosignatureError', 'FORGED_COSIGNATURE')
})

test('attack: another key id or name is not the witness', () => {
  const bytes = lineBytes(line)
  bytes[0]! ^= 0x01
  rejects(() => verify(withBytes(bytes)), 'WrongCosignerKeyIdError', 'WRONG_COSIGNER_KEY_ID')
  // The key id of a plain Ed25519 note signature (type 0x01) by the same key and name.
  const typeOne = lineBytes(line)
  new DataView(typeOne.buffer).setUint32(0, createHash('sha256').update(`${name}\n`).update(Uint8Array.of(0x01)).update(publicKey).digest().readUInt32BE(0))
  rejects(() => verify(withBytes(typeOne)), 'WrongCosignerKeyIdError', 'WRONG_COSIGNER_KEY_ID')
  rejects(() => verify(withBytes(lineBytes(line), 'witness.example/w2')), 'WrongCosignerError', 'WRONG_COSIGNER')
  rejects(() => verify(line, body, publicKey, 'witness.example/w2'), 'WrongCosignerError', 'WRONG_COSIGNER')
  rejects(() => verify(line, body, otherPublic), 'WrongCosignerKeyIdError', 'WRONG_COSIGNER_KEY_ID')
})

test('attack: trailing garbage, a short or long signature and non-canonical base64 are malformed', () => {
  rejects(() => verify(line.trimEnd() + 'x'), 'InvalidNoteError', 'INVALID_NOTE')
  rejects(() => verify(line.trimEnd() + ' x'), 'InvalidNoteError', 'INVALID_NOTE')
  rejects(() => verify(line + '\n'), 'InvalidNoteError', 'INVALID_NOTE')
  rejects(() => verify(line.replace(/==\n$/, '\n')), 'InvalidNoteError', 'INVALID_NOTE')
  rejects(() => verify(withBytes(Uint8Array.of(...lineBytes(line), 0))), 'InvalidCosignatureError', 'INVALID_COSIGNATURE')
  rejects(() => verify(withBytes(lineBytes(line).subarray(0, 75))), 'InvalidCosignatureError', 'INVALID_COSIGNATURE')
  rejects(() => verify(line, body + 'garbage'), 'InvalidCheckpointError', 'INVALID_CHECKPOINT')
})

test('attack: a non-canonical timestamp does not verify or does not parse', () => {
  // A signature over a time line with a leading zero: the binary timestamp is the same number, but the
  // message a verifier rebuilds has no leading zero.
  const padded = new TextEncoder().encode(`cosignature/v1\ntime 0${TIME}\n${body}`)
  const bytes = lineBytes(line)
  bytes.set(ed25519.sign(padded, secretKey), 12)
  rejects(() => verify(withBytes(bytes)), 'ForgedCosignatureError', 'FORGED_COSIGNATURE')
  // A timestamp of 2^63 or more breaks the spec; above 2^53 − 1 we refuse it too (no clock gets there).
  for (const t of [2n ** 63n, 2n ** 53n]) {
    const big = lineBytes(line)
    new DataView(big.buffer).setBigUint64(4, t)
    rejects(() => verify(withBytes(big)), 'InvalidCosignatureError', 'INVALID_COSIGNATURE')
  }
  for (const t of [-1, 1.5, Number.NaN, 2 ** 53]) {
    rejects(() => signCosignature({ name, secretKey, checkpoint: body, timestamp: t }), 'InvalidCosignatureError', 'INVALID_COSIGNATURE')
  }
})

test('bad witness keys, names and checkpoints are refused when signing', () => {
  rejects(() => signCosignature({ name, secretKey: secretKey.subarray(1), checkpoint: body, timestamp: TIME }), 'InvalidWitnessKeyError', 'INVALID_WITNESS_KEY')
  rejects(() => signCosignature({ name: 'a b', secretKey, checkpoint: body, timestamp: TIME }), 'InvalidWitnessKeyError', 'INVALID_WITNESS_KEY')
  rejects(() => signCosignature({ name: 'a+b', secretKey, checkpoint: body, timestamp: TIME }), 'InvalidWitnessKeyError', 'INVALID_WITNESS_KEY')
  rejects(() => signCosignature({ name, secretKey, checkpoint: 'not\na checkpoint\n', timestamp: TIME }), 'InvalidCheckpointError', 'INVALID_CHECKPOINT')
  rejects(() => witnessKeyId(name, new Uint8Array(33)), 'InvalidWitnessKeyError', 'INVALID_WITNESS_KEY')
})

test('malformed verifier keys are refused', () => {
  const good = encodeVerifierKey(name, publicKey)
  const [n, id, material] = good.split('+') as [string, string, string]
  const cases = [
    `${n}+${id}`, `${good}+x`, `+${id}+${material}`, `${n}+${id.toUpperCase()}+${material}`, `${n}+0${id}+${material}`,
    `${n}+${(parseInt(id, 16) ^ 1).toString(16).padStart(8, '0')}+${material}`, `other.example/w+${id}+${material}`,
    `${n}+${id}+${material.slice(0, -1)}`, `${n}+${id}+${encodeBase64(Uint8Array.of(0x04, ...publicKey, 0))}`,
    `${n}+${id}+${encodeBase64(Uint8Array.of(0x02, ...publicKey))}`, `${n}+${id}+`
  ]
  for (const vkey of cases) rejects(() => parseVerifierKey(vkey), 'InvalidVerifierKeyError', 'INVALID_VERIFIER_KEY')
})

// Python 3 with `cryptography` (Debian python3-cryptography): it parses our line, rebuilds the message and
// key id from the spec's definitions and verifies with OpenSSL; then it signs a cosignature of its own.
const PYTHON = String.raw`
import base64, hashlib, json, struct, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
req = json.load(sys.stdin)
name, body = req['name'], req['checkpoint']
line = req['line']
assert line.startswith('\u2014 ') and line.endswith('\n')
line_name, b64 = line[2:-1].split(' ')
raw = base64.b64decode(b64, validate=True)
assert len(raw) == 76
key_id, ts = struct.unpack('>IQ', raw[:12])
pub = bytes.fromhex(req['publicKey'])
msg = b'cosignature/v1\ntime ' + str(ts).encode() + b'\n' + body.encode()
Ed25519PublicKey.from_public_bytes(pub).verify(raw[12:], msg)
kid = lambda n, t, k: struct.unpack('>I', hashlib.sha256(n.encode() + b'\n' + bytes([t]) + k).digest()[:4])[0]
sk = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(req['pythonSecretKey']))
ppub = sk.public_key().public_bytes_raw()
pts = req['pythonTimestamp']
pmsg = b'cosignature/v1\ntime ' + str(pts).encode() + b'\n' + body.encode()
praw = struct.pack('>IQ', kid(name, 4, ppub), pts) + sk.sign(pmsg)
print(json.dumps({
  'name': line_name, 'keyId': key_id, 'expectedKeyId': kid(name, 4, pub), 'timestamp': ts, 'message': msg.hex(),
  'publicKey': ppub.hex(), 'line': '\u2014 ' + name + ' ' + base64.b64encode(praw).decode() + '\n',
  'vkey': name + '+' + format(kid(name, 4, ppub), '08x') + '+' + base64.b64encode(bytes([4]) + ppub).decode(),
}))
`

function python (): { ok: true } | { ok: false, reason: string } {
  const probe = spawnSync('python3', ['-c', 'import cryptography'], { encoding: 'utf8' })
  if (probe.error !== undefined) return { ok: false, reason: `python3 not found (${probe.error.message})` }
  if (probe.status !== 0) return { ok: false, reason: `python3 has no cryptography module (Debian package python3-cryptography): ${probe.stderr.trim()}` }
  return { ok: true }
}

test('interop: Python cryptography verifies our cosignature and signs one we verify', (t) => {
  const available = python()
  if (!available.ok) { t.skip(available.reason); return }
  const pythonSecret = new Uint8Array(32).fill(0x99)
  const run = spawnSync('python3', ['-c', PYTHON], {
    encoding: 'utf8',
    input: JSON.stringify({ name, checkpoint: body, line, publicKey: hex(publicKey), pythonSecretKey: hex(pythonSecret), pythonTimestamp: TIME + 60 })
  })
  assert.equal(run.status, 0, run.stderr)
  const out = JSON.parse(run.stdout) as Record<string, string | number>
  assert.equal(out.name, name)
  assert.equal(out.keyId, witnessKeyId(name, publicKey))
  assert.equal(out.expectedKeyId, witnessKeyId(name, publicKey))
  assert.equal(out.timestamp, TIME)
  assert.equal(out.message, hex(cosignedMessage(body, TIME)))
  // Python's cosignature, under the key it derived from its seed.
  const theirs = parseVerifierKey(out.vkey as string)
  assert.equal(hex(theirs.publicKey), out.publicKey)
  assert.equal(hex(theirs.publicKey), hex(ed25519.getPublicKey(pythonSecret)))
  assert.equal(out.vkey, encodeVerifierKey(name, theirs.publicKey))
  assert.deepEqual(verify(out.line as string, body, theirs.publicKey), { name, keyId: theirs.keyId, timestamp: TIME + 60 })
  rejects(() => verify(out.line as string, otherBody, theirs.publicKey), 'ForgedCosignatureError', 'FORGED_COSIGNATURE')
  // Ed25519 is deterministic: the same seed, time and checkpoint give our line byte for byte.
  assert.equal(signCosignature({ name, secretKey: pythonSecret, checkpoint: body, timestamp: TIME + 60 }), out.line)
})
