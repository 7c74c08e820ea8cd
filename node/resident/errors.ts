import { PorchlightError } from '../../protocol/errors.js'

export class InboxItemNotFoundError extends PorchlightError {
  static override readonly code = 'INBOX_ITEM_NOT_FOUND'
  static override readonly status = 404
  constructor (id: string) {
    super(InboxItemNotFoundError.code, 'no such request in the inbox', { details: { field: 'id', value: id } })
    this.name = 'InboxItemNotFoundError'
  }
}

export class InvalidInboxPolicyError extends PorchlightError {
  static override readonly code = 'INVALID_INBOX_POLICY'
  static override readonly status = 400
  constructor (field: string, value: unknown, reason: string) {
    super(InvalidInboxPolicyError.code, `inbox policy: ${field} ${reason}`, { details: { field, value, reason } })
    this.name = 'InvalidInboxPolicyError'
  }
}
