// Envelope throughput: age-format encryption and decryption of a clip with its CID, in MiB/s, with the pure
// (browser) crypto and with Node's native crypto injected, beside Node's own chacha20-poly1305 over the same
// bytes in 64 KiB updates (the ceiling) and age-encryption's own streaming (what we started from).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { Decrypter, Encrypter } from 'age-encryption'
import {
  CHUNK_SIZE, decryptClip, encryptClip, generateIdentity, identityToRecipient, pureEnvelopeCrypto, type EnvelopeCrypto
} from '../protocol/envelope/index.js'
import { nodeEnvelopeCrypto } from '../node/crypto/index.js'
import { median, type BenchContext } from './lib.js'

const MiB = 2 ** 20
/** Issue 6: delivery end to end ≥ 0.5× an HTTPS upload (~700 MiB/s here), so encryption must beat half. */
const GOAL_MIBS = 350

const pattern = new Uint8Array(randomBytes(MiB))

/** `mib` MiB of plaintext in 64 KiB pieces, served without allocating. */
function plaintext (mib: number): ReadableStream<Uint8Array> {
  const pieces = MiB / CHUNK_SIZE
  let i = 0
  return new ReadableStream<Uint8Array>({
    pull (controller) {
      if (i === mib * pieces) { controller.close(); return }
      const at = (i++ % pieces) * CHUNK_SIZE
      controller.enqueue(pattern.subarray(at, at + CHUNK_SIZE))
    }
  }, { highWaterMark: 0 })
}

function replay (chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0
  return new ReadableStream<Uint8Array>({
    pull (controller) {
      if (i === chunks.length) controller.close()
      else controller.enqueue(chunks[i++]!)
    }
  }, { highWaterMark: 0 })
}

async function drain (stream: ReadableStream<Uint8Array>, keep?: Uint8Array[]): Promise<number> {
  const reader = stream.getReader()
  let n = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return n
    n += value.length
    keep?.push(value)
  }
}

async function mibPerSecond (mib: number, fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await fn()
  return mib / ((performance.now() - start) / 1000)
}

export default async function (ctx: BenchContext): Promise<void> {
  const rounds = ctx.quick ? 3 : 5
  const fast = ctx.quick ? 32 : 256 // MiB per round on native crypto
  const slow = ctx.quick ? 8 : 64 // MiB per round on pure JavaScript
  const identity = await generateIdentity()
  const recipient = await identityToRecipient(identity)

  const sealed = async (mib: number): Promise<Uint8Array[]> => {
    const chunks: Uint8Array[] = []
    const { ciphertext } = await encryptClip(plaintext(mib), recipient, { crypto: nodeEnvelopeCrypto })
    await drain(ciphertext, chunks)
    return chunks
  }
  const sealedFast = await sealed(fast)
  const sealedSlow = await sealed(slow)
  const key = randomBytes(32)
  const nonce = randomBytes(12)

  const ours = (crypto: EnvelopeCrypto, mib: number) => async () => {
    const { ciphertext, done } = await encryptClip(plaintext(mib), recipient, { crypto })
    await drain(ciphertext)
    await done
  }
  const oursOpen = (crypto: EnvelopeCrypto, chunks: Uint8Array[]) => async () => {
    const { plaintext: out, done } = await decryptClip(replay(chunks), identity, { crypto })
    await drain(out)
    await done
  }
  const variants: Record<string, [number, () => Promise<unknown>]> = {
    ceilingSeal: [fast, async () => {
      const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
      for (let i = 0; i < fast * MiB / CHUNK_SIZE; i++) cipher.update(pattern.subarray((i % 16) * CHUNK_SIZE, (i % 16 + 1) * CHUNK_SIZE))
      cipher.final()
    }],
    ceilingOpen: [fast, async () => {
      const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
      for (let i = 0; i < fast * MiB / CHUNK_SIZE; i++) decipher.update(pattern.subarray((i % 16) * CHUNK_SIZE, (i % 16 + 1) * CHUNK_SIZE))
    }],
    nodeSeal: [fast, ours(nodeEnvelopeCrypto, fast)],
    nodeOpen: [fast, oursOpen(nodeEnvelopeCrypto, sealedFast)],
    pureSeal: [slow, ours(pureEnvelopeCrypto, slow)],
    pureOpen: [slow, oursOpen(pureEnvelopeCrypto, sealedSlow)],
    libSeal: [slow, async () => {
      const encrypter = new Encrypter()
      encrypter.addRecipient(recipient)
      await drain(await encrypter.encrypt(plaintext(slow)))
    }],
    libOpen: [slow, async () => {
      const decrypter = new Decrypter()
      decrypter.addIdentity(identity)
      await drain(await decrypter.decrypt(replay(sealedSlow)))
    }]
  }
  const rates: Record<string, number[]> = {}
  for (let r = 0; r < rounds; r++) {
    for (const [name, [mib, fn]] of Object.entries(variants)) (rates[name] ??= []).push(await mibPerSecond(mib, fn))
  }
  const m = (name: string): number => median(rates[name]!)
  const section = 'envelope'
  const unit = 'MiB/s'
  const ceilingSeal = { label: 'Node chacha20-poly1305, 64 KiB updates (ceiling)', value: m('ceilingSeal') }
  const ceilingOpen = { label: 'Node chacha20-poly1305 decipher, 64 KiB updates (ceiling)', value: m('ceilingOpen') }
  const goal = `≥ ${GOAL_MIBS} ${unit} (issue 6: e2e ≥ 0.5× HTTPS)`
  ctx.row({ section, figure: 'encrypt + CID, Node crypto', value: m('nodeSeal'), unit, baseline: ceilingSeal, better: 'higher', goal, met: m('nodeSeal') >= GOAL_MIBS })
  ctx.row({ section, figure: 'encrypt + CID, Node crypto', value: m('nodeSeal'), unit, baseline: { label: 'age-encryption stream encrypt (no CID)', value: m('libSeal') }, better: 'higher' })
  ctx.row({ section, figure: 'encrypt + CID, pure (browser)', value: m('pureSeal'), unit, baseline: ceilingSeal, better: 'higher' })
  ctx.row({ section, figure: 'decrypt + CID, Node crypto', value: m('nodeOpen'), unit, baseline: ceilingOpen, better: 'higher', goal, met: m('nodeOpen') >= GOAL_MIBS })
  ctx.row({ section, figure: 'decrypt + CID, Node crypto', value: m('nodeOpen'), unit, baseline: { label: 'age-encryption stream decrypt (no CID)', value: m('libOpen') }, better: 'higher' })
  ctx.row({ section, figure: 'decrypt + CID, pure (browser)', value: m('pureOpen'), unit, baseline: ceilingOpen, better: 'higher' })
}
