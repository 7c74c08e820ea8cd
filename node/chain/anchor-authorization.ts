// EIP-712 authorization for AuditAnchor.anchorBatch: an agency signs `Anchor(uint64 treeSize,bytes32 root)`
// so that any relayer may submit its checkpoint. The verifying contract is the AuditAnchor (not the
// AgencyRegistry as for Porchlight's messages), so an anchor signature cannot be replayed as anything else.
import { Signature, TypedDataEncoder, getAddress, hexlify, verifyTypedData, type TypedDataDomain, type Signer } from 'ethers'

/** One agency's signed checkpoint, in the AuditAnchor.SignedAnchor layout (EIP-2098 compact signature). */
export interface SignedAnchor {
  agency: string
  treeSize: number
  /** bytes32 as 0x-hex. */
  root: string
  r: string
  vs: string
}

export const anchorTypes = { Anchor: [{ name: 'treeSize', type: 'uint64' }, { name: 'root', type: 'bytes32' }] }

/** The EIP-712 domain of anchor authorizations on `chainId` for the AuditAnchor at `auditAnchor`. */
export function anchorDomain (chainId: number, auditAnchor: string): TypedDataDomain {
  return { name: 'Porchlight', version: '1', chainId, verifyingContract: getAddress(auditAnchor) }
}

export function toRootHex (root: Uint8Array | string): string {
  const hex = typeof root === 'string' ? root : hexlify(root)
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw new RangeError('root must be 32 bytes')
  return hex.toLowerCase()
}

/** The digest the agency signs (equals AuditAnchor.hashAnchor on chain). */
export function hashAnchor (domain: TypedDataDomain, treeSize: number, root: Uint8Array | string): string {
  return TypedDataEncoder.hash(domain, anchorTypes, { treeSize, root: toRootHex(root) })
}

export async function signAnchor (agency: Signer, domain: TypedDataDomain, treeSize: number, root: Uint8Array | string): Promise<SignedAnchor> {
  const rootHex = toRootHex(root)
  const signature = Signature.from(await agency.signTypedData(domain, anchorTypes, { treeSize, root: rootHex }))
  return { agency: await agency.getAddress(), treeSize, root: rootHex, r: signature.r, vs: signature.yParityAndS }
}

/** True when `signed` carries a valid signature by `signed.agency` in `domain`. */
export function verifyAnchor (domain: TypedDataDomain, signed: SignedAnchor): boolean {
  try {
    const signature = Signature.from({ r: signed.r, yParityAndS: signed.vs })
    return verifyTypedData(domain, anchorTypes, { treeSize: signed.treeSize, root: signed.root }, signature) === getAddress(signed.agency)
  } catch {
    return false
  }
}
