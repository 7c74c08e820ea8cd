// The agency log's witnessing (issue 14): append → a checkpoint covering it that a quorum of witnesses
// cosigned, p50/p99, under a steady append load with the log's 500 ms checkpoint interval.
// Baseline, measured on the same appends in the same run: append → the agency-signed checkpoint covering it
// (what an entry waited for before witnesses). The witnesses are three in-process doubles (quorum 2) that
// check the consistency proof and sign a real cosignature/v1 line, so the figure is the cosigner's own cost
// (queues, proofs, verification, the fsynced store) without a network; the lead switches it to three real
// witnesses on loopback libp2p once the witness role is merged.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { Level } from 'level'
import { AgencyLog, Cosigner, type CosignatureStore } from '../node/log/index.js'
import { witnessDoubles } from '../test/helpers/witness-doubles.js'
import { percentile, type BenchContext } from './lib.js'

const AGENCY_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
const SECTION = 'witnessing'

export default async function witnessing (ctx: BenchContext): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-bench-witnessing-'))
  const root = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
  await root.open()
  const log = await AgencyLog.open({ db: root.sublevel<string, Uint8Array>('log', { keyEncoding: 'utf8', valueEncoding: 'view' }), agencyKey: AGENCY_KEY, chainId: 31337, checkpointIntervalMs: 500 })
  const { set, client } = witnessDoubles(3, 2)
  const cosigner = await Cosigner.start({ log, witnessSet: async () => set, client, db: root.sublevel('cosignatures', { valueEncoding: 'json' }) as unknown as CosignatureStore })
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
    await rm(dir, { recursive: true, force: true })
  }
  const label = `${rate} appends/s for ${seconds} s, checkpoint interval 500 ms, 3 in-process witness doubles, quorum 2`
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
