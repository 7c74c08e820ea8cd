// secp256k1 public-key recovery on libsecp256k1, for `openCheckpoint`. A witness opens the agency's signed
// checkpoint on every add-checkpoint; noble's recovery (~670/s on these machines) capped it below its goal of
// 1,000/s, the native one does ~17,000/s. The binding is the node's signing backend's (signing-backend.ts).
import type { SignerRecovery } from '../../protocol/tlog/index.js'
import { nodeSigningBackend } from './signing-backend.js'

/** The libsecp256k1 recovery; loading fails here, when a node builds what uses it, not on a first checkpoint. */
export function nodeSignerRecovery (): SignerRecovery {
  return nodeSigningBackend().recover
}
