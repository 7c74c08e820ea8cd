// Small strict validators for decoded dag-cbor values. Each check takes the value and the path of the
// field it sits at, returns the value typed, or throws a PorchlightError naming that field. Records
// reject unknown and missing fields; nothing is coerced.
import { TextTooLongError } from '../limits/errors.js'
import { textLength } from '../limits/table.js'
import { MalformedMessageError } from './errors.js'

export type Check<T> = (value: unknown, field: string) => T

export function fail (field: string, reason: string, value?: unknown): never {
  throw new MalformedMessageError(field, reason, { value })
}

const OPTIONAL = Symbol('optional')
type OptionalCheck<T> = Check<T | undefined> & { [OPTIONAL]: true }

/** A record field that may be absent (dag-cbor has no `undefined`: absent means absent). */
export function optional<T> (check: Check<T>): OptionalCheck<T> {
  const wrapped = ((value: unknown, field: string) => check(value, field)) as OptionalCheck<T>
  wrapped[OPTIONAL] = true
  return wrapped
}

export type Shape<T> = { [K in keyof T]-?: Check<T[K]> }

/** The path of `key` inside the value at `field`. */
export function join (field: string, key: string): string {
  return field === '' ? key : `${field}.${key}`
}

// Not arrays, bytes or CID links; null-prototype records (as some builders make) are fine.
function isPlainObject (value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** A map with exactly the fields of `shape` (optional ones may be absent). */
export function record<T> (shape: Shape<T>): Check<T> {
  const keys = Object.keys(shape) as Array<keyof T & string>
  return (value, field) => {
    if (!isPlainObject(value)) fail(field, 'must be a map')
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(shape, key)) fail(join(field, key), 'unknown field')
    }
    const out: Partial<T> = {}
    for (const key of keys) {
      const check = shape[key]
      if (!Object.hasOwn(value, key)) {
        if ((check as Partial<OptionalCheck<unknown>>)[OPTIONAL] === true) continue
        fail(join(field, key), 'missing field')
      }
      out[key] = check(value[key], join(field, key))
    }
    return out as T
  }
}

/** An integer in [min, max] (at most Number.MAX_SAFE_INTEGER; larger ints decode as bigint and fail). */
export function integer (min: number, max: number): Check<number> {
  return (value, field) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) fail(field, 'must be an integer', typeof value === 'bigint' ? String(value) : value)
    if (value < min || value > max) fail(field, `must be in [${min}, ${max}]`, value)
    return value
  }
}

/** Unix seconds: any non-negative safe integer (the limits decide what is recent enough). */
export const seconds = integer(0, Number.MAX_SAFE_INTEGER)

const LONE_SURROGATE = /\p{Cs}/u

/** A string of at most `maxChars` code points (TextTooLongError beyond), optionally non-empty. */
export function text (maxChars: number, opts: { nonEmpty?: boolean } = {}): Check<string> {
  return (value, field) => {
    if (typeof value !== 'string') fail(field, 'must be a string')
    // UTF-16 length bounds the code point count from above; count only when it might matter.
    if (value.length > maxChars) {
      const length = textLength(value)
      if (length > maxChars) throw new TextTooLongError({ field, limit: maxChars, value: length })
    }
    if (opts.nonEmpty === true && value.length === 0) fail(field, 'must not be empty')
    // A lone surrogate cannot be UTF-8: it would be encoded and signed as U+FFFD, not as written.
    if (LONE_SURROGATE.test(value)) fail(field, 'must be well-formed Unicode')
    return value
  }
}

/** A string matching `pattern` (which bounds its length). */
export function matching (pattern: RegExp, reason: string): Check<string> {
  return (value, field) => {
    if (typeof value !== 'string' || !pattern.test(value)) fail(field, reason, value)
    return value
  }
}

/** One of a closed set of strings. */
export function oneOf<T extends string> (values: readonly T[]): Check<T> {
  return (value, field) => {
    if (!(values as readonly unknown[]).includes(value)) fail(field, `must be one of ${values.join(', ')}`, value)
    return value as T
  }
}

/**
 * Runs a string validator from another module or library (geo, codec, signing, multiaddr) and turns
 * whatever it throws into MalformedMessageError for this field: a decoder throws only typed errors.
 */
export function via (reason: string, validate: (value: string) => unknown): Check<string> {
  return (value, field) => {
    if (typeof value !== 'string') fail(field, 'must be a string')
    try {
      validate(value)
    } catch (err) {
      throw new MalformedMessageError(field, reason, { cause: err, value })
    }
    return value
  }
}

/** An array of `min`…`max` items; `order: 'unique'` forbids repeats, `'ascending'` wants strictly sorted. */
export function list<T> (item: Check<T>, opts: { min: number, max: number, order?: 'unique' | 'ascending', key?: (item: T) => string }): Check<T[]> {
  return (value, field) => {
    if (!Array.isArray(value)) fail(field, 'must be an array')
    if (value.length < opts.min) fail(field, `must have at least ${opts.min} items`, value.length)
    if (value.length > opts.max) fail(field, `must have at most ${opts.max} items`, value.length)
    const out = value.map((v, i) => item(v, `${field}[${i}]`))
    if (opts.order !== undefined) {
      const keys = out.map(opts.key ?? ((v) => v as unknown as string))
      if (opts.order === 'ascending') {
        for (let i = 1; i < keys.length; i++) if (!(keys[i - 1]! < keys[i]!)) fail(`${field}[${i}]`, 'must be sorted ascending without repeats')
      } else {
        const seen = new Set<string>()
        keys.forEach((k, i) => { if (seen.has(k)) fail(`${field}[${i}]`, 'repeats an earlier item'); seen.add(k) })
      }
    }
    return out
  }
}
