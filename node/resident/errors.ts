import { PorchlightError } from '../../protocol/errors.js'

export class InboxItemNotFoundError extends PorchlightError {
  constructor (id: string) {
    super('INBOX_ITEM_NOT_FOUND', 'no such request in the inbox', { details: { field: 'id', value: id } })
    this.name = 'InboxItemNotFoundError'
  }
}

export class InvalidInboxPolicyError extends PorchlightError {
  constructor (field: string, value: unknown, reason: string) {
    super('INVALID_INBOX_POLICY', `inbox policy: ${field} ${reason}`, { details: { field, value, reason } })
    this.name = 'InvalidInboxPolicyError'
  }
}
