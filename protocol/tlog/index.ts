// The transparency-log core: RFC 9162 Merkle hashing and proofs, C2SP checkpoints, signed notes, witness
// cosignatures and tiles.
export { HASH_SIZE, hashLeaf, hashChildren, emptyRoot, equalHashes, pureTreeHasher, type TreeHasher } from './hasher.js'
export { type NodeId, rangeNodes, rootNodes, nodeRange, splitPoint } from './subtree.js'
export { CompactRange, merkleRoot, type NodeVisitor } from './compact-range.js'
export { type HashReader, MemoryHashStore } from './hash-reader.js'
export { MemoryTree } from './memory-tree.js'
export {
  ProofPlan, planInclusion, planConsistency, planRoot, inclusionProof, consistencyProof, rootAt
} from './proof.js'
export { verifyInclusion, rootFromInclusionProof, verifyConsistency } from './verify.js'
export {
  type Checkpoint, formatCheckpoint, parseCheckpoint, checkpointOrigin, parseCheckpointOrigin, MAX_NOTE_LENGTH
} from './checkpoint.js'
export {
  type SignedNote, type NoteSignature, formatSignedNote, parseSignedNote, formatSignatureLine, parseSignatureLine,
  noteKeyId, MAX_NOTE_SIGNATURES
} from './signed-note.js'
export {
  type Cosignature, type VerifierKey, COSIGNATURE_V1_TYPE, ED25519_NOTE_TYPE, witnessKeyId, cosignedMessage,
  signCosignature, formatCosignature, parseCosignature, verifyCosignature, encodeVerifierKey, parseVerifierKey, verifyEd25519,
  type Ed25519Verify
} from './cosignature.js'
export { checkWitnessQuorum, type WitnessQuorum, type CosignatureWindow } from './witness-quorum.js'
export {
  signCheckpoint, openCheckpoint, verifyCheckpoint, checkpointKeyId, hashPersonalMessage, pureSignerRecovery,
  type SignerRecovery, type KnownSigners
} from './checkpoint-signature.js'
export { tilePath, entryBundlePath, parseTilePath, type TilePathInfo, MAX_TILE_LEVEL } from './tile-path.js'
export {
  type TileId, TILE_HEIGHT, TILE_WIDTH, MAX_ENTRY_SIZE, tilesForSize, tileForNode, tilesForNodes, tileNodes,
  encodeHashTile, decodeHashTile, encodeEntryBundle, decodeEntryBundle
} from './tile.js'
export { TileHashReader, type TileFetcher, type TileHashReaderInit } from './tile-reader.js'
export {
  InvalidProofError, IndexOutOfRangeError, InvalidHashError, MissingHashError, InvalidCheckpointError,
  InvalidNoteError, WrongOriginError, WrongSignerError, MissingSignatureError, InvalidCheckpointSignatureError,
  InvalidTilePathError, InvalidTileError, EntryTooLargeError, InvalidCosignatureError, WrongCosignerError,
  WrongCosignerKeyIdError, ForgedCosignatureError, InvalidWitnessKeyError, InvalidVerifierKeyError,
  WitnessQuorumNotMetError, CosignatureOutOfWindowError, NoWitnessQuorumError, type QuorumDetails
} from './errors.js'
export {
  type AddCheckpointRequest, type ParsedAddCheckpoint, MAX_PROOF_LINES, MAX_ADD_CHECKPOINT_LENGTH, TREE_SIZE_CONTENT_TYPE,
  InvalidWitnessMessageError, formatAddCheckpoint, parseAddCheckpoint, formatTreeSize, parseTreeSize, parseCosignatureLines
} from './witness-protocol.js'
