// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/**
 * @title IAgencyRegistry
 * @notice The council's register of agencies allowed to request footage: each agency is an Ethereum address
 * with a name, a jurisdiction (H3 cells of resolution 5 to 7, bounded in count and area), a valid-until time
 * (at most two years ahead) and a status.
 * @dev Every state change emits one past-tense event. The registry pushes each agency's authorization
 * (active, valid-until) to its bound AuditAnchor, so that anchoring needs no cross-contract call.
 */
interface IAgencyRegistry {
    /// @notice Lifecycle of an agency record. `None` means never registered; `Revoked` is final.
    enum AgencyStatus {
        None,
        Active,
        Suspended,
        Revoked
    }

    /// @notice One agency's record as returned by {agencyInfo}.
    struct AgencyInfo {
        string name;
        uint64[] cells;
        uint64 validUntil;
        AgencyStatus status;
    }

    /// @notice The agency address is the zero address.
    error AgencyRegistryZeroAddress();
    /// @notice `agency` already has a record (a revoked address cannot be registered again).
    error AgencyRegistryAlreadyRegistered(address agency);
    /// @notice `agency` has no record.
    error AgencyRegistryNotRegistered(address agency);
    /// @notice The operation is not allowed while `agency` is in `status`.
    error AgencyRegistryInvalidStatus(address agency, AgencyStatus status);
    /// @notice The name is empty or longer than {MAX_NAME_BYTES} bytes.
    error AgencyRegistryInvalidName(uint256 length);
    /// @notice The jurisdiction has no cell.
    error AgencyRegistryEmptyJurisdiction();
    /// @notice The jurisdiction has more than `max` cells.
    error AgencyRegistryTooManyCells(uint256 count, uint256 max);
    /// @notice `cell` is not an H3 cell index of resolution 0..7.
    error AgencyRegistryInvalidCell(uint64 cell);
    /// @notice `cell` is coarser than resolution {MIN_CELL_RESOLUTION} (a res-0 cell is continent-sized).
    error AgencyRegistryCellTooCoarse(uint64 cell, uint64 resolution);
    /// @notice The jurisdiction's area, in resolution-7 cells, is over `max`.
    error AgencyRegistryAreaTooLarge(uint256 area, uint256 max);
    /// @notice `validUntil` is later than `max` ({MAX_VALIDITY_SECONDS} after the block).
    error AgencyRegistryValidUntilTooFar(uint64 validUntil, uint256 max);
    /// @notice Cells must be strictly ascending (so a jurisdiction has one encoding and no duplicates).
    error AgencyRegistryCellsNotAscending(uint256 index);
    /// @notice `validUntil` is not in the future.
    error AgencyRegistryValidUntilInPast(uint64 validUntil);
    /// @notice No AuditAnchor is bound yet; agencies cannot be changed before it is.
    error AgencyRegistryAuditAnchorNotBound();
    /// @notice An AuditAnchor is already bound.
    error AgencyRegistryAuditAnchorAlreadyBound(address auditAnchor);
    /// @notice The AuditAnchor to bind does not name this registry as its registry.
    error AgencyRegistryAuditAnchorMismatch(address auditAnchor);

    /// @notice `agency` was registered.
    event AgencyRegistered(address indexed agency, string name, uint64[] cells, uint64 validUntil);
    /// @notice `agency`'s name, jurisdiction or validity was changed.
    event AgencyUpdated(address indexed agency, string name, uint64[] cells, uint64 validUntil);
    /// @notice `agency` was suspended; it may be reinstated.
    event AgencySuspended(address indexed agency, string reason);
    /// @notice `agency` was reinstated after a suspension.
    event AgencyReinstated(address indexed agency);
    /// @notice `agency` was revoked, for good.
    event AgencyRevoked(address indexed agency, string reason);
    /// @notice The AuditAnchor that receives agencies' authorizations was bound.
    event AuditAnchorBound(address indexed auditAnchor);

    /// @notice Binds the AuditAnchor, once. Only the deployer or the admin (the council).
    function bindAuditAnchor(address auditAnchor) external;

    /// @notice Registers `agency`. Only the registrar role.
    function register(address agency, string calldata name, uint64[] calldata cells, uint64 validUntil) external;

    /// @notice Replaces an active or suspended agency's name, jurisdiction and validity. Only the registrar.
    function update(address agency, string calldata name, uint64[] calldata cells, uint64 validUntil) external;

    /// @notice Suspends an active agency. Only the guardian role (at once, no notice period).
    function suspend(address agency, string calldata reason) external;

    /// @notice Reinstates a suspended agency. Only the registrar.
    function reinstate(address agency) external;

    /// @notice Revokes an active or suspended agency, for good. Only the guardian role.
    function revoke(address agency, string calldata reason) external;

    /// @notice True when `agency` is active and `block.timestamp <= validUntil`.
    function isActive(address agency) external view returns (bool);

    /// @notice The H3 cells of `agency`'s jurisdiction (empty when not registered).
    function jurisdictionOf(address agency) external view returns (uint64[] memory);

    /// @notice `agency`'s whole record (status `None` when not registered).
    function agencyInfo(address agency) external view returns (AgencyInfo memory);

    /// @notice The bound AuditAnchor (zero until bound).
    function auditAnchor() external view returns (address);
}
