// C2SP tlog-checkpoint text and Porchlight origins. The first example is the one in the C2SP
// tlog-checkpoint specification (c2sp.org/tlog-checkpoint), whose note text must parse as written.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  checkpointOrigin, formatCheckpoint, parseCheckpoint, parseCheckpointOrigin, parseSignedNote, type Checkpoint
} from '../../../protocol/tlog/index.js'
import { hex } from './reference.js'

const SPEC_NOTE = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
  '\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n'

const ROOT = new Uint8Array(32).map((_, i) => i)
const ORIGIN = 'porchlight.31337/0x00000000000000000000000000000000000000aa'
const INVALID = { name: 'InvalidCheckpointError', code: 'INVALID_CHECKPOINT' }

test('the C2SP specification example parses', () => {
  const note = parseSignedNote(SPEC_NOTE)
  const cp = parseCheckpoint(note.text)
  assert.equal(cp.origin, 'example.com/behind-the-sofa')
  assert.equal(cp.size, 20852163)
  assert.equal(Buffer.from(cp.root).toString('base64'), 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=')
  assert.deepEqual(cp.extensions, [])
  assert.equal(formatCheckpoint(cp), note.text)
  assert.equal(note.signatures.length, 1)
  assert.equal(note.signatures[0]!.name, 'example.com/behind-the-sofa')
  assert.equal(note.signatures[0]!.signature.length, 64) // an Ed25519 signature after the 4-byte key id
})

test('format and parse round-trip, with and without extension lines', () => {
  for (const cp of [
    { origin: ORIGIN, size: 0, root: ROOT },
    { origin: ORIGIN, size: 2 ** 53 - 1, root: ROOT },
    { origin: ORIGIN, size: 70000, root: ROOT, extensions: ['anchor 0xabc', 'x'] }
  ] satisfies Checkpoint[]) {
    const text = formatCheckpoint(cp)
    const back = parseCheckpoint(text)
    assert.equal(back.origin, cp.origin)
    assert.equal(back.size, cp.size)
    assert.equal(hex(back.root), hex(cp.root))
    assert.deepEqual(back.extensions, cp.extensions ?? [])
    assert.equal(formatCheckpoint(back), text)
  }
  assert.equal(formatCheckpoint({ origin: ORIGIN, size: 7, root: ROOT }), `${ORIGIN}\n7\n${Buffer.from(ROOT).toString('base64')}\n`)
})

test('parse is strict: every malformed text is InvalidCheckpointError', () => {
  const good = formatCheckpoint({ origin: ORIGIN, size: 10, root: ROOT })
  const b64 = Buffer.from(ROOT).toString('base64')
  const bad: Record<string, string> = {
    'trailing garbage': good + 'garbage',
    'trailing garbage after a newline (empty extension)': good + '\n',
    'no final newline': good.slice(0, -1),
    'two lines': `${ORIGIN}\n10\n`,
    'empty origin': `\n10\n${b64}\n`,
    'origin with a space': `a b\n10\n${b64}\n`,
    'origin with plus': `a+b\n10\n${b64}\n`,
    'leading zero size': `${ORIGIN}\n010\n${b64}\n`,
    'negative size': `${ORIGIN}\n-1\n${b64}\n`,
    'size with plus': `${ORIGIN}\n+1\n${b64}\n`,
    'size above 2^53': `${ORIGIN}\n9007199254740993\n${b64}\n`,
    'hex root': `${ORIGIN}\n10\n${hex(ROOT)}\n`,
    'root of 31 bytes': `${ORIGIN}\n10\n${Buffer.from(ROOT.subarray(1)).toString('base64')}\n`,
    'root without padding': `${ORIGIN}\n10\n${b64.replace('=', '')}\n`,
    'root with non-zero padding bits': `${ORIGIN}\n10\n${b64.slice(0, -2)}B=\n`,
    'root in base64url': `${ORIGIN}\n10\n${Buffer.from(new Uint8Array(32).fill(0xfb)).toString('base64url')}=\n`,
    'CRLF line ends': good.replaceAll('\n', '\r\n'),
    'tab in origin': `a\tb\n10\n${b64}\n`,
    'lone surrogate': `${ORIGIN}\n10\n${b64}\n\ud800\n`,
    'empty extension line': `${ORIGIN}\n10\n${b64}\n\next\n`
  }
  for (const [name, text] of Object.entries(bad)) assert.throws(() => parseCheckpoint(text), INVALID, name)
})

test('format refuses what could not be parsed back', () => {
  assert.throws(() => formatCheckpoint({ origin: 'a b', size: 1, root: ROOT }), INVALID)
  assert.throws(() => formatCheckpoint({ origin: ORIGIN, size: -1, root: ROOT }), INVALID)
  assert.throws(() => formatCheckpoint({ origin: ORIGIN, size: 1.5, root: ROOT }), INVALID)
  assert.throws(() => formatCheckpoint({ origin: ORIGIN, size: 1, root: ROOT.subarray(1) }), INVALID)
  assert.throws(() => formatCheckpoint({ origin: ORIGIN, size: 1, root: ROOT, extensions: [''] }), INVALID)
  assert.throws(() => formatCheckpoint({ origin: ORIGIN, size: 1, root: ROOT, extensions: ['a\nb'] }), INVALID)
})

test('Porchlight origins name the chain and the lowercase agency address', () => {
  const address = '0xAbCdEf0123456789aBcDeF0123456789AbCdEf01'
  const origin = checkpointOrigin(31337, address)
  assert.equal(origin, 'porchlight.31337/0xabcdef0123456789abcdef0123456789abcdef01')
  assert.deepEqual(parseCheckpointOrigin(origin), { chainId: 31337n, agency: address.toLowerCase() })
  assert.equal(checkpointOrigin(11155111n, address), 'porchlight.11155111/0xabcdef0123456789abcdef0123456789abcdef01')
  for (const o of ['porchlight.1/0xABCDEF0123456789abcdef0123456789abcdef01', 'porchlight.01/0x' + 'a'.repeat(40),
    'porchlight/0x' + 'a'.repeat(40), 'porchlight.1/0x' + 'a'.repeat(39), 'example.com/log', 'porchlight.1/0x' + 'a'.repeat(40) + '/']) {
    assert.throws(() => parseCheckpointOrigin(o), INVALID, o)
  }
  assert.throws(() => checkpointOrigin(1, '0x1234'), INVALID)
  assert.throws(() => checkpointOrigin(-1, address), INVALID)
})
