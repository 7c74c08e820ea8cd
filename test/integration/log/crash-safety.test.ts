// Crash safety with real processes: a child appends in a loop and is killed with SIGKILL at random points,
// 24 times. The parent trusts only what it read from the child before the kill. After each kill: every
// acknowledged index holds its bytes, the tree has the root of every checkpoint issued (so it is consistent
// with all of them), the stored checkpoints verify, and appends continue where the log left off.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { randomInt } from 'node:crypto'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { equalHashes, openCheckpoint, verifyConsistency } from '../../../protocol/tlog/index.js'
import { AgencyLog } from '../../../node/log/index.js'
import { AGENCY, AGENCY_KEY, CHAIN_ID, tempStore } from '../../helpers/log-store.js'

const CHILD = fileURLToPath(new URL('../../fixtures/log-append-child.ts', import.meta.url))
const KILLS = 24
const ORIGIN = `porchlight.${CHAIN_ID}/${AGENCY}`

interface Run { acked: Map<number, string>, checkpoints: Map<number, string>, readySize: number }

/** Runs the child until a random point after its first acknowledged append, kills it, returns what it said. */
async function runAndKill (dir: string): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, AGENCY_KEY, String(CHAIN_ID)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = once(child, 'exit')
  const run: Run = { acked: new Map(), checkpoints: new Map(), readySize: -1 }
  let killTimer: NodeJS.Timeout | undefined
  for await (const line of createInterface({ input: child.stdout })) {
    const [kind, a, b] = line.split(' ') as [string, string, string | undefined]
    if (kind === 'ready') run.readySize = Number(a)
    if (kind === 'ack') run.acked.set(Number(a), b ?? '')
    if (kind === 'cp') run.checkpoints.set(Number(a), b!)
    // Kill at a random moment once appends flow: mid-batch, mid-checkpoint, between them.
    if (kind === 'ack' && killTimer === undefined) killTimer = setTimeout(() => child.kill('SIGKILL'), randomInt(0, 250))
  }
  const [code, signal] = await exited
  assert.equal(signal, 'SIGKILL', `child ended by itself (code ${String(code)})`)
  return run
}

test(`acknowledged appends and issued checkpoints survive ${KILLS} SIGKILLs; appends continue`, async () => {
  const store = await tempStore()
  await store.closeDb()
  const acked = new Map<number, string>()
  const checkpoints = new Map<number, string>()
  try {
    for (let round = 0; round < KILLS; round++) {
      const run = await runAndKill(store.dir)
      assert.ok(run.acked.size > 0)
      for (const [i, hex] of run.acked) {
        assert.ok(i >= run.readySize, `index ${i} acknowledged again after a restart at ${run.readySize}`)
        assert.equal(acked.get(i), undefined, `index ${i} acknowledged twice`)
        acked.set(i, hex)
      }
      for (const [size, root] of run.checkpoints) checkpoints.set(size, root)

      await store.reopen()
      const log = await AgencyLog.open({ db: store.db, agencyKey: AGENCY_KEY, chainId: CHAIN_ID, checkpointIntervalMs: 60_000 })
      try {
        assert.ok(log.size > Math.max(...acked.keys()), `size ${log.size} after acks up to ${Math.max(...acked.keys())}`)
        for (const i of run.acked.keys()) assert.equal(Buffer.from(await log.entry(i)).toString('hex'), acked.get(i), `entry ${i}`)
        for (const [size, root] of checkpoints) {
          assert.ok(equalHashes(await log.rootAt(size), Buffer.from(root, 'hex')), `root at checkpoint size ${size}`)
        }
        const notes = (await log.checkpoints()).map((n) => openCheckpoint(n, ORIGIN).checkpoint)
        for (let k = 1; k < notes.length; k++) {
          verifyConsistency(notes[k - 1]!.size, notes[k]!.size, await log.consistency(notes[k - 1]!.size, notes[k]!.size), notes[k - 1]!.root, notes[k]!.root)
        }
        const index = await log.append(new Uint8Array([round]))
        assert.equal(index, log.size - 1)
        acked.set(index, Buffer.from([round]).toString('hex'))
      } finally {
        await log.close()
        await store.closeDb()
      }
    }
    // Every acknowledgement of every round, read once more at the end.
    await store.reopen()
    const log = await AgencyLog.open({ db: store.db, agencyKey: AGENCY_KEY, chainId: CHAIN_ID })
    for (const [i, hex] of acked) assert.equal(Buffer.from(await log.entry(i)).toString('hex'), hex)
    await log.close()
  } finally {
    await store.destroy()
  }
})
