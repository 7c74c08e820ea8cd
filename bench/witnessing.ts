// Witnessed checkpoints (issue 14), each figure beside a baseline of the same run:
//  - append → a checkpoint covering it that a quorum of witnesses cosigned, p50/p99, under a steady append load
//    with the log's 500 ms checkpoint interval, with three real witness nodes (level, fsync) reached over
//    loopback libp2p; baseline: append → the agency-signed checkpoint covering it, on the same appends;
//  - a witness's add-checkpoint throughput on one core (one process, fsynced level store, many logs at once);
//    baseline: Ed25519 signing alone, the one signature a witness makes per answer. Beside it: the same
//    without fsync, and the witness's two signatures (OpenSSL Ed25519, libsecp256k1 recovery of the agency's)
//    each beside protocol's pure (noble) one;
//  - an announcement's size with the agency's checkpoint alone and with 2 and 3 cosignature lines.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { ed25519 } from '@noble/curves/ed25519.js'
import { Level } from 'level'
import { addressOfPrivateKey, encodeAnnouncement, encodeLogEntry, fromHex, toHex } from '../protocol/index.js'
import {
  MemoryTree, checkpointOrigin, formatCheckpoint, openCheckpoint, parseAddCheckpoint, parseCheckpoint, signCheckpoint, signCosignature
} from '../protocol/tlog/index.js'
import { AgencyLog, Cosigner, type CosignatureStore } from '../node/log/index.js'
import { nodeCosignatureSigner, nodeSignerRecovery } from '../node/crypto/index.js'
import { createPorchlightLibp2p } from '../node/p2p/index.js'
import { Witness, witnessClient, type WitnessDatabase } from '../node/witness/index.js'
import { startWitnesses } from '../test/helpers/witnesses.js'
import { TestLog } from '../test/helpers/witness-log.js'
import { signedRequest } from '../test/helpers/messages.js'
import { percentile, type BenchContext } from './lib.js'

const AGENCY_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
const CHAIN_ID = 31337
const SECTION = 'witnessing'

async function appendToQuorum (ctx: BenchContext): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-bench-witnessing-'))
  const root = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
  await root.open()
  const witnesses = await startWitnesses(3, { chainId: CHAIN_ID })
  const libp2p = await createPorchlightLibp2p()
  const set = { quorum: 2, witnesses: witnesses.set }
  const log = await AgencyLog.open({ db: root.sublevel<string, Uint8Array>('log', { keyEncoding: 'utf8', valueEncoding: 'view' }), agencyKey: AGENCY_KEY, chainId: CHAIN_ID, checkpointIntervalMs: 500 })
  const cosigner = await Cosigner.start({
    log,
    witnessSet: async () => set,
    client: (w) => witnessClient(w, libp2p),
    db: root.sublevel('cosignatures', { valueEncoding: 'json' }) as unknown as CosignatureStore
  })
  const rate = 200
  const seconds = ctx.quick ? 2 : 6
  const startedAt: number[] = []
  const toIssued: number[] = []
  const toWitnessed: number[] = []
  let issued = 0
  let witnessed = 0
  log.on('checkpoint:issued', (cp) => {
    const now = performance.now()
    for (; issued < cp.size; issued++) toIssued.push(now - startedAt[issued]!)
  })
  cosigner.on('checkpoint:witnessed', (cp) => {
    const now = performance.now()
    for (; witnessed < cp.size; witnessed++) toWitnessed.push(now - startedAt[witnessed]!)
  })
  try {
    const payload = new Uint8Array(128)
    const tickMs = 10
    const perTick = rate * tickMs / 1000
    const pending: Array<Promise<void>> = []
    const t0 = performance.now()
    for (let tick = 0; tick * tickMs < seconds * 1000; tick++) {
      const wait = t0 + tick * tickMs - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      for (let k = 0; k < perTick; k++) {
        const begin = performance.now()
        // The index is known only on acknowledgement; the start time is when the append was asked for.
        pending.push(log.append(payload).then((index) => { startedAt[index] = begin }))
      }
    }
    await Promise.all(pending)
    while (witnessed < log.size) await new Promise((resolve) => cosigner.once('checkpoint:witnessed', resolve))
  } finally {
    await cosigner.stop()
    await log.close()
    await root.close()
    await libp2p.stop()
    await witnesses.stopAll()
    await rm(dir, { recursive: true, force: true })
  }
  const label = `${rate} appends/s for ${seconds} s, checkpoint interval 500 ms, 3 witness nodes over loopback libp2p, quorum 2`
  ctx.row({
    section: SECTION,
    figure: `append → checkpoint with a quorum of cosignatures, p50 (${label})`,
    value: percentile(toWitnessed, 50),
    unit: 'ms',
    baseline: { label: 'append → agency-signed checkpoint, p50', value: percentile(toIssued, 50) },
    better: 'lower'
  })
  const p99 = percentile(toWitnessed, 99)
  ctx.row({
    section: SECTION,
    figure: `append → checkpoint with a quorum of cosignatures, p99 (${label})`,
    value: p99,
    unit: 'ms',
    baseline: { label: 'append → agency-signed checkpoint, p99', value: percentile(toIssued, 99) },
    better: 'lower',
    goal: '≤ 1,000 ms',
    met: p99 <= 1000
  })
}

/** Operations per second of `op`, over `count` runs, `parallel` at a time. */
async function rateOf (count: number, parallel: number, op: (i: number) => unknown): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < count; i += parallel) {
    await Promise.all(Array.from({ length: Math.min(parallel, count - i) }, async (_, k) => { await op(i + k) }))
  }
  return count / ((performance.now() - t0) / 1000)
}

/** A witness's add-checkpoints per second on a fresh level store, `logs` of `bodies`' logs at once, round by round. */
async function witnessRate (bodies: string[][], secretKey: Uint8Array, sync: boolean): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-bench-witness-'))
  const level = new Level<string, unknown>(dir, { keyEncoding: 'utf8', valueEncoding: 'json' })
  await level.open()
  const store = level as unknown as WitnessDatabase
  // Without sync, the same writes with the flag dropped: what fsync costs the witness.
  const db: WitnessDatabase = sync ? store : { get: async (k) => await store.get(k), keys: () => store.keys(), batch: async (ops) => { await store.batch(ops, { sync: false }) } }
  try {
    const witness = await Witness.open({ name: 'bench.example/witness', secretKey, chainId: CHAIN_ID, db })
    const flat = bodies.flat()
    // Rounds in order (a log's checkpoints follow each other); the logs of a round at once.
    return await rateOf(flat.length, bodies[0]!.length, async (i) => await witness.addCheckpoint(flat[i]!))
  } finally {
    await level.close()
    await rm(dir, { recursive: true, force: true })
  }
}

async function addCheckpointThroughput (ctx: BenchContext): Promise<void> {
  const logs = 50
  const rounds = ctx.quick ? 4 : 20
  // Prepared beforehand (the agencies' work, not the witness's): each log grows by one entry a round.
  const bodies: string[][] = Array.from({ length: rounds }, () => [])
  for (let l = 0; l < logs; l++) {
    const log = new TestLog(CHAIN_ID)
    for (let r = 0; r < rounds; r++) {
      const old = log.tree.size
      log.grow(1)
      bodies[r]!.push(log.body(old))
    }
  }
  const secretKey = ed25519.utils.randomSecretKey()
  const rate = await witnessRate(bodies, secretKey, true)
  const unsynced = await witnessRate(bodies, secretKey, false)
  const sample = bodies[0]![0]!
  const { checkpoint, text } = parseAddCheckpoint(sample)
  const n = ctx.quick ? 300 : 2000
  const name = 'bench.example/witness'
  // The witness's own signer and recovery (node/crypto), each beside protocol's pure ones (noble).
  const signer = nodeCosignatureSigner(name, secretKey)
  const signing = await rateOf(n, 1, (i) => signer.sign(text, 1_700_000_000 + i))
  const nobleSigning = await rateOf(Math.round(n / 4), 1, (i) => signCosignature({ name, secretKey, checkpoint: text, timestamp: 1_700_000_000 + i }))
  const { origin } = parseCheckpoint(text)
  const recover = nodeSignerRecovery()
  const opening = await rateOf(n, 1, () => openCheckpoint(checkpoint, origin, recover))
  const nobleOpening = await rateOf(Math.round(n / 4), 1, () => openCheckpoint(checkpoint, origin))
  const label = `${logs} logs at once × ${rounds} checkpoints`
  ctx.row({
    section: SECTION,
    figure: `witness add-checkpoint, one core (${label}, fsynced level)`,
    value: rate,
    unit: 'ops/s',
    baseline: { label: 'Ed25519 signing alone (OpenSSL, as the witness signs)', value: signing },
    better: 'higher',
    goal: '≥ 1,000/s',
    met: rate >= 1000
  })
  ctx.row({
    section: SECTION,
    figure: `witness add-checkpoint without fsync (${label})`,
    value: unsynced,
    unit: 'ops/s',
    baseline: { label: 'the same, fsynced', value: rate },
    better: 'higher'
  })
  ctx.row({
    section: SECTION,
    figure: 'Ed25519 cosignature signing, OpenSSL (node/crypto, what the witness uses)',
    value: signing,
    unit: 'ops/s',
    baseline: { label: "noble (protocol's signCosignature)", value: nobleSigning },
    better: 'higher'
  })
  ctx.row({
    section: SECTION,
    figure: 'opening the agency-signed checkpoint, libsecp256k1 recovery (node/crypto, what the witness uses)',
    value: opening,
    unit: 'ops/s',
    baseline: { label: "noble recovery (protocol's default, the browser's)", value: nobleOpening },
    better: 'higher'
  })
}

function announcementSizes (ctx: BenchContext): void {
  const request = signedRequest()
  const tree = new MemoryTree()
  for (let i = 0; i < 999; i++) tree.append(new Uint8Array([i & 0xff, i >> 8]))
  const index = tree.append(encodeLogEntry({ kind: 'request', request }))
  const key = fromHex(AGENCY_KEY)
  const body = formatCheckpoint({ origin: checkpointOrigin(CHAIN_ID, addressOfPrivateKey(key).toLowerCase()), size: tree.size, root: tree.rootAt(tree.size) })
  const agencyNote = signCheckpoint(parseCheckpoint(body), key)
  const cosigned = (k: number): string => agencyNote + Array.from({ length: k }, (_, i) =>
    signCosignature({ name: `witness-${i}.example/w`, secretKey: ed25519.utils.randomSecretKey(), checkpoint: body, timestamp: 1_700_000_000 })).join('')
  const proof = tree.inclusionProof(index, tree.size).map(toHex)
  const size = (checkpoint: string): number => encodeAnnouncement({ kind: 'request', request, logIndex: index, checkpoint, proof }).length
  const before = size(agencyNote)
  for (const k of [2, 3]) {
    ctx.row({
      section: SECTION,
      figure: `announcement size, checkpoint with ${k} cosignatures (log of 1,000 entries)`,
      value: size(cosigned(k)),
      unit: 'bytes',
      baseline: { label: 'agency-signed checkpoint only', value: before },
      better: 'lower'
    })
  }
}

export default async function witnessing (ctx: BenchContext): Promise<void> {
  await appendToQuorum(ctx)
  await addCheckpointThroughput(ctx)
  announcementSizes(ctx)
}
