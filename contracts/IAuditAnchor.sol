// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/**
 * @title IAuditAnchor
 * @notice Anchors agencies' transparency-log checkpoints (tree size, root). A log's tree size only grows; an
 * equal size with a different root is a fork. The latest (size, root, time) per agency is kept in storage
 * and every anchor emits {Anchored}.
 * @dev Batches are authorized per agency by an EIP-712 signature over `Anchor(uint64 treeSize,bytes32 root)`
 * in the domain {name: "Porchlight", version: "1", chainId, verifyingContract: this contract}. A batch
 * entry that cannot be anchored is skipped with {AnchorSkipped}; the rest of the batch still anchors.
 */
interface IAuditAnchor {
    /// @notice Why a batch entry was not anchored.
    enum SkipReason {
        InvalidSignature,
        NotActive,
        NonMonotonic,
        Fork
    }

    /// @notice One agency's signed checkpoint in a batch; (r, vs) is an EIP-2098 compact signature.
    struct SignedAnchor {
        address agency;
        uint64 treeSize;
        bytes32 root;
        bytes32 r;
        bytes32 vs;
    }

    /// @notice `agency` is not registered, suspended, revoked or past its valid-until time.
    error AuditAnchorNotActive(address agency);
    /// @notice `treeSize` does not exceed the latest anchored size of `agency`'s log.
    error AuditAnchorNonMonotonic(address agency, uint64 treeSize, uint64 latestTreeSize);
    /// @notice `root` differs from the root already anchored for the same tree size: a fork.
    error AuditAnchorFork(address agency, uint64 treeSize, bytes32 latestRoot, bytes32 root);
    /// @notice Only the AgencyRegistry may push authorizations.
    error AuditAnchorNotRegistry(address caller);
    /// @notice A batch must hold at least one entry.
    error AuditAnchorEmptyBatch();
    /// @notice The registry address is zero.
    error AuditAnchorZeroRegistry();

    /// @notice `agency`'s log was anchored at `treeSize` with `root`.
    event Anchored(address indexed agency, uint64 treeSize, bytes32 root);
    /// @notice A batch entry for `agency` was not anchored, for `reason`.
    event AnchorSkipped(address indexed agency, uint64 treeSize, bytes32 root, SkipReason reason);

    /// @notice Anchors the caller's own log. The caller must be an active agency.
    function anchor(uint64 treeSize, bytes32 root) external;

    /// @notice Anchors many agencies' logs, each authorized by the agency's signature; anyone may relay.
    /// @return anchored How many entries were anchored (the others emitted {AnchorSkipped}).
    function anchorBatch(SignedAnchor[] calldata anchors) external returns (uint256 anchored);

    /// @notice The latest anchor of `agency`'s log (all zero before the first).
    function latestAnchor(address agency) external view returns (uint64 treeSize, bytes32 root, uint64 anchoredAt);

    /// @notice True when `agency` may anchor now (the registry's {IAgencyRegistry-isActive}, mirrored here).
    function canAnchor(address agency) external view returns (bool);

    /// @notice The EIP-712 digest an agency signs to authorize anchoring (`treeSize`, `root`).
    function hashAnchor(uint64 treeSize, bytes32 root) external view returns (bytes32);

    /// @notice The AgencyRegistry whose agencies may anchor.
    function registry() external view returns (address);

    /// @notice Receives `agency`'s authorization from the registry. Only the registry.
    function syncAgency(address agency, bool active, uint64 validUntil) external;
}
