// A share's history read from an agency's log as node/log serves it (readLogResource: the same bytes as
// /porchlight/audit/1.0.0), checked by the node (share-history.ts) and again as the browser checks it
// (ui/src/verify/share-history.ts): only the share's clips, across entry bundles, every proof under the signed
// root; a checkpoint of another agency, or a hash the agency changed, is refused.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { encodeLogEntry, type LogEntry } from '../../../protocol/index.js'
import { AgencyLog, readLogResource } from '../../../node/log/index.js'
import { MAX_HISTORY_ENTRIES, deletedAt, readShareHistory } from '../../../node/shares/share-history.js'
import { checkShareHistory } from '../../../ui/src/verify/share-history.js'
import { AGENCY, AGENCY_KEY, CHAIN_ID, tempStore } from '../../helpers/log-store.js'
import { CLIP_CIDS } from '../../helpers/messages.js'

const [A, B, OTHER] = CLIP_CIDS as [string, string, string]

async function servedLog (t: { after: (fn: () => Promise<void>) => void }, entries: LogEntry[]): Promise<AgencyLog> {
  const store = await tempStore()
  const log = await AgencyLog.open({ db: store.db, agencyKey: AGENCY_KEY, chainId: CHAIN_ID, checkpointIntervalMs: 60_000 })
  t.after(async () => { await log.close(); await store.destroy() })
  for (const e of entries) await log.append(encodeLogEntry(e))
  await log.checkpointCovering(entries.length - 1)
  return log
}

const access = (clip: string, at: number): LogEntry => ({ kind: 'access', clip, actor: 'badge-1', purpose: 'review', at })
const removal = (clip: string, at: number): LogEntry => ({ kind: 'delete', clip, reason: 'retention', actor: 'retention', at })

test('the entries about the share\'s clips after its delivery, across bundles, each proved under the signed checkpoint', async (t) => {
  // Index 0 stands for the delivery; then 300 accesses to another clip (past the first 256-entry bundle).
  const entries: LogEntry[] = [access(OTHER, 1), ...Array.from({ length: 300 }, (_, i) => access(OTHER, 10 + i)), access(A, 500), removal(A, 600), access(OTHER, 601), removal(B, 700)]
  const log = await servedLog(t, entries)
  const read = async (path: string): Promise<Uint8Array> => (await readLogResource(log, path)).bytes
  const got = await readShareHistory(read, { share: 's', agency: AGENCY, chainId: CHAIN_ID, logIndex: 0, clips: [A, B] })
  assert.deepEqual(got.entries.map((e) => [e.index, e.entry.kind, e.entry.clip]), [[301, 'access', A], [302, 'delete', A], [304, 'delete', B]])
  assert.equal(got.history.from, 1)
  assert.equal(got.history.to, entries.length)
  assert.equal(got.history.complete, true)
  assert.equal(deletedAt(got.entries, [A, B]), 700, 'the last clip\'s deletion')
  assert.equal(deletedAt(got.entries.filter((e) => e.index !== 304), [A, B]), undefined, 'not while one clip is kept')

  const browser = checkShareHistory(got.history, AGENCY)
  assert.equal(browser.ok, true)
  assert.deepEqual(browser.rows.map((r) => r.entry?.kind), ['access', 'delete', 'delete'])
  // A proof hash changed on the way to the browser: that entry fails there, the others stand.
  const forged = { ...got.history, entries: got.history.entries.map((e, i) => i === 0 ? { ...e, proof: [e.proof[0]!.replace(/.$/, (c) => c === '0' ? '1' : '0'), ...e.proof.slice(1)] } : e) }
  assert.deepEqual(checkShareHistory(forged, AGENCY).rows.map((r) => r.ok), [false, true, true])
  assert.equal(checkShareHistory(got.history, '0x' + '11'.repeat(20)).ok, false, 'the log of another agency')
})

test('another agency\'s checkpoint, or a hash tile the agency changed, is refused by the node', async (t) => {
  const entries: LogEntry[] = [access(OTHER, 1), access(A, 2), access(OTHER, 3)]
  const log = await servedLog(t, entries)
  const read = async (path: string): Promise<Uint8Array> => (await readLogResource(log, path)).bytes
  await assert.rejects(readShareHistory(read, { share: 's', agency: '0x' + '11'.repeat(20), chainId: CHAIN_ID, logIndex: 0, clips: [A] }), { name: 'WrongSignerError' })
  const tampered = async (path: string): Promise<Uint8Array> => {
    const bytes = Uint8Array.from(await read(path))
    if (path.startsWith('tile/0/')) bytes[0]! ^= 1
    return bytes
  }
  await assert.rejects(readShareHistory(tampered, { share: 's', agency: AGENCY, chainId: CHAIN_ID, logIndex: 0, clips: [A] }), { name: 'InvalidProofError' })
})

test('nothing logged after the delivery: no entries, and the read covers nothing', async (t) => {
  const log = await servedLog(t, [access(A, 1), access(OTHER, 2)])
  const read = async (path: string): Promise<Uint8Array> => (await readLogResource(log, path)).bytes
  const got = await readShareHistory(read, { share: 's', agency: AGENCY, chainId: CHAIN_ID, logIndex: 1, clips: [A] })
  assert.deepEqual(got.history.entries, [], 'the access before the delivery index is not read')
  assert.deepEqual([got.history.from, got.history.to, got.history.complete], [2, 2, true])
  assert.equal(MAX_HISTORY_ENTRIES, 16 * 256)
})
