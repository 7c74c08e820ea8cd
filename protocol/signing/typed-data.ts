// EIP-712 structured-data hashing (https://eips.ethereum.org/EIPS/eip-712), for the few atomic types the
// Porchlight tables use: address, bytes32, string, uintN, arrays of them, and structs.
import { keccak_256 } from '@noble/hashes/sha3.js'
import { concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js'
import { getAddress } from './address.js'
import { InvalidTypedDataError } from './errors.js'
import { DOMAIN_NAME, DOMAIN_VERSION, EIP712_DOMAIN_TYPE, TYPES } from './types.js'
import type { Domain, SignableKind, TypeTable, TypedField } from './types.js'

/** The struct types `name` refers to, directly or through others (itself included). */
function dependencies (name: string, types: TypeTable, found = new Set<string>()): Set<string> {
  if (found.has(name) || types[name] === undefined) return found
  found.add(name)
  for (const f of types[name]) dependencies(f.type.replace(/\[\]$/, ''), types, found)
  return found
}

/** `Primary(type name,...)` followed by the struct types it refers to, in alphabetical order. */
export function encodeType (primary: string, types: TypeTable): string {
  const referenced = [...dependencies(primary, types)].filter((t) => t !== primary).sort()
  return [primary, ...referenced].map((t) => `${t}(${types[t]!.map((f) => `${f.type} ${f.name}`).join(',')})`).join('')
}

const typeHashes = new WeakMap<TypeTable, Map<string, Uint8Array>>()
function typeHash (name: string, types: TypeTable): Uint8Array {
  let byName = typeHashes.get(types)
  if (byName === undefined) { byName = new Map(); typeHashes.set(types, byName) }
  let hash = byName.get(name)
  if (hash === undefined) { hash = keccak_256(utf8ToBytes(encodeType(name, types))); byName.set(name, hash) }
  return hash
}

function uint (value: unknown, bits: number, field: string): Uint8Array {
  let n: bigint
  if (typeof value === 'bigint') n = value
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value)
  else if (typeof value === 'string' && /^(0|[1-9][0-9]*)$/.test(value)) n = BigInt(value)
  else throw new InvalidTypedDataError(field, `uint${bits} must be an integer`)
  if (n < 0n || n >= 1n << BigInt(bits)) throw new InvalidTypedDataError(field, `out of uint${bits} range`)
  return hexToBytes(n.toString(16).padStart(64, '0'))
}

function encodeValue (type: string, value: unknown, types: TypeTable, field: string): Uint8Array {
  if (type.endsWith('[]')) {
    if (!Array.isArray(value)) throw new InvalidTypedDataError(field, 'must be an array')
    const item = type.slice(0, -2)
    return keccak_256(concatBytes(...value.map((v, i) => encodeValue(item, v, types, `${field}[${i}]`))))
  }
  if (types[type] !== undefined) return hashStruct(type, value, types, field)
  if (type === 'string') {
    if (typeof value !== 'string') throw new InvalidTypedDataError(field, 'must be a string')
    return keccak_256(utf8ToBytes(value))
  }
  if (type === 'address') {
    if (typeof value !== 'string') throw new InvalidTypedDataError(field, 'must be an address')
    let address: string
    try { address = getAddress(value) } catch { throw new InvalidTypedDataError(field, 'must be an address') }
    return concatBytes(new Uint8Array(12), hexToBytes(address.slice(2)))
  }
  if (type === 'bytes32') {
    if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(value)) throw new InvalidTypedDataError(field, 'must be 32 bytes of hex')
    return hexToBytes(value.slice(2))
  }
  if (type.startsWith('uint')) return uint(value, Number(type.slice(4)), field)
  throw new InvalidTypedDataError(field, `unsupported type ${type}`)
}

/** keccak256(typeHash ‖ encodeData(value)). */
export function hashStruct (name: string, value: unknown, types: TypeTable, field = name): Uint8Array {
  if (typeof value !== 'object' || value === null) throw new InvalidTypedDataError(field, 'must be an object')
  const record = value as Record<string, unknown>
  const fields: readonly TypedField[] = types[name]!
  return keccak_256(concatBytes(typeHash(name, types), ...fields.map((f) => encodeValue(f.type, record[f.name], types, `${field}.${f.name}`))))
}

/** The full domain object, as wallets and ethers see it. */
export function eip712Domain (domain: Domain): { name: string, version: string, chainId: bigint, verifyingContract: string } {
  let verifyingContract: string
  try { verifyingContract = getAddress(domain.verifyingContract) } catch { throw new InvalidTypedDataError('domain.verifyingContract', 'must be an address') }
  const chainId = typeof domain.chainId === 'bigint' ? domain.chainId : Number.isSafeInteger(domain.chainId) ? BigInt(domain.chainId) : -1n
  if (chainId <= 0n) throw new InvalidTypedDataError('domain.chainId', 'must be a positive integer')
  return { name: DOMAIN_NAME, version: DOMAIN_VERSION, chainId, verifyingContract }
}

const separators = new Map<string, Uint8Array>()
/** The domain separator, cached per chain and contract (a relay sees one domain). */
export function hashDomain (domain: Domain): Uint8Array {
  const full = eip712Domain(domain)
  const key = `${full.chainId}:${full.verifyingContract}`
  let hash = separators.get(key)
  if (hash === undefined) {
    hash = hashStruct('EIP712Domain', full, { EIP712Domain: EIP712_DOMAIN_TYPE })
    if (separators.size >= 64) separators.clear()
    separators.set(key, hash)
  }
  return hash
}

/** keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message)): the digest a signer signs. */
export function hashTypedValue (kind: SignableKind, value: unknown, domain: Domain): Uint8Array {
  const types: TypeTable = TYPES[kind]
  return keccak_256(concatBytes(Uint8Array.of(0x19, 0x01), hashDomain(domain), hashStruct(kind, value, types)))
}
