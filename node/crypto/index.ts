export { nodeEnvelopeCrypto } from './envelope-crypto.js'
export { nodeTreeHasher } from './tree-hasher.js'
