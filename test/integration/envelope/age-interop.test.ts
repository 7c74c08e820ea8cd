// Interop with the reference `age` command-line tool (Debian package `age`; .ci/run installs it): what we
// encrypt, `age -d -i` decrypts; what `age -r` encrypts, we decrypt; the CIDs of the plaintexts agree.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createReadStream, createWriteStream } from 'node:fs'
import { Readable, Writable } from 'node:stream'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import {
  CHUNK_SIZE, decryptClip, encryptClip, expectedCiphertextSize, formatIdentityFile, generateIdentity,
  identityToRecipient, parseIdentityFile, pureEnvelopeCrypto, type EnvelopeCrypto
} from '../../../protocol/envelope/index.js'
import { nodeEnvelopeCrypto } from '../../../node/crypto/index.js'
import { randomClip } from '../../support/byte-streams.js'

const run = promisify(execFile)
const sizes = [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 5 * 2 ** 20 + 3]
const backends: Array<[string, EnvelopeCrypto]> = [['pure', pureEnvelopeCrypto], ['node', nodeEnvelopeCrypto]]
let dir: string
let identityFile: string
let identity: string
let recipient: string

async function clipCid (bytes: Uint8Array): Promise<string> {
  return CID.createV1(raw.code, await sha256.digest(bytes)).toString()
}

function fileStream (path: string): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porchlight-age-'))
  identity = await generateIdentity()
  recipient = await identityToRecipient(identity)
  identityFile = join(dir, 'request.key')
  await writeFile(identityFile, await formatIdentityFile(identity), { mode: 0o600 })
})

after(async () => { await rm(dir, { recursive: true, force: true }) })

test('age -d -i decrypts the clips we encrypt, to the same CID', async () => {
  for (const size of sizes) {
    const plaintext = randomClip(size)
    for (const [name, crypto] of backends) {
      const clipPath = join(dir, `ours-${name}-${size}.age`)
      const { ciphertext, done } = await encryptClip(Readable.toWeb(Readable.from([plaintext])) as ReadableStream<Uint8Array>, recipient, { crypto })
      await ciphertext.pipeTo(Writable.toWeb(createWriteStream(clipPath)))
      const sent = await done
      assert.equal((await readFile(clipPath)).length, expectedCiphertextSize(size))
      // Through stdout: `age -o` creates no file for an empty plaintext.
      const { stdout } = await run('age', ['-d', '-i', identityFile, clipPath], { encoding: 'buffer', maxBuffer: 64 * 2 ** 20 })
      const decrypted = new Uint8Array(stdout)
      assert.equal(decrypted.length, size, `${name} ${size}`)
      assert.equal(await clipCid(decrypted), sent.cid.toString(), `${name} ${size}`)
    }
  }
})

test('we decrypt what age -r encrypts, with the identity file age reads', async () => {
  const identities = parseIdentityFile(await readFile(identityFile, 'utf8'))
  for (const size of sizes) {
    const plaintext = randomClip(size)
    const inPath = join(dir, `theirs-${size}.bin`)
    const clipPath = join(dir, `theirs-${size}.age`)
    await writeFile(inPath, plaintext)
    await run('age', ['-r', recipient, '-o', clipPath, inPath])
    for (const [name, crypto] of backends) {
      const got = await decryptClip(fileStream(clipPath), identities, { crypto })
      const chunks: Uint8Array[] = []
      for await (const chunk of got.plaintext as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk)
      const decrypted = new Uint8Array(Buffer.concat(chunks))
      assert.equal(decrypted.length, size, `${name} ${size}`)
      assert.equal((await got.done).cid.toString(), await clipCid(plaintext), `${name} ${size}`)
      assert.equal(await clipCid(decrypted), await clipCid(plaintext))
    }
  }
})

test('age refuses a clip of ours with one payload byte flipped', async () => {
  const { ciphertext } = await encryptClip(Readable.toWeb(Readable.from([randomClip(1000)])) as ReadableStream<Uint8Array>, recipient, { crypto: nodeEnvelopeCrypto })
  const bytes = new Uint8Array(await new Response(ciphertext).arrayBuffer())
  bytes[bytes.length - 20]! ^= 1
  const clipPath = join(dir, 'flipped.age')
  await writeFile(clipPath, bytes)
  await assert.rejects(run('age', ['-d', '-i', identityFile, clipPath], { encoding: 'buffer' }), { code: 1 })
})
