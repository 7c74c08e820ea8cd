import { test } from 'node:test'
import assert from 'node:assert/strict'
import { formatIdentityFile, generateIdentity, identityToRecipient, parseIdentityFile } from '../../../protocol/envelope/index.js'

test('a generated identity is an age X25519 key with an age1 recipient', async () => {
  const identity = await generateIdentity()
  assert.match(identity, /^AGE-SECRET-KEY-1[0-9A-Z]{58}$/)
  assert.match(await identityToRecipient(identity), /^age1[0-9a-z]{58}$/)
  assert.notEqual(await generateIdentity(), identity)
})

test('the spec\'s example identity maps to its example recipient (c2sp.org/age)', async () => {
  assert.equal(await identityToRecipient('AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX'),
    'age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj')
})

test('an identity file: comments, blank lines and CRLF are skipped, identities kept in order', async () => {
  const [a, b] = [await generateIdentity(), await generateIdentity()]
  const text = `# created: 2024-01-01T00:00:00Z\r\n# public key: ${await identityToRecipient(a)}\r\n${a}\r\n\n#another\n${b}\n`
  assert.deepEqual(parseIdentityFile(text), [a, b])
})

test('formatIdentityFile writes what age-keygen writes and parseIdentityFile reads it back', async () => {
  const identity = await generateIdentity()
  const text = await formatIdentityFile(identity, new Date('2025-03-04T05:06:07.890Z'))
  assert.equal(text, `# created: 2025-03-04T05:06:07Z\n# public key: ${await identityToRecipient(identity)}\n${identity}\n`)
  assert.deepEqual(parseIdentityFile(text), [identity])
})

test('a bad identity file names the line and never echoes a key', async () => {
  const good = await generateIdentity()
  const broken = good.slice(0, -1) + (good.endsWith('Q') ? 'P' : 'Q')
  const cases: Array<[string, Record<string, unknown>]> = [
    [`# only comments\n\n`, { reason: 'no identity' }],
    [`${good}\n${broken}\n`, { line: 2 }],
    [`${good} \n`, { line: 1 }],
    [`AGE-PLUGIN-YUBIKEY-1XYZ\n`, { line: 1 }],
    [`-----BEGIN OPENSSH PRIVATE KEY-----\n`, { line: 1 }]
  ]
  for (const [text, details] of cases) {
    assert.throws(() => parseIdentityFile(text), (err: Error & { code: string, details: Record<string, unknown> }) => {
      assert.equal(err.name, 'InvalidIdentityError')
      assert.equal(err.code, 'INVALID_AGE_IDENTITY')
      for (const [k, v] of Object.entries(details)) assert.equal(err.details[k], v)
      assert.ok(!JSON.stringify(err.details).includes('AGE-SECRET') && !err.message.includes('AGE-SECRET'))
      return true
    })
  }
  await assert.rejects(identityToRecipient('age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj'), { name: 'InvalidIdentityError' })
})
