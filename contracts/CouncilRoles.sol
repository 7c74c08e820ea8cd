// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/**
 * @title CouncilRoles
 * @notice AccessControl whose admin role can never end up held by nobody: revoking or renouncing the last
 * admin reverts. Without it one mistaken (or malicious) transaction would leave a registry that nobody can
 * ever govern again: no new agency, no revocation, no new witness.
 * @dev Counts the admins in {_grantRole}/{_revokeRole}, the two places every grant, revoke and renounce goes
 * through in OpenZeppelin 5.
 */
abstract contract CouncilRoles is AccessControl {
    /// @notice Revoking or renouncing this admin would leave the admin role held by nobody.
    error CouncilRolesLastAdmin(address account);

    uint256 private _adminCount;

    function _grantRole(bytes32 role, address account) internal virtual override returns (bool granted) {
        granted = super._grantRole(role, account);
        if (granted && role == DEFAULT_ADMIN_ROLE) ++_adminCount;
    }

    function _revokeRole(bytes32 role, address account) internal virtual override returns (bool revoked) {
        if (role == DEFAULT_ADMIN_ROLE && _adminCount == 1 && hasRole(role, account)) revert CouncilRolesLastAdmin(account);
        revoked = super._revokeRole(role, account);
        if (revoked && role == DEFAULT_ADMIN_ROLE) --_adminCount;
    }
}
