import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * Checks an `Authorization` header against the node's token in constant time: both sides are hashed first,
 * so neither the token's bytes nor its length leak through timing.
 */
export function bearerMatches (header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  const given = createHash('sha256').update(match?.[1] ?? '').digest()
  const expected = createHash('sha256').update(token).digest()
  return timingSafeEqual(given, expected) && match !== null
}
