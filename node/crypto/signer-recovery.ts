// secp256k1 public-key recovery on libsecp256k1 (Bitcoin Core's library, through the `secp256k1` package's
// prebuilt N-API binding), for `openCheckpoint`. A witness opens the agency's signed checkpoint on every
// add-checkpoint; noble's recovery (~670/s on these machines) capped it below its goal of 1,000/s, the
// native one does ~17,000/s. Node's own OpenSSL cannot stand in: `crypto.verify` hashes its input itself and
// OpenSSL 3.0 has no Keccak-256 for the EIP-191 digest. Every check around the curve work (length, v,
// low s, the signer) stays in protocol's `openCheckpoint`, so both recoveries refuse the same notes.
import { createRequire } from 'node:module'
import type { SignerRecovery } from '../../protocol/tlog/index.js'

interface Libsecp256k1 {
  ecdsaRecover (signature: Uint8Array, recid: number, message: Uint8Array, compressed: boolean): Uint8Array
}

// `secp256k1/bindings.js` is the native binding alone: it throws when the prebuild does not load, where the
// package's main entry would fall back to `elliptic` in silence.
let native: Libsecp256k1 | undefined

/**
 * The libsecp256k1 recovery. The binding is loaded here, not on import (importing node/crypto for the tree
 * hasher does not need it) and not on first recovery, where `openCheckpoint` would take a failed load for a
 * bad signature: a node without it fails when it builds what uses it.
 */
export function nodeSignerRecovery (): SignerRecovery {
  native ??= createRequire(import.meta.url)('secp256k1/bindings.js') as Libsecp256k1
  const binding = native
  return (signature, recovery, digest) => binding.ecdsaRecover(signature, recovery, digest, false)
}
