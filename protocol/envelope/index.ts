export { encryptClip, decryptClip, type ClipDigest, type EncryptedClip, type DecryptedClip, type EnvelopeOptions } from './clip.js'
export { pureEnvelopeCrypto, type EnvelopeCrypto, type ChunkAead, type Sha256Hash } from './crypto.js'
export { generateIdentity, identityToRecipient, parseIdentityFile, formatIdentityFile } from './identity.js'
export {
  CHUNK_SIZE, TAG_SIZE, SEALED_CHUNK_SIZE, PAYLOAD_NONCE_SIZE, X25519_HEADER_SIZE,
  expectedCiphertextSize, expectedPlaintextSize, sealedPayloadSize, PayloadSealer, PayloadOpener
} from './stream.js'
export { MAX_HEADER_SIZE } from './header.js'
export {
  InvalidRecipientError, InvalidIdentityError, EnvelopeHeaderError, EnvelopeNoMatchingIdentityError,
  EnvelopeDecryptError, EnvelopeTruncatedError, EnvelopeAbortedError, EnvelopeSizeError
} from './errors.js'
