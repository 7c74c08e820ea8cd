// The whole check a relay or resident node runs on a request off the wire, in cost order: size and
// strict decoding, then the limits, then signature recovery (the expensive step, ~1 ms).
import { decodeSignedRequest } from '../messages/codecs.js'
import { messageId } from '../messages/ids.js'
import type { SignedRequest } from '../messages/types.js'
import { verifySigned } from '../signing/sign.js'
import type { SignatureVerifier } from '../signing/verifier.js'
import type { Domain } from '../signing/types.js'
import { checkRequestLimits } from './check-request.js'

export interface ValidatedRequest {
  signed: SignedRequest
  /** The request id: the CID of the bytes as received. */
  id: string
  /** The recovered signer (equal to `signed.message.agency`). */
  agency: string
}

/**
 * Decodes a signed request and checks it against the limits at `now` and its signature in `domain`.
 * Registry status, jurisdiction and log inclusion need state and are checked by the caller. `signatures`
 * checks the signature (a node's native one, keeping agencies' keys); @default noble's, keeping none.
 */
export function validateSignedRequest (bytes: Uint8Array, domain: Domain, now: number, signatures?: SignatureVerifier): ValidatedRequest {
  const signed = decodeSignedRequest(bytes)
  checkRequestLimits(signed.message, now)
  const agency = signatures === undefined ? verifySigned('Request', signed, domain) : signatures.verify('Request', signed, domain)
  return { signed, id: messageId(bytes), agency }
}
