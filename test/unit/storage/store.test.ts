import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../../../node/storage/index.js'

async function tempDir (t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-store-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

test('sublevels keep their data apart and survive a reopen', async (t) => {
  const dir = await tempDir(t)
  let store = await openStore(dir)
  const inbox = store.sublevel<string, { title: string }>('inbox', { valueEncoding: 'json' })
  const clips = store.sublevel('clips')
  await inbox.put('r1', { title: 'bike theft' })
  await clips.put('r1', new Uint8Array([1, 2, 3]))
  await store.close()

  store = await openStore(dir)
  t.after(async () => { await store.close() })
  assert.deepEqual(await store.sublevel<string, { title: string }>('inbox', { valueEncoding: 'json' }).get('r1'), { title: 'bike theft' })
  assert.deepEqual(new Uint8Array(await store.sublevel('clips').get('r1') ?? []), new Uint8Array([1, 2, 3]))
  assert.equal(store.location, join(dir, 'db'))
})

test('a sublevel name is claimed once and must be a plain lowercase word', async (t) => {
  const store = await openStore(await tempDir(t))
  t.after(async () => { await store.close() })
  store.sublevel('log')
  assert.throws(() => store.sublevel('log'), { name: 'SublevelInUseError' })
  assert.throws(() => store.sublevel('Log!x'), { name: 'InvalidSublevelNameError' })
  assert.throws(() => store.sublevel(''), { name: 'InvalidSublevelNameError' })
})

test('a second process on the same directory gets StoreLockedError', async (t) => {
  const dir = await tempDir(t)
  const store = await openStore(dir)
  t.after(async () => { await store.close() })
  await assert.rejects(openStore(dir), { name: 'StoreLockedError', code: 'STORE_LOCKED' })
})
