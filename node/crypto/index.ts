export { nodeEnvelopeCrypto } from './envelope-crypto.js'
