// A consent is signed by a key made for it alone (docs/design.md §2 step 5), so an agency cannot link one resident's
// consents together; the resident keeps that key to sign a later DeletionRequest for the same footage.
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import {
  addressOfPrivateKey, consentId, signTyped, type ClipRef, type Domain, type SignedConsent
} from '../../protocol/index.js'

/** The terms a resident acknowledges unless the caller names others; stored verbatim in the consent. */
export const DEFAULT_TERMS = 'I share these clips with the requesting agency for this request only, to be kept no longer than its retention promise.'

export interface NewConsent {
  signed: SignedConsent
  id: string
  /** The per-consent secp256k1 key, 0x hex: keep it (it signs deletion requests), never reuse it. */
  consentKey: string
}

export function createConsent (init: { request: string, clips: ClipRef[], domain: Domain, terms?: string, issuedAt?: number }): NewConsent {
  const consentKey = '0x' + bytesToHex(secp256k1.utils.randomSecretKey())
  const signed = signTyped('Consent', {
    request: init.request,
    clips: init.clips,
    terms: init.terms ?? DEFAULT_TERMS,
    consentKey: addressOfPrivateKey(consentKey),
    issuedAt: init.issuedAt ?? Math.floor(Date.now() / 1000)
  }, init.domain, consentKey)
  return { signed, id: consentId(signed), consentKey }
}
