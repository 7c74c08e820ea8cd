export { nodeEnvelopeCrypto } from './envelope-crypto.js'
export { nodeTreeHasher } from './tree-hasher.js'
export { nodeCosignatureSigner, type CosignatureSigner } from './cosignature-signer.js'
export { nodeSignerRecovery } from './signer-recovery.js'
