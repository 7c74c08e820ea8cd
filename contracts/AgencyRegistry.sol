// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IAgencyRegistry} from "./IAgencyRegistry.sol";
import {IAuditAnchor} from "./IAuditAnchor.sol";

/**
 * @title AgencyRegistry
 * @notice See {IAgencyRegistry}. Governed by the council: the admin role binds the AuditAnchor and manages
 * roles; the registrar role changes agency records.
 */
contract AgencyRegistry is IAgencyRegistry, AccessControl {
    /// @notice The role allowed to register, update, suspend, reinstate and revoke agencies.
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");
    /// @notice At most this many cells per jurisdiction (a res-7 cell is ~5 km², so ~5,000 km²).
    uint256 public constant MAX_CELLS = 1024;
    /// @notice At most this many bytes of UTF-8 in an agency name.
    uint256 public constant MAX_NAME_BYTES = 120;
    /// @notice The finest H3 resolution a jurisdiction cell may have.
    uint64 public constant MAX_CELL_RESOLUTION = 7;

    struct Agency {
        uint64 validUntil;
        AgencyStatus status;
        string name;
        uint64[] cells;
    }

    mapping(address agency => Agency) private _agencies;
    IAuditAnchor private _auditAnchor;

    constructor(address council) {
        _grantRole(DEFAULT_ADMIN_ROLE, council);
        _grantRole(REGISTRAR_ROLE, council);
    }

    /// @inheritdoc IAgencyRegistry
    function bindAuditAnchor(address auditAnchor_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(_auditAnchor) != address(0)) revert AgencyRegistryAuditAnchorAlreadyBound(address(_auditAnchor));
        if (auditAnchor_.code.length == 0 || IAuditAnchor(auditAnchor_).registry() != address(this)) {
            revert AgencyRegistryAuditAnchorMismatch(auditAnchor_);
        }
        _auditAnchor = IAuditAnchor(auditAnchor_);
        emit AuditAnchorBound(auditAnchor_);
    }

    /// @inheritdoc IAgencyRegistry
    function register(address agency, string calldata name, uint64[] calldata cells, uint64 validUntil)
        external
        onlyRole(REGISTRAR_ROLE)
    {
        if (agency == address(0)) revert AgencyRegistryZeroAddress();
        Agency storage record = _agencies[agency];
        if (record.status != AgencyStatus.None) revert AgencyRegistryAlreadyRegistered(agency);
        _checkRecord(name, cells, validUntil);
        record.validUntil = validUntil;
        record.status = AgencyStatus.Active;
        record.name = name;
        record.cells = cells;
        _push(agency, true, validUntil);
        emit AgencyRegistered(agency, name, cells, validUntil);
    }

    /// @inheritdoc IAgencyRegistry
    function update(address agency, string calldata name, uint64[] calldata cells, uint64 validUntil)
        external
        onlyRole(REGISTRAR_ROLE)
    {
        Agency storage record = _existing(agency);
        if (record.status == AgencyStatus.Revoked) revert AgencyRegistryInvalidStatus(agency, record.status);
        _checkRecord(name, cells, validUntil);
        record.validUntil = validUntil;
        record.name = name;
        record.cells = cells;
        _push(agency, record.status == AgencyStatus.Active, validUntil);
        emit AgencyUpdated(agency, name, cells, validUntil);
    }

    /// @inheritdoc IAgencyRegistry
    function suspend(address agency, string calldata reason) external onlyRole(REGISTRAR_ROLE) {
        Agency storage record = _existing(agency);
        if (record.status != AgencyStatus.Active) revert AgencyRegistryInvalidStatus(agency, record.status);
        record.status = AgencyStatus.Suspended;
        _push(agency, false, record.validUntil);
        emit AgencySuspended(agency, reason);
    }

    /// @inheritdoc IAgencyRegistry
    function reinstate(address agency) external onlyRole(REGISTRAR_ROLE) {
        Agency storage record = _existing(agency);
        if (record.status != AgencyStatus.Suspended) revert AgencyRegistryInvalidStatus(agency, record.status);
        record.status = AgencyStatus.Active;
        _push(agency, true, record.validUntil);
        emit AgencyReinstated(agency);
    }

    /// @inheritdoc IAgencyRegistry
    function revoke(address agency, string calldata reason) external onlyRole(REGISTRAR_ROLE) {
        Agency storage record = _existing(agency);
        if (record.status == AgencyStatus.Revoked) revert AgencyRegistryInvalidStatus(agency, record.status);
        record.status = AgencyStatus.Revoked;
        _push(agency, false, record.validUntil);
        emit AgencyRevoked(agency, reason);
    }

    /// @inheritdoc IAgencyRegistry
    function isActive(address agency) external view returns (bool) {
        Agency storage record = _agencies[agency];
        return record.status == AgencyStatus.Active && block.timestamp <= record.validUntil;
    }

    /// @inheritdoc IAgencyRegistry
    function jurisdictionOf(address agency) external view returns (uint64[] memory) {
        return _agencies[agency].cells;
    }

    /// @inheritdoc IAgencyRegistry
    function agencyInfo(address agency) external view returns (AgencyInfo memory) {
        Agency storage record = _agencies[agency];
        return AgencyInfo({name: record.name, cells: record.cells, validUntil: record.validUntil, status: record.status});
    }

    /// @inheritdoc IAgencyRegistry
    function auditAnchor() external view returns (address) {
        return address(_auditAnchor);
    }

    function _existing(address agency) private view returns (Agency storage record) {
        record = _agencies[agency];
        if (record.status == AgencyStatus.None) revert AgencyRegistryNotRegistered(agency);
    }

    // Anchoring reads the agency's authorization from the AuditAnchor's own storage (a cross-contract call
    // would cost ~5,000 gas per anchor), so every change of status or validity is pushed there.
    function _push(address agency, bool active, uint64 validUntil) private {
        IAuditAnchor anchor_ = _auditAnchor;
        if (address(anchor_) == address(0)) revert AgencyRegistryAuditAnchorNotBound();
        anchor_.syncAgency(agency, active, validUntil);
    }

    function _checkRecord(string calldata name, uint64[] calldata cells, uint64 validUntil) private view {
        uint256 nameLength = bytes(name).length;
        if (nameLength == 0 || nameLength > MAX_NAME_BYTES) revert AgencyRegistryInvalidName(nameLength);
        uint256 count = cells.length;
        if (count == 0) revert AgencyRegistryEmptyJurisdiction();
        if (count > MAX_CELLS) revert AgencyRegistryTooManyCells(count, MAX_CELLS);
        for (uint256 i = 0; i < count; ++i) {
            uint64 cell = cells[i];
            if (!_isCell(cell)) revert AgencyRegistryInvalidCell(cell);
            if (i > 0 && cell <= cells[i - 1]) revert AgencyRegistryCellsNotAscending(i);
        }
        if (validUntil <= block.timestamp) revert AgencyRegistryValidUntilInPast(validUntil);
    }

    // The structure of an H3 cell index (h3geo.org/docs/library/index/cell): high bit 0, mode 1, reserved
    // bits 0, resolution, base cell < 122, and every digit past the resolution 7. Digit-level rules
    // (pentagons' deleted sub-sequence) are left to the client, which validates cells with h3-js.
    function _isCell(uint64 cell) private pure returns (bool) {
        if (cell >> 59 != 1) return false; // high bit 0 and mode 1
        if ((cell >> 56) & 0x7 != 0) return false;
        uint64 resolution = (cell >> 52) & 0xF;
        if (resolution > MAX_CELL_RESOLUTION) return false;
        if ((cell >> 45) & 0x7F >= 122) return false;
        uint64 unused = (uint64(1) << (3 * (15 - resolution))) - 1;
        return cell & unused == unused;
    }
}
