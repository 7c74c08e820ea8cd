// Request identities sealed at rest (node/agency/identity-folder.ts, identity-seal.ts): nothing of an
// identity on disk once sealed, plain files sealed at the first start with a secret, a locked folder that
// reads and writes nothing, a wrong secret refused, a sealed file moved to another request refused, and
// each source of the operator's secret (file, environment, KMS hook) with its failures typed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chmod, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateIdentity } from '../../../protocol/index.js'
import { IdentityFolder } from '../../../node/agency/identity-folder.js'
import { operatorSecret, type OperatorSecret } from '../../../node/agency/identity-seal.js'

// Cheap scrypt for tests: the cost is in seal.json, so opening uses what the seal was made with.
const COST = { N: 2 ** 10, r: 8, p: 1 }
const secret = (text: string, source = 'test'): OperatorSecret => ({ secret: new TextEncoder().encode(text), source })

async function tempDir (t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-seal-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

test('plain files are sealed at the first start with a secret; then no identity is on disk, and each opens', async (t) => {
  const dir = await tempDir(t)
  const [a, b] = [await generateIdentity(), await generateIdentity()]
  const plain = new IdentityFolder(dir)
  assert.deepEqual(await plain.unlock(undefined), { state: 'plain', migrated: 0 })
  await plain.write('req-a', a)
  assert.deepEqual(await readdir(dir), ['req-a.age'])

  const sealed = new IdentityFolder(dir)
  assert.deepEqual(await sealed.unlock(secret('correct horse'), COST), { state: 'sealed', migrated: 1 })
  await sealed.write('req-b', b)
  assert.deepEqual((await readdir(dir)).sort(), ['req-a.sealed', 'req-b.sealed', 'seal.json'])
  for (const name of await readdir(dir)) {
    const text = await readFile(join(dir, name), 'utf8')
    assert.ok(!text.includes('AGE-SECRET-KEY-1'), `${name} holds no identity in the clear`)
  }
  assert.deepEqual(await sealed.read('req-a'), [a])
  assert.deepEqual(await sealed.read('req-b'), [b])

  const again = new IdentityFolder(dir)
  assert.deepEqual(await again.unlock(secret('correct horse'), COST), { state: 'sealed', migrated: 0 })
  assert.deepEqual(await again.read('req-a'), [a], 'the same secret opens them after a restart')
})

test('without the secret a sealed folder is locked: nothing read, nothing written unsealed beside it', async (t) => {
  const dir = await tempDir(t)
  const sealed = new IdentityFolder(dir)
  await sealed.unlock(secret('s'), COST)
  await sealed.write('req-a', await generateIdentity())
  const locked = new IdentityFolder(dir)
  assert.deepEqual(await locked.unlock(undefined), { state: 'locked', migrated: 0 })
  await assert.rejects(locked.read('req-a'), { name: 'KeysLockedError', code: 'KEYS_LOCKED' })
  await assert.rejects(locked.write('req-b', await generateIdentity()), { code: 'KEYS_LOCKED' })
  assert.deepEqual((await readdir(dir)).sort(), ['req-a.sealed', 'seal.json'], 'no file written')
})

test('a wrong secret is refused at unlock and changes nothing; a sealed file moved to another request does not open', async (t) => {
  const dir = await tempDir(t)
  const folder = new IdentityFolder(dir)
  await folder.unlock(secret('right'), COST)
  await folder.write('req-a', await generateIdentity())
  const before = await readFile(join(dir, 'seal.json'), 'utf8')
  await assert.rejects(new IdentityFolder(dir).unlock(secret('wrong', 'PORCHLIGHT_SECRET'), COST), { name: 'WrongSecretError', code: 'WRONG_SECRET' })
  assert.equal(await readFile(join(dir, 'seal.json'), 'utf8'), before)
  await rename(join(dir, 'req-a.sealed'), join(dir, 'req-b.sealed'))
  await assert.rejects(folder.read('req-b'), { name: 'IdentityUnsealError', code: 'IDENTITY_UNSEALABLE' })
  const text = await readFile(join(dir, 'req-b.sealed'), 'utf8')
  const flipped = text.slice(0, -3) + (text.at(-3) === 'A' ? 'B' : 'A') + text.slice(-2)
  await writeFile(join(dir, 'req-b.sealed'), flipped)
  await assert.rejects(folder.read('req-b'), { code: 'IDENTITY_UNSEALABLE' }, 'a changed byte does not open')
})

test('the operator\'s secret: the file first, then PORCHLIGHT_SECRET, then the KMS hook; failures typed', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'secret')
  await writeFile(file, 'from-file\n', { mode: 0o600 })
  const kms = { command: [process.execPath, '-e', 'process.stdout.write("from-kms\\n")'] }
  const text = (s: OperatorSecret | undefined): string | undefined => s === undefined ? undefined : new TextDecoder().decode(s.secret)
  assert.equal(text(await operatorSecret({ secretFile: file, env: { PORCHLIGHT_SECRET: 'from-env' }, kms })), 'from-file', 'one trailing newline dropped')
  assert.equal(text(await operatorSecret({ env: { PORCHLIGHT_SECRET: 'from-env' }, kms })), 'from-env')
  assert.deepEqual(await operatorSecret({ env: {}, kms }).then((s) => [text(s), s?.source]), ['from-kms', 'KMS hook'])
  assert.equal(await operatorSecret({ env: {} }), undefined)
  assert.equal((await operatorSecret({ secretFile: file, env: {} }))?.exposed, undefined)
  await chmod(file, 0o644)
  assert.equal((await operatorSecret({ secretFile: file, env: {} }))?.exposed, true, 'readable by others: flagged')
  await assert.rejects(operatorSecret({ secretFile: join(dir, 'missing'), env: {} }), { name: 'SecretUnavailableError', code: 'SECRET_UNAVAILABLE' })
  await assert.rejects(operatorSecret({ env: { PORCHLIGHT_SECRET: '' } }), { code: 'SECRET_UNAVAILABLE' })
  await assert.rejects(operatorSecret({ env: {}, kms: { command: [process.execPath, '-e', 'process.exit(3)'] } }), { code: 'SECRET_UNAVAILABLE' })
  await assert.rejects(operatorSecret({ env: {}, kms: { command: [process.execPath, '-e', ''] } }), { code: 'SECRET_UNAVAILABLE' }, 'a hook that prints nothing')
})
