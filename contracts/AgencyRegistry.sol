// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {CouncilRoles} from "./CouncilRoles.sol";
import {IAgencyRegistry} from "./IAgencyRegistry.sol";
import {IAuditAnchor} from "./IAuditAnchor.sol";

/**
 * @title AgencyRegistry
 * @notice See {IAgencyRegistry}. Governed by the council (docs/contracts.md, "The council"): the admin and
 * registrar roles are held by a TimelockController whose proposer is the council's Safe, so registrations,
 * updates and reinstatements wait a public notice period; the guardian role (a Safe with a lower threshold)
 * suspends and revokes at once, because stopping abuse must not wait.
 */
contract AgencyRegistry is IAgencyRegistry, CouncilRoles {
    /// @notice The role allowed to register, update and reinstate agencies (the council's timelock).
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");
    /// @notice The role allowed to suspend and revoke agencies at once (the guardian Safe, and the timelock).
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @notice At most this many cells per jurisdiction (protocol/limits: LIMITS.jurisdiction.maxCells).
    uint256 public constant MAX_CELLS = 1024;
    /// @notice At most this total area, counted in resolution-7 cells (a res-6 cell is 7, a res-5 cell 49):
    /// 2,000 × 5.16 km² ≈ 10,300 km², a large county (protocol/limits: LIMITS.jurisdiction.maxAreaRes7Cells).
    uint256 public constant MAX_AREA_RES7_CELLS = 2000;
    /// @notice At most this many bytes of UTF-8 in an agency name.
    uint256 public constant MAX_NAME_BYTES = 120;
    /// @notice The coarsest H3 resolution a jurisdiction cell may have (a res-5 cell is ~253 km²).
    uint64 public constant MIN_CELL_RESOLUTION = 5;
    /// @notice The finest H3 resolution a jurisdiction cell may have.
    uint64 public constant MAX_CELL_RESOLUTION = 7;
    /// @notice `validUntil` at most this far ahead of the block: a registration is reviewed at least every two years.
    uint256 public constant MAX_VALIDITY_SECONDS = 730 days;

    struct Agency {
        uint64 validUntil;
        AgencyStatus status;
        string name;
        uint64[] cells;
    }

    mapping(address agency => Agency) private _agencies;
    IAuditAnchor private _auditAnchor;
    // The deployer may bind the AuditAnchor (once, like the admin): the AuditAnchor is deployed after the
    // registry, and the admin is a timelock that should not have to schedule a deployment step.
    address private immutable _deployer;

    /// @param admin Admin and registrar: the council's TimelockController.
    /// @param guardian Suspends and revokes at once: the guardian Safe.
    constructor(address admin, address guardian) {
        if (admin == address(0) || guardian == address(0)) revert AgencyRegistryZeroAddress();
        _deployer = msg.sender;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(REGISTRAR_ROLE, admin);
        _grantRole(GUARDIAN_ROLE, admin);
        _grantRole(GUARDIAN_ROLE, guardian);
    }

    /// @inheritdoc IAgencyRegistry
    function bindAuditAnchor(address auditAnchor_) external {
        if (msg.sender != _deployer) _checkRole(DEFAULT_ADMIN_ROLE);
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
    function suspend(address agency, string calldata reason) external onlyRole(GUARDIAN_ROLE) {
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
    function revoke(address agency, string calldata reason) external onlyRole(GUARDIAN_ROLE) {
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
        uint256 area = 0;
        for (uint256 i = 0; i < count; ++i) {
            uint64 cell = cells[i];
            if (!_isCell(cell)) revert AgencyRegistryInvalidCell(cell);
            uint64 resolution = (cell >> 52) & 0xF;
            if (resolution < MIN_CELL_RESOLUTION) revert AgencyRegistryCellTooCoarse(cell, resolution);
            if (i > 0 && cell <= cells[i - 1]) revert AgencyRegistryCellsNotAscending(i);
            area += 7 ** (MAX_CELL_RESOLUTION - resolution);
        }
        // Ascending distinct indexes can still overlap (a res-5 cell and one of its res-7 children): the sum
        // then counts the overlap twice, which only errs on the side of the cap.
        if (area > MAX_AREA_RES7_CELLS) revert AgencyRegistryAreaTooLarge(area, MAX_AREA_RES7_CELLS);
        if (validUntil <= block.timestamp) revert AgencyRegistryValidUntilInPast(validUntil);
        if (validUntil > block.timestamp + MAX_VALIDITY_SECONDS) {
            revert AgencyRegistryValidUntilTooFar(validUntil, block.timestamp + MAX_VALIDITY_SECONDS);
        }
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
