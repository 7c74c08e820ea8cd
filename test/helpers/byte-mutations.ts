// Byte-level mutations of encoded input for property tests of decoders: a byte set, bytes inserted or
// deleted, the input cut short.
import fc from 'fast-check'

export type Mutation =
  | { op: 'set', at: number, byte: number }
  | { op: 'insert', at: number, bytes: Uint8Array }
  | { op: 'delete', at: number, count: number }
  | { op: 'truncate', at: number }

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.nat(255) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 9 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() })
)

/**
 * `input` with the mutations applied in turn, as a new plain Uint8Array (the input is never written:
 * encoders return Buffers, whose `slice` would be a view of it).
 */
export function mutate (input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = new Uint8Array(input)
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length
    if (m.op === 'set') {
      b = new Uint8Array(b)
      b[at] = m.byte
    } else if (m.op === 'insert') {
      b = Uint8Array.from([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)])
    } else if (m.op === 'delete') {
      b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + m.count)])
    } else {
      b = b.subarray(0, at)
    }
  }
  return b
}
