// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/**
 * @title IAnchorRelay
 * @notice The relayer path of anchoring (issue 21): one transaction anchors the Merkle root of many agencies'
 * signed checkpoints. Nothing per agency is stored or checked here; each leaf is an agency's EIP-712
 * signature over `Anchor(uint64 treeSize,bytes32 root)` in the domain {name: "Porchlight", version: "1",
 * chainId, verifyingContract: this contract}, and auditors check the signature, the agency's registration
 * and the leaf's inclusion proof against the root off chain. The tree is RFC 9162's (SHA-256, leaf 0x00,
 * node 0x01) over leaves `agency (20) ‖ treeSize (8, big-endian) ‖ root (32) ‖ r (32) ‖ vs (32)`.
 * @dev Anyone may relay: a root proves nothing without leaves that verify, and a relayer that withholds its
 * leaves only fails to anchor the agencies that trusted it (each keeps its own proof).
 */
interface IAnchorRelay {
    /// @notice A batch must hold at least one checkpoint.
    error AnchorRelayEmptyBatch();

    /// @notice `relayer` anchored `root`, the Merkle root of `count` agency-signed checkpoints.
    event BatchAnchored(address indexed relayer, bytes32 root, uint32 count);

    /// @notice Anchors the Merkle root of `count` signed checkpoints; the caller is the relayer.
    function anchorBatchRoot(bytes32 root, uint32 count) external;
}
