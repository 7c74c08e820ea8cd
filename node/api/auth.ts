import { createHash, timingSafeEqual } from 'node:crypto'
import type { ApiUser } from './principal.js'

/**
 * Checks an `Authorization` header against the node's token in constant time: both sides are hashed first,
 * so neither the token's bytes nor its length leak through timing.
 */
export function bearerMatches (header: string | undefined, token: string): boolean {
  const given = bearerToken(header)
  const expected = createHash('sha256').update(token).digest()
  return timingSafeEqual(createHash('sha256').update(given ?? '').digest(), expected) && given !== undefined
}

/** The bearer token of a request (`Authorization: Bearer <token>`), or undefined. */
export function bearerToken (header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1]
}

/**
 * Tokens besides the node's own that the API accepts: paired devices' (node/api/devices.ts). `deviceFor`
 * answers the device a token belongs to, or undefined; it must compare in constant time as `bearerMatches`.
 */
export interface DeviceTokens {
  deviceFor (token: string): string | undefined
  /** Optional: the server ends every connection a device's requests opened once it is revoked. */
  on?: (event: 'device:revoked', listener: (device: { id: string }) => void) => unknown
}

/**
 * Agency users' credentials (node/agency/users.ts): `userFor` answers the user a token belongs to, or
 * undefined (unknown or disabled); it must compare in constant time as `bearerMatches`.
 */
export interface UserTokens {
  userFor (token: string): ApiUser | undefined
  /** Optional: the server ends every connection a user's requests opened once they are disabled. */
  on?: (event: 'user:disabled', listener: (user: { id: string }) => void) => unknown
}
