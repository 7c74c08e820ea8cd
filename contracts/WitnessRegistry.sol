// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {CouncilRoles} from "./CouncilRoles.sol";
import {IWitnessRegistry} from "./IWitnessRegistry.sol";

/**
 * @title WitnessRegistry
 * @notice See {IWitnessRegistry}. Governed by the council like the AgencyRegistry: the admin role manages
 * roles, the registrar role changes the witness set and the quorum. Both are held by the council's
 * TimelockController, so a change of the witness set waits the public notice period.
 */
contract WitnessRegistry is IWitnessRegistry, CouncilRoles {
    /// @notice The role allowed to add, update and remove witnesses and to set the quorum.
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");
    /// @notice At most this many witnesses: every node checks each one's cosignature on every announcement.
    uint256 public constant MAX_WITNESSES = 16;
    /// @notice At most this many bytes in a witness name.
    uint256 public constant MAX_NAME_BYTES = 64;
    /// @notice At most this many bytes in a verifier key, a URL or a multiaddr.
    uint256 public constant MAX_FIELD_BYTES = 256;

    Witness[] private _witnesses;
    mapping(bytes32 nameHash => uint256 indexPlusOne) private _indexOf;
    uint8 private _quorum;

    constructor(address council) {
        if (council == address(0)) revert WitnessRegistryZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, council);
        _grantRole(REGISTRAR_ROLE, council);
    }

    /// @inheritdoc IWitnessRegistry
    function addWitness(string calldata name, string calldata vkey, string calldata url, string calldata multiaddr)
        external
        onlyRole(REGISTRAR_ROLE)
    {
        uint256 nameLength = bytes(name).length;
        if (nameLength == 0 || nameLength > MAX_NAME_BYTES) revert WitnessRegistryInvalidName(nameLength);
        uint256 keyLength = bytes(vkey).length;
        if (keyLength == 0 || keyLength > MAX_FIELD_BYTES) revert WitnessRegistryInvalidKey(keyLength);
        // The vkey carries its own name, and that name (not this field) is what cosignature lines are matched
        // by: a mismatch would register one witness under another's name. The rest of the key is checked by
        // every node that reads the set (base64 and key ids are not worth the gas here).
        if (keyLength <= nameLength || bytes(vkey)[nameLength] != "+" || keccak256(bytes(vkey[:nameLength])) != keccak256(bytes(name))) {
            revert WitnessRegistryKeyNameMismatch(name);
        }
        _checkEndpoints(url, multiaddr);
        bytes32 key = keccak256(bytes(name));
        if (_indexOf[key] != 0) revert WitnessRegistryAlreadyRegistered(name);
        if (_witnesses.length >= MAX_WITNESSES) revert WitnessRegistryFull(MAX_WITNESSES);
        _witnesses.push(Witness({name: name, vkey: vkey, url: url, multiaddr: multiaddr}));
        _indexOf[key] = _witnesses.length;
        emit WitnessAdded(name, vkey, url, multiaddr);
    }

    /// @inheritdoc IWitnessRegistry
    function updateWitness(string calldata name, string calldata url, string calldata multiaddr)
        external
        onlyRole(REGISTRAR_ROLE)
    {
        Witness storage witness = _witnesses[_existing(name)];
        _checkEndpoints(url, multiaddr);
        witness.url = url;
        witness.multiaddr = multiaddr;
        emit WitnessUpdated(name, url, multiaddr);
    }

    /// @inheritdoc IWitnessRegistry
    function removeWitness(string calldata name, string calldata reason) external onlyRole(REGISTRAR_ROLE) {
        uint256 index = _existing(name);
        uint256 count = _witnesses.length;
        // A set smaller than its quorum could cosign nothing: every agency's publishing would stop.
        if (count - 1 < _quorum) revert WitnessRegistryBelowQuorum(_quorum, count - 1);
        // Shift the rest down rather than swap in the last: readers see registration order (n ≤ 16).
        for (uint256 i = index; i + 1 < count; ++i) {
            _witnesses[i] = _witnesses[i + 1];
            _indexOf[keccak256(bytes(_witnesses[i].name))] = i + 1;
        }
        _witnesses.pop();
        delete _indexOf[keccak256(bytes(name))];
        emit WitnessRemoved(name, reason);
    }

    /// @inheritdoc IWitnessRegistry
    function setQuorum(uint8 quorum_) external onlyRole(REGISTRAR_ROLE) {
        uint256 count = _witnesses.length;
        if (quorum_ == 0 || quorum_ > count) revert WitnessRegistryInvalidQuorum(quorum_, count);
        _quorum = quorum_;
        emit WitnessQuorumSet(quorum_);
    }

    /// @inheritdoc IWitnessRegistry
    function witnesses() external view returns (Witness[] memory) {
        return _witnesses;
    }

    /// @inheritdoc IWitnessRegistry
    function quorum() external view returns (uint8) {
        return _quorum;
    }

    function _existing(string calldata name) private view returns (uint256 index) {
        uint256 indexPlusOne = _indexOf[keccak256(bytes(name))];
        if (indexPlusOne == 0) revert WitnessRegistryNotRegistered(name);
        return indexPlusOne - 1;
    }

    function _checkEndpoints(string calldata url, string calldata multiaddr) private pure {
        uint256 urlLength = bytes(url).length;
        uint256 multiaddrLength = bytes(multiaddr).length;
        if (urlLength > MAX_FIELD_BYTES) revert WitnessRegistryEndpointTooLong(urlLength);
        if (multiaddrLength > MAX_FIELD_BYTES) revert WitnessRegistryEndpointTooLong(multiaddrLength);
        if (urlLength == 0 && multiaddrLength == 0) revert WitnessRegistryNoEndpoint();
    }
}
