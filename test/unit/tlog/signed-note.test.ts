// C2SP signed notes and checkpoints signed by an agency's Ethereum key. Interop is checked both ways with
// ethers: our signature verifies with ethers.verifyMessage, and a note built from ethers' signMessage
// opens here. The multi-line note is the example of the C2SP signed-note specification.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { Signature, Wallet, getBytes, verifyMessage } from 'ethers'
import {
  checkpointKeyId, checkpointOrigin, formatCheckpoint, formatSignedNote, noteKeyId, openCheckpoint, parseSignedNote,
  signCheckpoint, verifyCheckpoint, type Checkpoint
} from '../../../protocol/tlog/index.js'
import { hex } from './reference.js'

const SPEC_NOTE = 'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n' +
  '\u2014 quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n'

// Fixed keys so failures reproduce.
const agency = new Wallet('0x' + '11'.repeat(32))
const other = new Wallet('0x' + '22'.repeat(32))
const CHAIN = 31337
const origin = checkpointOrigin(CHAIN, agency.address)
const checkpoint: Checkpoint = { origin, size: 1234, root: new Uint8Array(32).fill(7) }
const key = (w: Wallet): Uint8Array => getBytes(w.privateKey)

test('the C2SP signed-note example splits at the last blank line', () => {
  const note = parseSignedNote(SPEC_NOTE)
  assert.equal(note.text, 'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n')
  assert.equal(note.signatures.length, 1)
  assert.equal(note.signatures[0]!.name, 'quasimodo.example/salvatore')
  assert.equal(note.signatures[0]!.keyId, 0x367ba04b)
  assert.equal(formatSignedNote(note), SPEC_NOTE)
})

test('noteKeyId is SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4], big-endian', () => {
  const h = createHash('sha256').update('example.com/k\n').update(Uint8Array.of(0xff, 1, 2)).digest()
  assert.equal(noteKeyId('example.com/k', Uint8Array.of(0xff), Uint8Array.of(1, 2)), h.readUInt32BE(0))
  // Porchlight's key id: type 0xff, the identifier, then the 20-byte address.
  const id = createHash('sha256').update(`${origin}\n`).update(Uint8Array.of(0xff)).update('porchlight/eip191-secp256k1')
    .update(getBytes(agency.address)).digest().readUInt32BE(0)
  assert.equal(checkpointKeyId(origin, agency.address), id)
})

test('a signed checkpoint verifies with ethers.verifyMessage and opens here', () => {
  const note = signCheckpoint(checkpoint, key(agency))
  const { text, signatures } = parseSignedNote(note)
  assert.equal(text, formatCheckpoint(checkpoint))
  assert.equal(signatures.length, 1)
  assert.equal(signatures[0]!.name, origin)
  assert.equal(signatures[0]!.signature.length, 65)
  assert.equal(verifyMessage(text, hex(signatures[0]!.signature).replace(/^/, '0x')), agency.address)
  const opened = openCheckpoint(note, origin)
  assert.equal(opened.signer, agency.address.toLowerCase())
  assert.equal(opened.checkpoint.size, 1234)
  assert.equal(hex(opened.checkpoint.root), hex(checkpoint.root))
  assert.equal(verifyCheckpoint(note, agency.address, CHAIN).size, 1234)
  assert.equal(verifyCheckpoint(note, agency.address.toLowerCase()).size, 1234)
})

test('a checkpoint signed by ethers (wallet signMessage) opens here', () => {
  const text = formatCheckpoint(checkpoint)
  const signature = getBytes(agency.signMessageSync(text))
  const note = formatSignedNote({ text, signatures: [{ name: origin, keyId: checkpointKeyId(origin, agency.address), signature }] })
  assert.equal(openCheckpoint(note, origin).signer, agency.address.toLowerCase())
})

test('signatures by other keys are ignored; one by the agency key must be there', () => {
  const note = signCheckpoint(checkpoint, key(agency))
  const parsed = parseSignedNote(note)
  const witness = { name: 'witness.example/w1', keyId: 42, signature: new Uint8Array(72).fill(1) }
  const sameNameOtherId = { name: origin, keyId: (parsed.signatures[0]!.keyId + 1) >>> 0, signature: new Uint8Array(65) }
  const withWitness = formatSignedNote({ text: parsed.text, signatures: [witness, sameNameOtherId, ...parsed.signatures] })
  assert.equal(openCheckpoint(withWitness, origin).checkpoint.size, 1234)
  const onlyWitness = formatSignedNote({ text: parsed.text, signatures: [witness, sameNameOtherId] })
  assert.throws(() => openCheckpoint(onlyWitness, origin), { name: 'MissingSignatureError', code: 'MISSING_SIGNATURE' })
})

test('wrong origin: a checkpoint of another log or chain is refused', () => {
  const note = signCheckpoint(checkpoint, key(agency))
  assert.throws(() => openCheckpoint(note, checkpointOrigin(1, agency.address)), { name: 'WrongOriginError', code: 'WRONG_ORIGIN' })
  assert.throws(() => openCheckpoint(note, checkpointOrigin(CHAIN, other.address)), { name: 'WrongOriginError' })
  assert.throws(() => verifyCheckpoint(note, agency.address, 1), { name: 'WrongOriginError' })
})

test('wrong signer: another key cannot sign or pass for the agency', () => {
  assert.throws(() => signCheckpoint(checkpoint, key(other)), { name: 'WrongSignerError', code: 'WRONG_SIGNER' })
  const note = signCheckpoint(checkpoint, key(agency))
  assert.throws(() => verifyCheckpoint(note, other.address), { name: 'WrongSignerError' })
  // A signature by another key under the agency's name and key id: recovery gives the other address.
  const text = formatCheckpoint(checkpoint)
  const forged = formatSignedNote({
    text, signatures: [{ name: origin, keyId: checkpointKeyId(origin, agency.address), signature: getBytes(other.signMessageSync(text)) }]
  })
  assert.throws(() => openCheckpoint(forged, origin), { name: 'WrongSignerError' })
  // The agency's signature over a different checkpoint, pasted under this one.
  const elsewhere = parseSignedNote(signCheckpoint({ ...checkpoint, size: 1235 }, key(agency)))
  const pasted = formatSignedNote({ text, signatures: elsewhere.signatures })
  assert.throws(() => openCheckpoint(pasted, origin), { name: 'WrongSignerError' })
})

test('a malformed agency signature rejects the note', () => {
  const text = formatCheckpoint(checkpoint)
  const good = getBytes(agency.signMessageSync(text))
  const keyId = checkpointKeyId(origin, agency.address)
  const sig = Signature.from(agency.signMessageSync(text))
  // The high-s twin (s' = n − s, v flipped) recovers the same key; it is refused to keep signatures unique.
  const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
  const highS = getBytes(sig.r + (n - BigInt(sig.s)).toString(16).padStart(64, '0') + (sig.v === 27 ? '1c' : '1b'))
  const cases: Record<string, Uint8Array> = {
    'v = 0': Uint8Array.from([...good.subarray(0, 64), 0]),
    'v = 29': Uint8Array.from([...good.subarray(0, 64), 29]),
    '64 bytes': good.subarray(0, 64),
    '66 bytes': Uint8Array.from([...good, 0]),
    'r = 0': Uint8Array.from([...new Uint8Array(32), ...good.subarray(32)]),
    'high s': highS
  }
  for (const [name, signature] of Object.entries(cases)) {
    const note = formatSignedNote({ text, signatures: [{ name: origin, keyId, signature }] })
    assert.throws(() => openCheckpoint(note, origin), { name: 'InvalidCheckpointSignatureError', code: 'INVALID_CHECKPOINT_SIGNATURE' }, name)
  }
})

test('trailing garbage and malformed notes are InvalidNoteError', () => {
  const note = signCheckpoint(checkpoint, key(agency))
  const line = note.slice(note.lastIndexOf('\n\n') + 2)
  const bad: Record<string, string> = {
    'trailing garbage': note + 'garbage',
    'trailing garbage line': note + 'garbage\n',
    'trailing blank line': note + '\n',
    'no final newline': note.slice(0, -1),
    'no signatures': formatCheckpoint(checkpoint) + '\n',
    'no blank line': formatCheckpoint(checkpoint) + line,
    'hyphen for em dash': note.replace('\u2014', '-'),
    'two spaces': note.replace('\u2014 ', '\u2014  '),
    'signature not base64': note.replace(/ \S+\n$/, ' !!!!\n'),
    'signature of 4 bytes': note.replace(/ \S+\n$/, ' AAAAAA==\n'),
    'NUL byte': note.replace('1234', '12\u000034'),
    'carriage return': note.replace('\n\n', '\r\n\n'),
    'too many signatures': note + line.repeat(32)
  }
  for (const [name, text] of Object.entries(bad)) {
    assert.throws(() => openCheckpoint(text, origin), (err: Error) => ['InvalidNoteError', 'InvalidCheckpointError'].includes(err.name), name)
  }
  assert.throws(() => parseSignedNote(note + 'garbage'), { name: 'InvalidNoteError', code: 'INVALID_NOTE' })
  // A checkpoint body with a stray line is not a checkpoint even though the note is well formed.
  const stray = parseSignedNote(note)
  assert.throws(() => openCheckpoint(formatSignedNote({ text: stray.text + '\n', signatures: stray.signatures }), origin), { name: 'InvalidCheckpointError' })
})

test('a tampered checkpoint body no longer verifies', () => {
  const note = signCheckpoint(checkpoint, key(agency))
  const tampered = note.replace('\n1234\n', '\n1235\n')
  assert.notEqual(tampered, note)
  assert.throws(() => openCheckpoint(tampered, origin), { name: 'WrongSignerError' })
})
