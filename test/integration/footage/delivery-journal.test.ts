// The window between a delivery's log entry and its record, closed: on a real level database and a real
// AgencyLog, a "crash" (the database closed and opened again) after the append but before the record, or
// before the append, is settled when the journal recovers — recorded with the entry's index, or discarded
// with its files — so a retry neither logs a second delivery nor finds a half-made one.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { access, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { clipCid, encodeLogEntry, expectedCiphertextSize } from '../../../protocol/index.js'
import { AgencyLog } from '../../../node/log/index.js'
import { DeliveryJournal, FootageVault, type DeliveryMark, type DeliveryRecord, type PendingDelivery } from '../../../node/deliveries/index.js'
import type { Sublevel } from '../../../node/storage/index.js'
import { AGENCY_KEY, CHAIN_ID, entryFor, tempStore, type TempStore } from '../../helpers/log-store.js'
import { randomClip } from '../../support/byte-streams.js'

async function open (store: TempStore): Promise<{ journal: DeliveryJournal, log: AgencyLog, vault: FootageVault }> {
  const log = await AgencyLog.open({ db: store.db, agencyKey: AGENCY_KEY, chainId: CHAIN_ID })
  const records = store.root.sublevel<string, DeliveryRecord>('deliveries', { valueEncoding: 'json' }) as unknown as Sublevel<string, DeliveryRecord>
  const marks = store.root.sublevel<string, DeliveryMark>('delivery-marks', { valueEncoding: 'json' }) as unknown as Sublevel<string, DeliveryMark>
  return { journal: new DeliveryJournal(records, marks, () => log), log, vault: await FootageVault.open(join(store.dir, 'footage')) }
}

/** A delivery as the receiver would have it just before the append, with its committed file. */
async function pendingDelivery (vault: FootageVault, n: number): Promise<{ pending: PendingDelivery, entry: Uint8Array }> {
  const bytes = randomClip(100)
  const cid = clipCid(bytes).toString()
  const consent = `bafyconsent${n}`
  const pending: PendingDelivery = { consent, request: 'bafyrequest', consentKey: '0x' + '11'.repeat(20), clips: [{ cid, size: 100, ciphertextSize: expectedCiphertextSize(100) }], at: 1_800_000_000 + n, deleted: {} }
  await mkdir(join(vault.root, consent), { recursive: true })
  await writeFile(vault.path(consent, cid), 'ciphertext')
  // Entry bytes: any unique bytes stand for the delivery entry here; the journal compares them exactly.
  return { pending, entry: encodeLogEntry({ kind: 'access', clip: cid, actor: 'test', purpose: consent, at: pending.at }) }
}

test('appended but not recorded when the node stopped: recovery records it with the entry\'s index', async (t) => {
  const store = await tempStore()
  t.after(async () => { await store.destroy() })
  let { journal, log, vault } = await open(store)
  await log.append(entryFor(0))
  const { pending, entry } = await pendingDelivery(vault, 1)
  await journal.intend(pending, entry)
  await log.append(entryFor(1))
  const index = await log.append(entry)
  await log.close()
  await store.closeDb(); await store.reopen();
  ({ journal, log, vault } = await open(store))
  assert.equal(await journal.get(pending.consent), undefined)
  assert.deepEqual(await journal.recover(vault), { recorded: [pending.consent], discarded: [] })
  assert.deepEqual(await journal.get(pending.consent), { ...pending, logIndex: index })
  await access(vault.path(pending.consent, pending.clips[0]!.cid))
  assert.deepEqual(await journal.recover(vault), { recorded: [], discarded: [] }, 'settled once')
  await log.close()
})

test('marked but never appended: recovery discards it and its committed files; a retry starts clean', async (t) => {
  const store = await tempStore()
  t.after(async () => { await store.destroy() })
  let { journal, log, vault } = await open(store)
  const { pending, entry } = await pendingDelivery(vault, 2)
  await journal.intend(pending, entry)
  await log.append(entryFor(0))
  await log.close()
  await store.closeDb(); await store.reopen();
  ({ journal, log, vault } = await open(store))
  assert.deepEqual(await journal.recover(vault), { recorded: [], discarded: [pending.consent] })
  assert.equal(await journal.get(pending.consent), undefined)
  await assert.rejects(access(vault.path(pending.consent, pending.clips[0]!.cid)), { code: 'ENOENT' })
  assert.equal(log.size, 1)
  await log.close()
})

test('a delivery recorded normally leaves no mark behind', async (t) => {
  const store = await tempStore()
  t.after(async () => { await store.destroy() })
  const { journal, log, vault } = await open(store)
  const { pending, entry } = await pendingDelivery(vault, 3)
  await journal.intend(pending, entry)
  const logIndex = await log.append(entry)
  await journal.put({ ...pending, logIndex })
  assert.deepEqual(await journal.recover(vault), { recorded: [], discarded: [] })
  assert.equal((await journal.all()).length, 1)
  await log.close()
})
