// The witness's state is on disk before its cosignature leaves, with real processes and SIGKILL: a child
// killed between storing and answering comes back with the stored checkpoint (and says so with a 409), and
// a child killed at random points never comes back behind a checkpoint it answered for.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { once } from 'node:events'
import { randomInt } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { bytesToHex } from '@noble/hashes/utils.js'
import { openStore } from '../../../node/storage/index.js'
import { Witness, answerAddCheckpoint, type WitnessDatabase, type WitnessRecord } from '../../../node/witness/index.js'
import { TestLog } from '../../helpers/witness-log.js'

const CHILD = fileURLToPath(new URL('../../fixtures/witness-child.ts', import.meta.url))
const CHAIN_ID = 31337
const SECRET = bytesToHex(new Uint8Array(32).fill(3))

interface Child {
  process: ChildProcessByStdio<Writable, Readable, null>
  lines: AsyncIterator<string>
  exited: Promise<[number | null, NodeJS.Signals | null]>
  send (body: string): void
  next (): Promise<string | undefined>
}

function startChild (dir: string, mode: 'normal' | 'die-on-store'): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, SECRET, String(CHAIN_ID), mode], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  return {
    process: child,
    lines,
    exited: once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>,
    send (body) { child.stdin.write(`${JSON.stringify(body)}\n`) },
    async next () { const r = await lines.next(); return r.done === true ? undefined : r.value }
  }
}

/** The witness's stored state, read in this process once the child is gone. */
async function storedSize (dir: string, origin: string): Promise<{ size: number | undefined, witness: Witness, close: () => Promise<void> }> {
  const store = await openStore(dir)
  const db = store.sublevel<string, WitnessRecord>('witness', { valueEncoding: 'json' }) as unknown as WitnessDatabase
  const witness = await Witness.open({ name: 'crash.test/w', secretKey: Buffer.from(SECRET, 'hex'), chainId: CHAIN_ID, db })
  return { size: (await db.get(origin))?.size, witness, close: async () => { await store.close() } }
}

test('killed between storing and answering: the checkpoint is stored, and a retry is told its size', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-witness-crash-'))
  let child: Child | undefined
  try {
    const log = new TestLog(CHAIN_ID).grow(5)
    child = startChild(dir, 'die-on-store')
    assert.equal(await child.next(), 'ready 0')
    child.send(log.body(0))
    // It dies without a word: no answer line, killed by its own SIGKILL.
    assert.equal(await child.next(), undefined)
    assert.deepEqual(await child.exited, [null, 'SIGKILL'])
    const state = await storedSize(dir, log.origin)
    try {
      assert.equal(state.size, 5)
      assert.equal(state.witness.origins, 1)
      // The caller never got its cosignature; trying again from 0 it learns the witness is at 5, and goes on from there.
      assert.deepEqual(await answerAddCheckpoint(state.witness, log.body(0)), { status: 409, contentType: 'text/x.tlog.size', body: '5\n' })
      log.grow(3)
      assert.equal((await answerAddCheckpoint(state.witness, log.body(5))).status, 200)
    } finally {
      await state.close()
    }
  } finally {
    if (child !== undefined && child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL')
    await rm(dir, { recursive: true, force: true })
  }
})

test('killed at random points: the stored size is never below one it answered for', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-witness-crash-'))
  let child: Child | undefined
  try {
    const log = new TestLog(CHAIN_ID)
    // The largest size the witness answered for (a cosignature, or a 409 naming it): it must never go below.
    let answered = 0
    // The size the caller believes the witness is at.
    let known = 0
    for (let round = 0; round < 8; round++) {
      child = startChild(dir, 'normal')
      assert.match((await child.next())!, /^ready [01]$/)
      for (let k = randomInt(1, 5); k > 0; k--) {
        log.grow(randomInt(1, 4))
        child.send(log.body(known))
        const [, status, body] = /^answer (\d+) (.*)$/.exec((await child.next())!) as unknown as [string, string, string]
        // The checkpoint in flight at the last kill was stored: the witness says so, and the caller goes on from it.
        if (status === '409') { answered = known = Number((JSON.parse(body) as string).trim()); continue }
        assert.equal(status, '200', body)
        answered = known = log.tree.size
      }
      // One more in flight as it dies: stored or not, but never a step back.
      log.grow(1)
      child.send(log.body(known))
      child.process.kill('SIGKILL')
      assert.deepEqual(await child.exited, [null, 'SIGKILL'])
      const state = await storedSize(dir, log.origin)
      await state.close()
      assert.ok(state.size !== undefined && state.size >= answered, `round ${round}: stored ${String(state.size)} after answering ${answered}`)
      assert.ok(state.size === answered || state.size === log.tree.size, `round ${round}: stored ${state.size}, neither answered nor in flight`)
    }
  } finally {
    if (child !== undefined && child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL')
    await rm(dir, { recursive: true, force: true })
  }
})
