// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IAnchorRelay} from "./IAnchorRelay.sol";

/**
 * @title AnchorRelay
 * @notice See {IAnchorRelay}.
 * @dev No storage: the event is the anchor (its block gives the time, its log the order), which is what keeps
 * a batch of 32 under 1,000 gas per agency. What the direct path checks on chain (registration, a growing
 * size, a fork) is checked by auditors here, from the leaves.
 */
contract AnchorRelay is IAnchorRelay {
    /// @inheritdoc IAnchorRelay
    function anchorBatchRoot(bytes32 root, uint32 count) external {
        if (count == 0) revert AnchorRelayEmptyBatch();
        emit BatchAnchored(msg.sender, root, count);
    }
}
