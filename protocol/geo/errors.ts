import { PorchlightError } from '../errors.js'

/** Not an H3 cell index string, or a cell at a resolution the caller does not accept. */
export class InvalidCellError extends PorchlightError {
  static override readonly code = 'INVALID_CELL'
  static override readonly status = 400
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super(InvalidCellError.code, `invalid H3 cell: ${reason}`, { details: { reason, ...details } })
    this.name = 'InvalidCellError'
  }
}

/** A latitude, longitude or radius outside its range, or not a finite number. */
export class InvalidCoordinatesError extends PorchlightError {
  static override readonly code = 'INVALID_COORDINATES'
  static override readonly status = 400
  constructor (field: string, value: unknown) {
    super(InvalidCoordinatesError.code, `invalid ${field}`, { details: { field, value } })
    this.name = 'InvalidCoordinatesError'
  }
}
