// The standard JSON form of typed data (as `eth_signTypedData_v4` takes it), for wallets and the API.
// uint64 values that may exceed 2^53 (H3 cells) are decimal strings; times and sizes stay numbers.
import { toTypedValue } from './sign.js'
import type { SignableMessages } from './sign.js'
import { eip712Domain } from './typed-data.js'
import { EIP712_DOMAIN_TYPE, TYPES } from './types.js'
import type { Domain, SignableKind, TypedField } from './types.js'

export interface Eip712Json {
  domain: { name: string, version: string, chainId: number | string, verifyingContract: string }
  types: Record<string, TypedField[]>
  primaryType: SignableKind
  message: Record<string, unknown>
}

function jsonSafe (value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (Array.isArray(value)) return value.map(jsonSafe)
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]))
  return value
}

export function toEip712Json<K extends SignableKind> (kind: K, message: SignableMessages[K], domain: Domain): Eip712Json {
  const full = eip712Domain(domain)
  const types: Record<string, TypedField[]> = { EIP712Domain: [...EIP712_DOMAIN_TYPE] }
  for (const [name, fields] of Object.entries(TYPES[kind])) types[name] = [...fields]
  return {
    domain: {
      ...full,
      chainId: full.chainId <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(full.chainId) : full.chainId.toString()
    },
    types,
    primaryType: kind,
    message: jsonSafe(toTypedValue(kind, message)) as Record<string, unknown>
  }
}
