// The relayer path of anchoring (issue 21, item 4; contracts/IAnchorRelay.sol): agencies sign their
// checkpoints, a relayer puts the Merkle root of many in one transaction, and each agency gets an inclusion
// proof of its own. The tree is RFC 9162's, the one the logs use (protocol/tlog), so an auditor checks a
// relayed anchor with the proof code it already trusts. Nothing here reads the chain; ChainClient sends the
// root and the auditor's follower reads the BatchAnchored events.
import { ContractFactory, concat, getAddress, getBytes, hexlify, toBeHex, type Signer, type TypedDataDomain } from 'ethers'
import { MemoryTree, hashLeaf, inclusionProof, rootFromInclusionProof } from '../../protocol/tlog/index.js'
import { anchorRelayArtifact } from './artifacts.js'
import { anchorDomain, toRootHex, verifyAnchor, type SignedAnchor } from './anchor-authorization.js'

/** One relayed checkpoint with everything needed to check it off chain, as a relayer serves it. */
export interface RelayedAnchor {
  anchor: SignedAnchor
  batch: {
    /** 0x-hex Merkle root the transaction anchored. */
    root: string
    /** Leaves in the batch, and this one's index among them. */
    count: number
    index: number
    /** The inclusion proof, 0x-hex hashes. */
    proof: string[]
    transactionHash: string
    blockNumber: number
  }
}

/** A leaf's place in its batch, before the batch is on chain. */
export type BatchPosition = Omit<RelayedAnchor['batch'], 'transactionHash' | 'blockNumber'>

/** A BatchAnchored event, as the chain holds it. */
export interface BatchEvent {
  relayer: string
  root: string
  count: number
  transactionHash: string
  blockNumber: number
  logIndex: number
}

/** Why a relayed anchor does not count (the auditor counts them; nothing of it is anchored). */
export type RelayedAnchorProblem = 'no-batch' | 'proof' | 'signature'

/**
 * The EIP-712 domain agencies sign relayed checkpoints in: the AuditAnchor's type, with the AnchorRelay as
 * verifying contract, so a signature meant for one contract is never taken by the other.
 */
export function relayDomain (chainId: number, anchorRelay: string): TypedDataDomain {
  return anchorDomain(chainId, anchorRelay)
}

/** The leaf bytes of a signed checkpoint: agency ‖ treeSize (uint64, big-endian) ‖ root ‖ r ‖ vs (124 bytes). */
export function encodeRelayLeaf (a: SignedAnchor): Uint8Array {
  return getBytes(concat([getAddress(a.agency), toBeHex(a.treeSize, 8), toRootHex(a.root), a.r, a.vs]))
}

/** A batch of signed checkpoints: its root, and each leaf's proof. Leaves keep the order given. */
export async function buildRelayBatch (anchors: readonly SignedAnchor[]): Promise<{ root: string, proofs: BatchPosition[] }> {
  if (anchors.length === 0) throw new RangeError('a batch holds at least one checkpoint')
  const tree = new MemoryTree()
  for (const a of anchors) tree.append(encodeRelayLeaf(a))
  const root = hexlify(tree.root())
  const proofs = await Promise.all(anchors.map(async (_, index) => ({
    root, count: anchors.length, index, proof: (await inclusionProof(index, anchors.length, tree)).map((h) => hexlify(h))
  })))
  return { root, proofs }
}

/**
 * Checks a relayed anchor against the batch the chain holds for its transaction: the leaf's proof gives the
 * anchored root, and the agency's signature is valid in `domain`. Registration and growth are the caller's
 * rules (the auditor judges them by the agency's history at the batch's block).
 */
export function checkRelayedAnchor (domain: TypedDataDomain, relayed: RelayedAnchor, batch: BatchEvent | undefined): RelayedAnchorProblem | undefined {
  if (batch === undefined || batch.root.toLowerCase() !== relayed.batch.root.toLowerCase() || batch.count !== relayed.batch.count) return 'no-batch'
  try {
    const root = rootFromInclusionProof(hashLeaf(encodeRelayLeaf(relayed.anchor)), relayed.batch.index, batch.count, relayed.batch.proof.map((h) => getBytes(h)))
    if (hexlify(root) !== batch.root.toLowerCase()) return 'proof'
  } catch {
    return 'proof'
  }
  return verifyAnchor(domain, relayed.anchor) ? undefined : 'signature'
}

/** Deploys an AnchorRelay (it has no owner and no constructor arguments). */
export async function deployAnchorRelay (signer: Signer): Promise<{ address: string, blockNumber: number, gasUsed: number }> {
  const relay = await new ContractFactory(anchorRelayArtifact.abi, anchorRelayArtifact.bytecode, signer).deploy()
  const receipt = await relay.deploymentTransaction()!.wait()
  return { address: await relay.getAddress(), blockNumber: receipt!.blockNumber, gasUsed: Number(receipt!.gasUsed) }
}
