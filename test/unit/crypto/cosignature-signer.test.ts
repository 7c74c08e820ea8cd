// node/crypto's OpenSSL cosignature signer against protocol's noble `signCosignature`: Ed25519 is
// deterministic, so both must write byte-identical lines, and each line verifies with `verifyCosignature`.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { nodeCosignatureSigner } from '../../../node/crypto/index.js'
import {
  checkpointOrigin, formatCheckpoint, formatCosignature, signCosignature, verifyCosignature, witnessKeyId
} from '../../../protocol/tlog/index.js'

const origin = checkpointOrigin(31337, '0x' + '11'.repeat(20))

test('the OpenSSL signer writes the lines noble writes, byte for byte', () => {
  for (const seed of [1, 2, 0xfe]) {
    const secretKey = new Uint8Array(32).fill(seed)
    const name = `witness-${seed}.example/w`
    const signer = nodeCosignatureSigner(name, secretKey)
    assert.equal(signer.keyId, witnessKeyId(name, signer.publicKey))
    for (const [size, timestamp] of [[1, 0], [1234, 1_700_000_000], [2 ** 40, Number.MAX_SAFE_INTEGER]] as const) {
      const checkpoint = formatCheckpoint({ origin, size, root: new Uint8Array(32).fill(size & 0xff) })
      const line = signer.sign(checkpoint, timestamp)
      assert.equal(line, signCosignature({ name, secretKey, checkpoint, timestamp }), `${name} ${size} ${timestamp}`)
      assert.deepEqual(verifyCosignature({ name, publicKey: signer.publicKey, checkpoint, cosignature: line }), { name, keyId: signer.keyId, timestamp })
    }
  }
})

test('the OpenSSL signer refuses what signCosignature refuses', () => {
  assert.throws(() => nodeCosignatureSigner('w.example/w', new Uint8Array(31)), { name: 'InvalidWitnessKeyError' })
  assert.throws(() => nodeCosignatureSigner('has space', new Uint8Array(32)), { name: 'InvalidWitnessKeyError' })
  const signer = nodeCosignatureSigner('w.example/w', new Uint8Array(32).fill(1))
  const checkpoint = formatCheckpoint({ origin, size: 1, root: new Uint8Array(32) })
  assert.throws(() => signer.sign(checkpoint, -1), { name: 'InvalidCosignatureError' })
  assert.throws(() => signer.sign('not a checkpoint\n', 1), { name: 'InvalidCheckpointError' })
})

test('formatCosignature refuses a signature that is not 64 bytes or a bad timestamp', () => {
  const init = { name: 'w.example/w', keyId: 1, timestamp: 1, signature: new Uint8Array(64) }
  assert.match(formatCosignature(init), /^\u2014 w\.example\/w \S+\n$/)
  assert.throws(() => formatCosignature({ ...init, signature: new Uint8Array(63) }), { name: 'InvalidCosignatureError' })
  assert.throws(() => formatCosignature({ ...init, timestamp: 1.5 }), { name: 'InvalidCosignatureError' })
  assert.throws(() => formatCosignature({ ...init, name: '' }), { name: 'InvalidWitnessKeyError' })
})
