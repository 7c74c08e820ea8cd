import { PorchlightError } from '../../protocol/errors.js'

/** config.json (or a deployment file) breaks a rule; `details.field` is a JSON pointer to the culprit. */
export class InvalidConfigError extends PorchlightError {
  constructor (details: { field: string, reason: string, value?: unknown, file?: string }) {
    super('INVALID_CONFIG', `${details.file ?? 'config'}: ${details.field === '' ? '(root)' : details.field} ${details.reason}`, { details })
    this.name = 'InvalidConfigError'
  }
}

/** No node has been initialised in this directory. */
export class NodeNotFoundError extends PorchlightError {
  constructor (dir: string) {
    super('NODE_NOT_FOUND', `no node in ${dir} (run \`porchlight init\` first)`, { details: { dir } })
    this.name = 'NodeNotFoundError'
  }
}

/** `init` found a node already there; it never overwrites keys. */
export class NodeExistsError extends PorchlightError {
  constructor (dir: string) {
    super('NODE_EXISTS', `a node already exists in ${dir}`, { details: { dir } })
    this.name = 'NodeExistsError'
  }
}

/** A key file is missing, unreadable, malformed, or readable by other users. */
export class KeyFileError extends PorchlightError {
  constructor (details: { file: string, reason: string }, cause?: unknown) {
    super('KEY_FILE', `${details.file}: ${details.reason}`, { details, cause })
    this.name = 'KeyFileError'
  }
}
