// The witness on a memory store: every C2SP answer one by one, the split view (a second tree at the same or
// a later size) refused with its state unchanged, the rollback race closed, the origin bound, and its
// cosignatures checked by protocol's verifier and by Python's `cryptography` over the exact signed bytes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { Writable } from 'node:stream'
import { bytesToHex } from '@noble/hashes/utils.js'
import {
  cosignedMessage, formatAddCheckpoint, openCheckpoint, parseCosignature, parseSignedNote, parseVerifierKey,
  verifyCosignature
} from '../../../protocol/tlog/index.js'
import { Witness, type AddCheckpointAnswered, type WitnessInit } from '../../../node/witness/index.js'
import { createLogger } from '../../../node/logging/index.js'
import { TestLog, memoryWitnessDatabase, type MemoryWitnessDatabase } from '../../helpers/witness-log.js'

const CHAIN_ID = 31337
const SECRET = new Uint8Array(32).fill(7)
const NOW = 1_780_000_000_000

async function openWitness (init: Partial<WitnessInit> = {}): Promise<{ witness: Witness, db: MemoryWitnessDatabase, answers: AddCheckpointAnswered[] }> {
  const db = memoryWitnessDatabase()
  const witness = await Witness.open({ name: 'witness.test/w1', secretKey: SECRET, chainId: CHAIN_ID, db, now: () => NOW, ...init })
  const answers: AddCheckpointAnswered[] = []
  witness.on('checkpoint:answered', (a) => answers.push(a))
  return { witness, db, answers }
}

/**
 * Lets every request in flight go as far as it can: the store is memory and the crypto synchronous, so one
 * turn of the event loop runs them up to the held write or the per-origin lock (no timer involved).
 */
async function settle (): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve))
}

/** Runs `fn`, expects it to fail with `name`, and the store to be exactly as before. */
async function refusedUnchanged (db: MemoryWitnessDatabase, fn: () => Promise<unknown>, name: string): Promise<void> {
  const before = structuredClone([...db.records])
  await assert.rejects(fn(), { name })
  assert.deepEqual([...db.records], before)
}

test('cosigns a fresh log from old size 0, stores it synced, and the line verifies under its vkey', async () => {
  const { witness, db, answers } = await openWitness()
  const log = new TestLog(CHAIN_ID).grow(5)
  const [line, ...more] = await witness.addCheckpoint(log.body(0))
  assert.equal(more.length, 0)
  const text = parseSignedNote(log.checkpoint()).text
  const { name, publicKey } = parseVerifierKey(witness.vkey)
  assert.equal(name, 'witness.test/w1')
  assert.deepEqual(verifyCosignature({ name, publicKey, checkpoint: text, cosignature: line! }), { name, keyId: parseCosignature(line!).keyId, timestamp: NOW / 1000 })
  assert.equal(db.syncedPuts, 1)
  assert.equal(db.records.get(log.origin)?.size, 5)
  // What auditors read back: the agency's signature (still valid) and this cosignature, nothing else.
  const latest = (await witness.latest(log.origin))!
  assert.equal(openCheckpoint(latest, log.origin).checkpoint.size, 5)
  assert.deepEqual(parseSignedNote(latest).signatures.map((s) => s.name), [log.origin, name])
  assert.equal(latest.endsWith(line!), true)
  assert.deepEqual(answers, [{ result: 'cosigned', code: 'COSIGNED', origin: log.origin, size: 5 }])
  assert.equal(witness.origins, 1)
})

test('cosigns a checkpoint that a consistency proof shows extends the latest one, and the same one again', async () => {
  const { witness, db } = await openWitness()
  const log = new TestLog(CHAIN_ID).grow(3)
  await witness.addCheckpoint(log.body(0))
  log.grow(10)
  await witness.addCheckpoint(log.body(3))
  assert.equal(db.records.get(log.origin)?.size, 13)
  // C2SP: old size = size with the same root is consistent (an empty proof); it is cosigned again.
  assert.equal((await witness.addCheckpoint(log.body(13))).length, 1)
  assert.equal(db.records.get(log.origin)?.size, 13)
})

test('a wrong old size is a conflict naming the latest size; nothing changes', async () => {
  const { witness, db, answers } = await openWitness()
  const log = new TestLog(CHAIN_ID).grow(4)
  await witness.addCheckpoint(log.body(0))
  log.grow(4)
  for (const old of [0, 2, 5]) {
    const before = structuredClone([...db.records])
    const err = await witness.addCheckpoint(log.body(old)).then(() => undefined, (e: unknown) => e) as { name: string, latestSize: number, details: Record<string, unknown> }
    assert.equal(err.name, 'OldSizeConflictError', `old ${old}`)
    assert.equal(err.latestSize, 4)
    assert.deepEqual(err.details, { latestSize: 4, oldSize: old })
    assert.deepEqual([...db.records], before)
  }
  // A fresh origin's latest size is 0: anything else is a conflict too.
  const fresh = new TestLog(CHAIN_ID).grow(4)
  await refusedUnchanged(db, async () => await witness.addCheckpoint(fresh.body(2)), 'OldSizeConflictError')
  assert.deepEqual(answers.slice(1).map((a) => a.result), ['conflict', 'conflict', 'conflict', 'conflict'])
})

test('split view at the same size: another root is refused (409), state unchanged', async () => {
  const { witness, db, answers } = await openWitness()
  const log = new TestLog(CHAIN_ID).grow(6)
  await witness.addCheckpoint(log.body(0))
  const fork = log.fork(3, 3) // size 6 too, same agency key, another root
  await refusedUnchanged(db, async () => await witness.addCheckpoint(formatAddCheckpoint({ oldSize: 6, proof: [], checkpoint: fork.checkpoint() })), 'ConflictingRootError')
  assert.equal(answers.at(-1)?.result, 'conflict')
  assert.equal(openCheckpoint((await witness.latest(log.origin))!, log.origin).checkpoint.size, 6)
})

test('split view at a later size: a tree not extending the cosigned one is refused (422), state unchanged', async () => {
  const { witness, db, answers } = await openWitness()
  const log = new TestLog(CHAIN_ID).grow(6)
  await witness.addCheckpoint(log.body(0))
  const fork = log.fork(5, 4) // size 9: shares 5 entries, not 6
  // Its own proof (from its size 6) and the honest log's proof (6 → 9) both fail against the cosigned root.
  await refusedUnchanged(db, async () => await witness.addCheckpoint(fork.body(6)), 'InconsistentCheckpointError')
  const honest = new TestLog(CHAIN_ID, `0x${bytesToHex(log.key)}`).grow(0)
  for (let i = 0; i < 6; i++) honest.tree.appendLeafHash(log.tree.getHash(0, i))
  honest.grow(3)
  await refusedUnchanged(db, async () => await witness.addCheckpoint(formatAddCheckpoint({ oldSize: 6, proof: honest.tree.consistencyProof(6, 9), checkpoint: fork.checkpoint() })), 'InconsistentCheckpointError')
  // A proof with one bit flipped does not pass either.
  const proof = honest.tree.consistencyProof(6, 9)
  proof[0]![0]! ^= 1
  await refusedUnchanged(db, async () => await witness.addCheckpoint(formatAddCheckpoint({ oldSize: 6, proof, checkpoint: honest.checkpoint() })), 'InconsistentCheckpointError')
  assert.deepEqual(answers.slice(1).map((a) => a.result), ['inconsistent', 'inconsistent', 'inconsistent'])
  // The honest extension still goes through afterwards.
  await witness.addCheckpoint(honest.body(6))
  assert.equal(db.records.get(log.origin)?.size, 9)
})

test('origins: another chain, not Porchlight\'s, an unregistered agency are unknown (404); nothing stored', async () => {
  const registered = new TestLog(CHAIN_ID).grow(2)
  const { witness, db, answers } = await openWitness({ isRegistered: async (agency) => agency === registered.address })
  await refusedUnchanged(db, async () => await witness.addCheckpoint(new TestLog(1).grow(2).body(0)), 'UnknownOriginError')
  await refusedUnchanged(db, async () => await witness.addCheckpoint(new TestLog(CHAIN_ID).grow(2).body(0)), 'UnknownOriginError')
  const foreign = 'old 0\n\nexample.com/log\n1\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n\n\u2014 example.com/log AAAAAAA=\n'
  await refusedUnchanged(db, async () => await witness.addCheckpoint(foreign), 'UnknownOriginError')
  assert.deepEqual(answers.map((a) => [a.result, a.code]), Array(3).fill(['unknown-origin', 'UNKNOWN_ORIGIN']))
  await witness.addCheckpoint(registered.body(0))
  assert.equal(witness.origins, 1)
})

test('a checkpoint no signature of the agency verifies is refused (403)', async () => {
  const { witness, db, answers } = await openWitness()
  const log = new TestLog(CHAIN_ID).grow(3)
  const note = log.checkpoint()
  const { text, signatures } = parseSignedNote(note)
  const sig = signatures[0]!
  // One bit of the agency's signature flipped: it recovers another address.
  const flipped = Uint8Array.from(sig.signature)
  flipped[10]! ^= 1
  const forged = `${text}\n\u2014 ${sig.name} ${Buffer.concat([Buffer.from(note.trim().split(' ').at(-1)!, 'base64').subarray(0, 4), flipped]).toString('base64')}\n`
  await refusedUnchanged(db, async () => await witness.addCheckpoint(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: forged })), 'UnverifiedCheckpointError')
  // Signed by another agency's key under this origin's name: the key id does not match, so no line counts.
  const other = new TestLog(CHAIN_ID).grow(3)
  const otherLine = other.checkpoint().split('\n\n')[1]!.replace(other.origin, log.origin)
  await refusedUnchanged(db, async () => await witness.addCheckpoint(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: `${text}\n${otherLine}` })), 'UnverifiedCheckpointError')
  // Only a witness's cosignature, no agency line.
  const [witnessLine] = await (await openWitness()).witness.addCheckpoint(log.body(0))
  const cosignedOnly = `${text}\n${witnessLine!}`
  await refusedUnchanged(db, async () => await witness.addCheckpoint(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: cosignedOnly })), 'UnverifiedCheckpointError')
  assert.deepEqual(answers.map((a) => a.result), ['bad-signature', 'bad-signature', 'bad-signature'])
})

test('malformed requests (400) and an old size above the checkpoint\'s are refused and counted', async () => {
  const { witness, db, answers } = await openWitness()
  const log = new TestLog(CHAIN_ID).grow(3)
  await witness.addCheckpoint(log.body(0))
  await refusedUnchanged(db, async () => await witness.addCheckpoint('hello'), 'InvalidWitnessMessageError')
  await refusedUnchanged(db, async () => await witness.addCheckpoint(''), 'InvalidWitnessMessageError')
  await refusedUnchanged(db, async () => await witness.addCheckpoint(`old 3\n\n${log.checkpoint()}trailing`), 'InvalidNoteError')
  await refusedUnchanged(db, async () => await witness.addCheckpoint(`old 4\n\n${log.checkpoint()}`), 'OldSizeTooLargeError')
  assert.deepEqual(answers.slice(1).map((a) => a.result), ['malformed', 'malformed', 'malformed', 'malformed'])
})

test('two add-checkpoints for one origin at once cannot both win (C2SP\'s rollback race)', async () => {
  const { witness, db } = await openWitness()
  const log = new TestLog(CHAIN_ID).grow(4)
  await witness.addCheckpoint(log.body(0))
  log.grow(2)
  const toSix = log.body(4, 6)
  log.grow(3)
  const toNine = log.body(4, 9)
  // The larger one is held between its check and its write while the smaller one comes in: without a lock the
  // smaller one passes the same check, and its write lands last, rolling the log back.
  const hold = db.holdPuts()
  const nine = witness.addCheckpoint(toNine).then(() => 'cosigned', (e: { name: string }) => e.name)
  await hold.reached
  const six = witness.addCheckpoint(toSix).then(() => 'cosigned', (e: { name: string }) => e.name)
  await settle()
  hold.release()
  assert.deepEqual([await nine, await six], ['cosigned', 'OldSizeConflictError'])
  assert.equal(db.records.get(log.origin)?.size, 9)
  // And two forks from one old size: one wins, the other is told the new size.
  const fork = log.fork(9, 1)
  log.grow(1)
  const hold2 = db.holdPuts()
  const a = witness.addCheckpoint(log.body(9)).then(() => 'cosigned', (e: { name: string }) => e.name)
  await hold2.reached
  const b = witness.addCheckpoint(fork.body(9)).then(() => 'cosigned', (e: { name: string }) => e.name)
  await settle()
  hold2.release()
  assert.deepEqual([await a, await b], ['cosigned', 'OldSizeConflictError'])
  assert.equal(db.records.get(log.origin)?.root, Buffer.from(log.tree.rootAt(10)).toString('base64'))
})

test('the origin bound: a fresh origin past maxOrigins is refused, also when fresh ones race', async () => {
  const { witness, db, answers } = await openWitness({ maxOrigins: 2 })
  const logs = Array.from({ length: 4 }, () => new TestLog(CHAIN_ID).grow(1))
  const hold = db.holdPuts()
  const first = witness.addCheckpoint(logs[0]!.body(0))
  await hold.reached
  // Three more while the first is between its check and its write: one fits, two do not.
  const rest = logs.slice(1).map(async (l) => await witness.addCheckpoint(l.body(0)).then(() => 'cosigned', (e: { name: string }) => e.name))
  await settle()
  hold.release()
  await first
  assert.deepEqual((await Promise.all(rest)).sort(), ['TooManyOriginsError', 'TooManyOriginsError', 'cosigned'])
  assert.equal(db.records.size, 2)
  assert.equal(witness.origins, 2)
  assert.equal(answers.filter((a) => a.code === 'TOO_MANY_ORIGINS').every((a) => a.result === 'unknown-origin'), true)
  // Origins it already follows still advance; a reopened witness counts what is stored.
  const known = logs.find((l) => db.records.has(l.origin))!
  known.grow(1)
  await witness.addCheckpoint(known.body(1))
  assert.equal((await Witness.open({ name: 'w', secretKey: SECRET, chainId: CHAIN_ID, db, maxOrigins: 2 })).origins, 2)
})

test('every refusal is logged with its code; a split view at warn, with the checkpoint as evidence', async () => {
  const lines: Array<{ level: number, msg: string, code?: string, err?: { code?: string }, checkpoint?: string }> = []
  const destination = new Writable({ write (chunk: Buffer, _enc, done) { lines.push(...chunk.toString().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as never)); done() } })
  const { witness } = await openWitness({ logger: createLogger({ level: 'info', destination }) })
  const log = new TestLog(CHAIN_ID).grow(4)
  await witness.addCheckpoint(log.body(0))
  await witness.addCheckpoint('nonsense').catch(() => {})
  await witness.addCheckpoint(new TestLog(9).grow(1).body(0)).catch(() => {})
  const fork = log.fork(2, 2)
  await witness.addCheckpoint(formatAddCheckpoint({ oldSize: 4, proof: [], checkpoint: fork.checkpoint() })).catch(() => {})
  const codes = lines.map((l) => l.code ?? l.err?.code)
  assert.deepEqual(codes, ['INVALID_WITNESS_MESSAGE', 'UNKNOWN_ORIGIN', 'CONFLICTING_ROOT'])
  const split = lines[2]!
  assert.equal(split.level, 40) // warn
  assert.equal(split.checkpoint, fork.checkpoint())
})

test('a write that fails answers nothing and leaves the state and the origin count as they were', async () => {
  const { witness, db, answers } = await openWitness()
  const log = new TestLog(CHAIN_ID).grow(2)
  db.failNext = true
  await assert.rejects(witness.addCheckpoint(log.body(0)), /on purpose/)
  assert.equal(db.records.size, 0)
  assert.equal(witness.origins, 0)
  assert.equal(answers.at(-1)?.result, 'failed')
  await witness.addCheckpoint(log.body(0))
  assert.equal(witness.origins, 1)
})

test('concurrent logs share a synced batch: none is answered before its batch is written, and a failed batch fails them all', async () => {
  const { witness, db, answers } = await openWitness()
  const logs = Array.from({ length: 4 }, () => new TestLog(CHAIN_ID).grow(3))
  const hold = db.holdPuts()
  const first = witness.addCheckpoint(logs[0]!.body(0))
  await hold.reached
  const rest = logs.slice(1).map(async (l) => await witness.addCheckpoint(l.body(0)))
  await settle()
  // The first is being written, the other three wait for the next batch: nothing answered, nothing stored.
  assert.equal(answers.length, 0)
  assert.equal(db.records.size, 0)
  hold.release()
  await Promise.all([first, ...rest])
  assert.deepEqual([db.syncedBatches, db.syncedPuts], [2, 4])
  assert.deepEqual(answers.map((a) => a.result), ['cosigned', 'cosigned', 'cosigned', 'cosigned'])
  // Again, and the second batch fails: its three answers fail, their origins keep their state.
  for (const l of logs) l.grow(1)
  const hold1 = db.holdPuts()
  const a = witness.addCheckpoint(logs[0]!.body(3))
  await hold1.reached
  const others = logs.slice(1).map(async (l) => await witness.addCheckpoint(l.body(3)).then(() => 'cosigned', () => 'refused'))
  await settle()
  hold1.release()
  const hold2 = db.holdPuts()
  await a
  await hold2.reached
  db.failNext = true
  hold2.release()
  assert.deepEqual(await Promise.all(others), ['refused', 'refused', 'refused'])
  assert.deepEqual(logs.map((l) => db.records.get(l.origin)?.size), [4, 3, 3, 3])
  assert.deepEqual(answers.slice(4).map((x) => x.result).sort(), ['cosigned', 'failed', 'failed', 'failed'])
  assert.equal(witness.origins, 4)
})

// Python 3 with `cryptography` (Debian python3-cryptography) rebuilds the signed message from C2SP's
// definition (cosignature/v1 header, time line, checkpoint text), the key id from the vkey's name and key,
// and verifies the witness's line with OpenSSL's Ed25519.
const PYTHON = String.raw`
import base64, hashlib, json, struct, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
req = json.load(sys.stdin)
name, b64id, b64key = req['vkey'].split('+', 2)
raw_key = base64.b64decode(b64key, validate=True)
assert raw_key[0] == 4 and len(raw_key) == 33
key_id = hashlib.sha256(name.encode() + b'\n' + raw_key).digest()[:4]
assert key_id.hex() == b64id
line = req['line']
assert line.startswith('\u2014 ' + name + ' ') and line.endswith('\n')
sig = base64.b64decode(line[:-1].split(' ')[2], validate=True)
assert sig[:4] == key_id and len(sig) == 76
(ts,) = struct.unpack('>Q', sig[4:12])
message = b'cosignature/v1\ntime ' + str(ts).encode() + b'\n' + req['checkpoint'].encode()
Ed25519PublicKey.from_public_bytes(raw_key[1:]).verify(sig[12:], message)
print(json.dumps({'timestamp': ts, 'message': message.hex()}))
`

test('interop: Python cryptography verifies a cosignature the witness returned, over the exact bytes', async (t) => {
  const probe = spawnSync('python3', ['-c', 'import cryptography'], { encoding: 'utf8' })
  if (probe.error !== undefined || probe.status !== 0) { t.skip('python3 with cryptography (python3-cryptography) not available'); return }
  const { witness } = await openWitness()
  const log = new TestLog(CHAIN_ID).grow(7)
  const [line] = await witness.addCheckpoint(log.body(0))
  const text = parseSignedNote(log.checkpoint()).text
  const run = spawnSync('python3', ['-c', PYTHON], { encoding: 'utf8', input: JSON.stringify({ vkey: witness.vkey, line, checkpoint: text }) })
  assert.equal(run.status, 0, run.stderr)
  const out = JSON.parse(run.stdout) as { timestamp: number, message: string }
  assert.equal(out.timestamp, NOW / 1000)
  assert.equal(out.message, bytesToHex(cosignedMessage(text, NOW / 1000)))
  // The same run rejects a line for another checkpoint: Python is really checking.
  const other = parseSignedNote(log.grow(1).checkpoint()).text
  const bad = spawnSync('python3', ['-c', PYTHON], { encoding: 'utf8', input: JSON.stringify({ vkey: witness.vkey, line, checkpoint: other }) })
  assert.notEqual(bad.status, 0)
  assert.match(bad.stderr, /InvalidSignature/)
})
