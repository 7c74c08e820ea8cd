// EIP-712 structured-data hashing (https://eips.ethereum.org/EIPS/eip-712), for the few atomic types the
// Porchlight tables use: address, bytes32, string, uintN, arrays of them, and structs.
import { keccak_256 } from '@noble/hashes/sha3.js'
import { concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js'
import { getAddress } from './address.js'
import type { SigningBackend } from './backend.js'
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

type Keccak = SigningBackend['keccak256']
/** A field's path for an error message, built only when one is thrown (a relay encodes thousands a second). */
type Path = () => string

const TWO_32 = 2 ** 32

/** Writes the 32-byte big-endian word of a uintN into `out` at `at`. */
function writeUint (value: unknown, bits: number, path: Path, out: Uint8Array, at: number): void {
  // Most values are times and sizes: safe integers, written without a detour through BigInt or hex.
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
    if (bits < 53 && value >= 2 ** bits) throw new InvalidTypedDataError(path(), `out of uint${bits} range`)
    const view = new DataView(out.buffer, out.byteOffset + at + 24, 8)
    view.setUint32(0, Math.floor(value / TWO_32))
    view.setUint32(4, value % TWO_32)
    return
  }
  let n: bigint
  if (typeof value === 'bigint') n = value
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value)
  else if (typeof value === 'string' && /^(0|[1-9][0-9]*)$/.test(value)) n = BigInt(value)
  else throw new InvalidTypedDataError(path(), `uint${bits} must be an integer`)
  if (n < 0n || n >= 1n << BigInt(bits)) throw new InvalidTypedDataError(path(), `out of uint${bits} range`)
  if (bits <= 64) new DataView(out.buffer, out.byteOffset + at + 24, 8).setBigUint64(0, n)
  else out.set(hexToBytes(n.toString(16).padStart(64, '0')), at)
}

/** Writes the 32-byte encoding of one value of `type` into `out` at `at` (EIP-712 `encodeData` of a member). */
function encodeInto (type: string, value: unknown, types: TypeTable, path: Path, keccak: Keccak, out: Uint8Array, at: number): void {
  if (type.endsWith('[]')) {
    if (!Array.isArray(value)) throw new InvalidTypedDataError(path(), 'must be an array')
    const item = type.slice(0, -2)
    const items = new Uint8Array(32 * value.length)
    value.forEach((v, i) => { encodeInto(item, v, types, () => `${path()}[${i}]`, keccak, items, 32 * i) })
    out.set(keccak(items), at)
    return
  }
  if (types[type] !== undefined) { out.set(hashStruct(type, value, types, path, keccak), at); return }
  if (type === 'string') {
    if (typeof value !== 'string') throw new InvalidTypedDataError(path(), 'must be a string')
    out.set(keccak(utf8ToBytes(value)), at)
    return
  }
  if (type === 'address') {
    if (typeof value !== 'string') throw new InvalidTypedDataError(path(), 'must be an address')
    let address: string
    try { address = getAddress(value) } catch { throw new InvalidTypedDataError(path(), 'must be an address') }
    out.set(hexToBytes(address.slice(2)), at + 12)
    return
  }
  if (type === 'bytes32') {
    if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(value)) throw new InvalidTypedDataError(path(), 'must be 32 bytes of hex')
    out.set(hexToBytes(value.slice(2)), at)
    return
  }
  if (type.startsWith('uint')) { writeUint(value, Number(type.slice(4)), path, out, at); return }
  throw new InvalidTypedDataError(path(), `unsupported type ${type}`)
}

/** keccak256(typeHash ‖ encodeData(value)). `field` names the value in errors. */
export function hashStruct (name: string, value: unknown, types: TypeTable, field: string | Path = name, keccak: Keccak = keccak_256): Uint8Array {
  const path: Path = typeof field === 'string' ? () => field : field
  if (typeof value !== 'object' || value === null) throw new InvalidTypedDataError(path(), 'must be an object')
  const record = value as Record<string, unknown>
  const fields: readonly TypedField[] = types[name]!
  const data = new Uint8Array(32 * (fields.length + 1))
  data.set(typeHash(name, types), 0)
  fields.forEach((f, i) => { encodeInto(f.type, record[f.name], types, () => `${path()}.${f.name}`, keccak, data, 32 * (i + 1)) })
  return keccak(data)
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

/**
 * keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message)): the digest a signer signs. `keccak` is
 * the backend's (a node's native one; the digest is the same).
 */
export function hashTypedValue (kind: SignableKind, value: unknown, domain: Domain, keccak: Keccak = keccak_256): Uint8Array {
  const types: TypeTable = TYPES[kind]
  return keccak(concatBytes(Uint8Array.of(0x19, 0x01), hashDomain(domain), hashStruct(kind, value, types, kind, keccak)))
}
