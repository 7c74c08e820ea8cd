// C2SP tlog-witness messages: the spec's own example request parses to what it says, a formatted request
// round-trips byte for byte, and every deviation the spec forbids is InvalidWitnessMessageError (or the
// note's own error) rather than a request the witness acts on.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { encodeBase64 } from '../../../protocol/tlog/base64.js'
import {
  MAX_PROOF_LINES, formatAddCheckpoint, formatTreeSize, parseAddCheckpoint, parseCosignatureLines, parseTreeSize
} from '../../../protocol/tlog/index.js'

// The example request body of https://c2sp.org/tlog-witness (add-checkpoint), verbatim.
const SPEC_BODY = `old 20852014
PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=
5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=
/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=

example.com/behind-the-sofa
20852163
CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
— example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=
`

// The spec's example 200 answer.
const SPEC_ANSWER = `— witness.example/w1 CMp+6LWBU0anHGH5aNDTJkH/gj79sG+T6+iP2ThYN5krrDJbR1HDnucjL39QsZTSvVjyQLrdk3DXDqI5G2HgLatVs0pWh6Up69HVOw==
— witness.example/w1 I7rEps0pvK2UqkS2gSpVUDhrhVtQV9lgF6pRrWAvjJHjyWpW7VcE3SiOlVlbQNt64vWhO+DlkL0+UfzuOBMh9ChdMkP1vi/lCAsmlw==
— witness.example/w2 AWui8Sk55XjYLOijihBjhqEH6nS1ndDymE0a+6idX7pLcnoB+dhnz0854aLZgrrKbYKA7nC3HNJhm/kWl7oJlqU3rXXvpysAdyP3wQ==
`

test('the spec\'s example request parses: old size, four proof hashes, the two-signature checkpoint', () => {
  const req = parseAddCheckpoint(SPEC_BODY)
  assert.equal(req.oldSize, 20852014)
  assert.deepEqual(req.proof.map(encodeBase64), [
    'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=', 'jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=',
    '5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=', '/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0='
  ])
  assert.equal(req.parsed.origin, 'example.com/behind-the-sofa')
  assert.equal(req.parsed.size, 20852163)
  assert.equal(req.text, 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n')
  assert.equal(req.checkpoint, SPEC_BODY.slice(SPEC_BODY.indexOf('example.com')))
  // And formatting what was parsed gives the spec's bytes back.
  assert.equal(formatAddCheckpoint(req), SPEC_BODY)
})

test('the spec\'s example answer parses to its three lines, each with its newline', () => {
  const lines = parseCosignatureLines(SPEC_ANSWER)
  assert.equal(lines.length, 3)
  assert.equal(lines.join(''), SPEC_ANSWER)
  assert.ok(lines.every((l) => l.startsWith('\u2014 ') && l.endsWith('\n')))
})

test('a request with no proof: "old 0", the empty line, the note', () => {
  const checkpoint = SPEC_BODY.slice(SPEC_BODY.indexOf('example.com'))
  const body = formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint })
  assert.equal(body, `old 0\n\n${checkpoint}`)
  assert.equal(parseAddCheckpoint(body).proof.length, 0)
})

test('tree sizes (409 bodies): decimal and a newline, nothing else', () => {
  assert.equal(formatTreeSize(42), '42\n')
  assert.equal(parseTreeSize('42\n'), 42)
  assert.equal(parseTreeSize('0\n'), 0)
  for (const bad of ['42', '042\n', '-1\n', ' 42\n', '42\n\n', '4e2\n', '9007199254740993\n', '']) {
    assert.throws(() => parseTreeSize(bad), { name: 'InvalidWitnessMessageError' }, JSON.stringify(bad))
  }
})

test('malformed requests are refused with a typed error, each for its own reason', () => {
  const note = SPEC_BODY.slice(SPEC_BODY.indexOf('example.com'))
  const hash = 'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw='
  const cases: Array<[string, string, string]> = [
    ['no empty line', `old 5\n${hash}\n${note.replace('\n\n', '\n')}`.replace(/\n\n/g, '\n'), 'InvalidWitnessMessageError'],
    ['leading zero', `old 05\n${hash}\n\n${note}`, 'InvalidWitnessMessageError'],
    ['not "old"', `Old 5\n${hash}\n\n${note}`, 'InvalidWitnessMessageError'],
    ['two spaces', `old  5\n${hash}\n\n${note}`, 'InvalidWitnessMessageError'],
    ['size beyond 2^53', `old 9007199254740993\n${hash}\n\n${note}`, 'InvalidWitnessMessageError'],
    ['non-canonical base64 (padding bits set)', `old 5\n${hash.slice(0, -2)}x=\n\n${note}`, 'InvalidWitnessMessageError'],
    ['a 31-byte hash', `old 5\n${encodeBase64(new Uint8Array(31))}\n\n${note}`, 'InvalidWitnessMessageError'],
    ['64 proof lines', `old 5\n${`${hash}\n`.repeat(MAX_PROOF_LINES + 1)}\n${note}`, 'InvalidWitnessMessageError'],
    ['a proof from size 0', `old 0\n${hash}\n\n${note}`, 'InvalidWitnessMessageError'],
    ['CRLF', `old 5\r\n${hash}\r\n\r\n${note}`, 'InvalidWitnessMessageError'],
    ['an unsigned note', `old 5\n${hash}\n\n${note.slice(0, note.indexOf('\n\n') + 1)}`, 'InvalidNoteError'],
    ['trailing garbage after the note', `old 5\n${hash}\n\n${note}x`, 'InvalidNoteError'],
    ['a checkpoint without a root', `old 5\n\nexample.com/x\n5\n\n— example.com/x AAAAAAA=\n`, 'InvalidCheckpointError'],
    ['too long', `old 5\n\n${note}`.padEnd(20000, 'x'), 'InvalidWitnessMessageError']
  ]
  for (const [why, body, name] of cases) assert.throws(() => parseAddCheckpoint(body), { name }, why)
  assert.throws(() => parseAddCheckpoint(undefined as unknown as string), { name: 'InvalidWitnessMessageError' })
})

test('formatting refuses what it could not write as one canonical request', () => {
  const checkpoint = SPEC_BODY.slice(SPEC_BODY.indexOf('example.com'))
  assert.throws(() => formatAddCheckpoint({ oldSize: -1, proof: [], checkpoint }), { name: 'InvalidWitnessMessageError' })
  assert.throws(() => formatAddCheckpoint({ oldSize: 1.5, proof: [], checkpoint }), { name: 'InvalidWitnessMessageError' })
  assert.throws(() => formatAddCheckpoint({ oldSize: 1, proof: [new Uint8Array(31)], checkpoint }), { name: 'InvalidWitnessMessageError' })
  assert.throws(() => formatAddCheckpoint({ oldSize: 1, proof: Array.from({ length: 64 }, () => new Uint8Array(32)), checkpoint }), { name: 'InvalidWitnessMessageError' })
  assert.throws(() => formatAddCheckpoint({ oldSize: 1, proof: [], checkpoint: 'not a note\n' }), { name: 'InvalidNoteError' })
})

test('answers that are not signature lines are refused', () => {
  for (const bad of ['', '\u2014 w1 AAAA', 'hello\n', '\u2014 w1 AAAAAAA=\n\n', '\u2014 w 1 AAAAAAA=\n']) {
    assert.throws(() => parseCosignatureLines(bad), { name: 'InvalidWitnessMessageError' }, JSON.stringify(bad))
  }
})
