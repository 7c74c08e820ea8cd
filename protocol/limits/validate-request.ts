// The whole check a relay or resident node runs on a request off the wire, in cost order: size and
// strict decoding, then the limits, then signature recovery (the expensive step, ~1 ms).
import { decodeSignedRequest } from '../messages/codecs.js'
import { messageId } from '../messages/ids.js'
import type { SignedRequest } from '../messages/types.js'
import { verifySigned } from '../signing/sign.js'
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
 * Registry status, jurisdiction and log inclusion need state and are checked by the caller.
 */
export function validateSignedRequest (bytes: Uint8Array, domain: Domain, now: number): ValidatedRequest {
  const signed = decodeSignedRequest(bytes)
  checkRequestLimits(signed.message, now)
  const agency = verifySigned('Request', signed, domain)
  return { signed, id: messageId(bytes), agency }
}
