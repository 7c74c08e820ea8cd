// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/**
 * @title IWitnessRegistry
 * @notice The council's register of transparency-log witnesses (C2SP tlog-witness) and the quorum k of n: an
 * agency's checkpoint counts only once k registered witnesses have cosigned it. Every node reads the set here.
 * @dev Every state change emits one past-tense event. Names are not indexed: an indexed string is stored as
 * its hash only, and readers (auditors) want the name itself; a set of at most 16 needs no topic filter.
 */
interface IWitnessRegistry {
    /// @notice One registered witness, as returned by {witnesses}.
    struct Witness {
        /// Its signed-note key name.
        string name;
        /// Its C2SP verifier key `<name>+<key id>+<base64(0x04 ‖ Ed25519 key)>`.
        string vkey;
        /// Its tlog-witness HTTP base URL, or empty.
        string url;
        /// Its libp2p multiaddr with /p2p/<peer id>, or empty.
        string multiaddr;
    }

    /// @notice The council is the zero address.
    error WitnessRegistryZeroAddress();
    /// @notice The name is empty or longer than {MAX_NAME_BYTES} bytes.
    error WitnessRegistryInvalidName(uint256 length);
    /// @notice The verifier key is empty or longer than {MAX_FIELD_BYTES} bytes.
    error WitnessRegistryInvalidKey(uint256 length);
    /// @notice The verifier key does not start with `<name>+`: it would name another witness.
    error WitnessRegistryKeyNameMismatch(string name);
    /// @notice The URL or the multiaddr is longer than {MAX_FIELD_BYTES} bytes.
    error WitnessRegistryEndpointTooLong(uint256 length);
    /// @notice Both the URL and the multiaddr are empty: nobody could reach the witness.
    error WitnessRegistryNoEndpoint();
    /// @notice A witness of this name is already registered.
    error WitnessRegistryAlreadyRegistered(string name);
    /// @notice No witness of this name is registered.
    error WitnessRegistryNotRegistered(string name);
    /// @notice {MAX_WITNESSES} witnesses are registered already.
    error WitnessRegistryFull(uint256 max);
    /// @notice The quorum must satisfy 1 ≤ quorum ≤ the number of witnesses (`count`).
    error WitnessRegistryInvalidQuorum(uint256 quorum, uint256 count);
    /// @notice Removing a witness would leave fewer than `quorum` of them: lower the quorum first.
    error WitnessRegistryBelowQuorum(uint256 quorum, uint256 count);

    /// @notice A witness was registered.
    event WitnessAdded(string name, string vkey, string url, string multiaddr);
    /// @notice A witness's URL or multiaddr changed (its key never does: remove it and add a new one).
    event WitnessUpdated(string name, string url, string multiaddr);
    /// @notice A witness was removed.
    event WitnessRemoved(string name, string reason);
    /// @notice The quorum was set.
    event WitnessQuorumSet(uint8 quorum);

    /// @notice Registers a witness. Only the registrar (the council).
    function addWitness(string calldata name, string calldata vkey, string calldata url, string calldata multiaddr)
        external;

    /// @notice Replaces a witness's URL and multiaddr. Only the registrar.
    function updateWitness(string calldata name, string calldata url, string calldata multiaddr) external;

    /// @notice Removes a witness; the others keep their order. Only the registrar.
    function removeWitness(string calldata name, string calldata reason) external;

    /// @notice Sets the quorum k, 1 ≤ k ≤ n. Only the registrar.
    function setQuorum(uint8 quorum) external;

    /// @notice Every registered witness, in registration order.
    function witnesses() external view returns (Witness[] memory);

    /// @notice The quorum k; 0 until the council sets it (then no checkpoint counts).
    function quorum() external view returns (uint8);
}
