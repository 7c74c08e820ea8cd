// Every message codec with an arbitrary for its valid values.
import fc from 'fast-check'
import {
  announcementCodec, consentCodec, deletionRequestCodec, logEntryCodec, receiptCodec, requestCodec, signedConsentCodec,
  signedDeletionRequestCodec, signedReceiptCodec, signedRequestCodec, signedWithdrawalCodec, withdrawalCodec
} from '../../../protocol/messages/index.js'
import type { MessageCodec } from '../../../protocol/messages/index.js'
import * as arb from './arbitraries.js'

export interface Kind { name: string, codec: MessageCodec<unknown>, valid: fc.Arbitrary<unknown> }

const kind = <T>(name: string, codec: MessageCodec<T>, valid: fc.Arbitrary<T>): Kind =>
  ({ name, codec: codec as MessageCodec<unknown>, valid })

export const KINDS: Kind[] = [
  kind('Request', requestCodec, arb.request),
  kind('SignedRequest', signedRequestCodec, arb.signed(arb.request)),
  kind('Withdrawal', withdrawalCodec, arb.withdrawal),
  kind('SignedWithdrawal', signedWithdrawalCodec, arb.signed(arb.withdrawal)),
  kind('Consent', consentCodec, arb.consent),
  kind('SignedConsent', signedConsentCodec, arb.signed(arb.consent)),
  kind('Receipt', receiptCodec, arb.receipt),
  kind('SignedReceipt', signedReceiptCodec, arb.signed(arb.receipt)),
  kind('DeletionRequest', deletionRequestCodec, arb.deletionRequest),
  kind('SignedDeletionRequest', signedDeletionRequestCodec, arb.signed(arb.deletionRequest)),
  kind('LogEntry', logEntryCodec, arb.logEntry),
  kind('Announcement', announcementCodec, arb.announcement)
]
