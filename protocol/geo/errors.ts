import { PorchlightError } from '../errors.js'

/** Not an H3 cell index string, or a cell at a resolution the caller does not accept. */
export class InvalidCellError extends PorchlightError {
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super('INVALID_CELL', `invalid H3 cell: ${reason}`, { details: { reason, ...details } })
    this.name = 'InvalidCellError'
  }
}

/** A latitude, longitude or radius outside its range, or not a finite number. */
export class InvalidCoordinatesError extends PorchlightError {
  constructor (field: string, value: unknown) {
    super('INVALID_COORDINATES', `invalid ${field}`, { details: { field, value } })
    this.name = 'InvalidCoordinatesError'
  }
}
