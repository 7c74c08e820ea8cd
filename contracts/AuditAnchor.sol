// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {IAuditAnchor} from "./IAuditAnchor.sol";

/**
 * @title AuditAnchor
 * @notice See {IAuditAnchor}.
 */
contract AuditAnchor is IAuditAnchor, EIP712 {
    /// @notice The EIP-712 type an agency signs to authorize anchoring its checkpoint in a batch.
    bytes32 public constant ANCHOR_TYPEHASH = keccak256("Anchor(uint64 treeSize,bytes32 root)");

    // One slot per agency for everything an anchor reads and writes besides the root: the latest size and
    // time, and the authorization mirrored from the registry. Together with the root that is two slots per
    // anchor, the minimum for a 256-bit root and a growing size.
    struct Log {
        uint64 treeSize;
        uint64 anchoredAt;
        uint64 validUntil;
        bool active;
    }

    address private immutable _registry;
    mapping(address agency => Log) private _logs;
    mapping(address agency => bytes32) private _roots;

    constructor(address registry_) EIP712("Porchlight", "1") {
        if (registry_ == address(0)) revert AuditAnchorZeroRegistry();
        _registry = registry_;
    }

    /// @inheritdoc IAuditAnchor
    function anchor(uint64 treeSize, bytes32 root) external {
        Log memory log = _logs[msg.sender];
        if (!log.active || block.timestamp > log.validUntil) revert AuditAnchorNotActive(msg.sender);
        if (treeSize <= log.treeSize) {
            if (_isFork(msg.sender, log.treeSize, treeSize, root)) {
                revert AuditAnchorFork(msg.sender, treeSize, _roots[msg.sender], root);
            }
            revert AuditAnchorNonMonotonic(msg.sender, treeSize, log.treeSize);
        }
        _store(msg.sender, log, treeSize, root);
    }

    /// @inheritdoc IAuditAnchor
    function anchorBatch(SignedAnchor[] calldata anchors) external returns (uint256 anchored) {
        uint256 count = anchors.length;
        if (count == 0) revert AuditAnchorEmptyBatch();
        bytes32 domainSeparator = _domainSeparatorV4();
        for (uint256 i = 0; i < count; ++i) {
            SignedAnchor calldata entry = anchors[i];
            address agency = entry.agency;
            uint64 treeSize = entry.treeSize;
            bytes32 root = entry.root;
            bytes32 digest =
                MessageHashUtils.toTypedDataHash(domainSeparator, keccak256(abi.encode(ANCHOR_TYPEHASH, treeSize, root)));
            (address signer, ECDSA.RecoverError error,) = ECDSA.tryRecover(digest, entry.r, entry.vs);
            if (error != ECDSA.RecoverError.NoError || signer != agency) {
                emit AnchorSkipped(agency, treeSize, root, SkipReason.InvalidSignature);
                continue;
            }
            Log memory log = _logs[agency];
            if (!log.active || block.timestamp > log.validUntil) {
                emit AnchorSkipped(agency, treeSize, root, SkipReason.NotActive);
                continue;
            }
            if (treeSize <= log.treeSize) {
                // A signed fork is kept in the calldata and the event: proof that the agency equivocated.
                SkipReason reason =
                    _isFork(agency, log.treeSize, treeSize, root) ? SkipReason.Fork : SkipReason.NonMonotonic;
                emit AnchorSkipped(agency, treeSize, root, reason);
                continue;
            }
            _store(agency, log, treeSize, root);
            ++anchored;
        }
    }

    /// @inheritdoc IAuditAnchor
    function latestAnchor(address agency) external view returns (uint64 treeSize, bytes32 root, uint64 anchoredAt) {
        Log storage log = _logs[agency];
        return (log.treeSize, _roots[agency], log.anchoredAt);
    }

    /// @inheritdoc IAuditAnchor
    function canAnchor(address agency) external view returns (bool) {
        Log storage log = _logs[agency];
        return log.active && block.timestamp <= log.validUntil;
    }

    /// @inheritdoc IAuditAnchor
    function hashAnchor(uint64 treeSize, bytes32 root) external view returns (bytes32) {
        return _hashAnchor(treeSize, root);
    }

    /// @inheritdoc IAuditAnchor
    function registry() external view returns (address) {
        return _registry;
    }

    /// @inheritdoc IAuditAnchor
    function syncAgency(address agency, bool active, uint64 validUntil) external {
        if (msg.sender != _registry) revert AuditAnchorNotRegistry(msg.sender);
        Log storage log = _logs[agency];
        log.active = active;
        log.validUntil = validUntil;
    }

    function _store(address agency, Log memory log, uint64 treeSize, bytes32 root) private {
        _logs[agency] = Log({treeSize: treeSize, anchoredAt: uint64(block.timestamp), validUntil: log.validUntil, active: true});
        _roots[agency] = root;
        emit Anchored(agency, treeSize, root);
    }

    // Size 0 is never anchored, so an equal size is only a fork when something was anchored at it.
    function _isFork(address agency, uint64 latestTreeSize, uint64 treeSize, bytes32 root) private view returns (bool) {
        return treeSize == latestTreeSize && treeSize != 0 && root != _roots[agency];
    }

    function _hashAnchor(uint64 treeSize, bytes32 root) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(ANCHOR_TYPEHASH, treeSize, root)));
    }
}
