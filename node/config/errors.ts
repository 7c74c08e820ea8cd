import { PorchlightError } from '../../protocol/errors.js'

/** config.json (or a deployment file) breaks a rule; `details.field` is a JSON pointer to the culprit. */
export class InvalidConfigError extends PorchlightError {
  static override readonly code = 'INVALID_CONFIG'
  static override readonly status = 500
  constructor (details: { field: string, reason: string, value?: unknown, file?: string }) {
    super(InvalidConfigError.code, `${details.file ?? 'config'}: ${details.field === '' ? '(root)' : details.field} ${details.reason}`, { details })
    this.name = 'InvalidConfigError'
  }
}

/** No node has been initialised in this directory. */
export class NodeNotFoundError extends PorchlightError {
  static override readonly code = 'NODE_NOT_FOUND'
  static override readonly status = 500
  constructor (dir: string) {
    super(NodeNotFoundError.code, `no node in ${dir} (run \`porchlight init\` first)`, { details: { dir } })
    this.name = 'NodeNotFoundError'
  }
}

/** `init` found a node already there; it never overwrites keys. */
export class NodeExistsError extends PorchlightError {
  static override readonly code = 'NODE_EXISTS'
  static override readonly status = 500
  constructor (dir: string) {
    super(NodeExistsError.code, `a node already exists in ${dir}`, { details: { dir } })
    this.name = 'NodeExistsError'
  }
}

/** A key file is missing, unreadable, malformed, or readable by other users. */
export class KeyFileError extends PorchlightError {
  static override readonly code = 'KEY_FILE'
  static override readonly status = 500
  constructor (details: { file: string, reason: string }, cause?: unknown) {
    super(KeyFileError.code, `${details.file}: ${details.reason}`, { details, cause })
    this.name = 'KeyFileError'
  }
}
