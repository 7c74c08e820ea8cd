// The agency's user book (node/agency/users.ts) on a real level store: only credentials' hashes kept, users
// read back after a reopen, a disabled user refused before and after it, ids never given twice.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UserBook } from '../../../node/agency/users.js'
import { openStore } from '../../../node/storage/index.js'

async function files (dir: string): Promise<string> {
  let text = ''
  for (const name of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (name.isFile()) text += (await readFile(join(name.parentPath, name.name))).toString('latin1')
  }
  return text
}

test('a user book keeps hashes only, reads users back after a reopen, and a disabled user stays refused', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-users-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  let ms = Date.parse('2026-12-01T10:00:00Z')
  const open = async (): Promise<{ book: UserBook, close: () => Promise<void> }> => {
    const store = await openStore(dir)
    const book = new UserBook({ db: store.sublevel<string, string>('users', { valueEncoding: 'utf8' }), maxUsers: 3, clock: () => (ms += 1000) })
    await book.load()
    return { book, close: async () => { await store.close() } }
  }
  const first = await open()
  const sgt = await first.book.add('sgt-2210', 'supervisor')
  const ofc = await first.book.add('ofc-7f3a', 'investigator')
  assert.match(sgt.token, /^[A-Za-z0-9_-]{43}$/)
  assert.deepEqual(first.book.userFor(sgt.token), { id: 'sgt-2210', role: 'supervisor' })
  assert.equal(first.book.userFor(sgt.token.slice(1)), undefined)
  const disabled = once(first.book)
  await first.book.disable('ofc-7f3a')
  assert.equal((await disabled).id, 'ofc-7f3a')
  assert.equal(first.book.userFor(ofc.token), undefined, 'refused at once')
  await assert.rejects(first.book.disable('ofc-7f3a'), { code: 'USER_DISABLED' })
  await assert.rejects(first.book.disable('nobody'), { code: 'UNKNOWN_USER' })
  await assert.rejects(first.book.add('Ofc-7F3A', 'admin'), { code: 'USER_EXISTS' })
  await assert.rejects(first.book.add('Operator', 'admin'), { code: 'RESERVED_USER_ID' })
  await first.book.add('adm-1', 'admin')
  await assert.rejects(first.book.add('adm-2', 'admin'), { code: 'TOO_MANY_USERS' }, 'disabled users count: their ids stay taken')
  await first.close()

  const text = await files(dir)
  assert.ok(!text.includes(sgt.token) && !text.includes(ofc.token), 'no credential on disk')

  const second = await open()
  t.after(second.close)
  assert.deepEqual(second.book.userFor(sgt.token), { id: 'sgt-2210', role: 'supervisor' })
  assert.equal(second.book.userFor(ofc.token), undefined, 'still disabled after a reopen')
  assert.deepEqual(second.book.list().map((u) => [u.id, u.role, u.disabledAt !== undefined]), [['sgt-2210', 'supervisor', false], ['ofc-7f3a', 'investigator', true], ['adm-1', 'admin', false]])
})

async function once (book: UserBook): Promise<{ id: string }> {
  return await new Promise((resolve) => { book.once('user:disabled', resolve) })
}
