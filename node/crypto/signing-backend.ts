// The signing backend a node runs (issue 22): libsecp256k1 (Bitcoin Core's library, through the `secp256k1`
// package's prebuilt N-API binding) for recovery and verification, and the `keccak` package's native
// Keccak-256 (the XKCP code, prebuilt). On these machines recovery is 55 µs against noble's 1.4 ms, and a
// 32-byte Keccak 2.3 µs against 6.8 µs; an EIP-712 request digest takes about thirteen of them. Node's own
// OpenSSL (3.0) has SHA3 but not Keccak-256, whose padding differs. protocol/signing/backend.ts says what an
// implementation must (and must not) do: the checks on a signature's form stay in protocol.
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import type { SigningBackend } from '../../protocol/signing/index.js'

interface Libsecp256k1 {
  ecdsaRecover (signature: Uint8Array, recid: number, message: Uint8Array, compressed: boolean): Uint8Array
}

/** The XKCP sponge the `keccak` package binds: Keccak-256 is rate 1088, capacity 512, suffix 0x01. */
interface KeccakState {
  initialize (rate: number, capacity: number): void
  absorb (data: Uint8Array): void
  absorbLastFewBits (bits: number): void
  squeeze (length: number): Uint8Array
}

let backend: SigningBackend | undefined

/**
 * The native backend. Loaded on first call, not on import, and never falling back in silence: the packages'
 * main entries would quietly use JavaScript (elliptic, a JS Keccak) when a prebuild does not load, where a
 * node should fail when it builds what uses them.
 */
export function nodeSigningBackend (): SigningBackend {
  if (backend !== undefined) return backend
  const require = createRequire(import.meta.url)
  const curve = require('secp256k1/bindings.js') as Libsecp256k1
  // The addon itself, not `keccak/bindings.js`: that wraps every hash in a stream object, which costs more
  // than the hash.
  const Sponge = (require('node-gyp-build') as (dir: string) => new () => KeccakState)(dirname(require.resolve('keccak/package.json')))
  // One sponge, reset per hash: JavaScript runs each call to its end before the next, and a new native object
  // per hash cost a third of the time (and the collector the rest).
  const sponge = new Sponge()
  const keccak256 = (data: Uint8Array): Uint8Array => {
    sponge.initialize(1088, 512)
    sponge.absorb(data)
    sponge.absorbLastFewBits(0x01)
    return new Uint8Array(sponge.squeeze(32))
  }
  backend = {
    keccak256,
    recover: (signature, recovery, digest) => curve.ecdsaRecover(signature, recovery, digest, false),
    // libsecp256k1's verification does not give R, whose y parity is the recovery bit: recover and compare.
    confirm: (signature, recovery, digest, publicKey) => {
      let recovered: Uint8Array
      try { recovered = curve.ecdsaRecover(signature, recovery, digest, false) } catch { return false }
      return recovered.length === publicKey.length && recovered.every((b, i) => b === publicKey[i])
    }
  }
  return backend
}
