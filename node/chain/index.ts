// Hardhat is behind a dynamic import (start-embedded-chain.ts): nothing here may load it statically.
export { startEmbeddedChain } from './start-embedded-chain.js'
export type { EmbeddedChain, EmbeddedChainOptions, EmbeddedCouncilConfig } from './embedded-chain.js'
export { devAccounts, devMnemonic, devCouncilSize, embeddedChainId, type DevAccount } from './dev-accounts.js'
export { ChainJournal, ChainJournalError, journaledProvider, readChainJournal, replayChainJournal, type JournalRecord } from './chain-journal.js'
export {
  deployContracts, deployWitnessRegistry, deployCouncilContracts, deployEmbeddedCouncil, deploySafeFactory, createSafe,
  type DeployedContracts, type RegistryRoles, type CouncilDeployOptions, type EmbeddedCouncilOptions
} from './deploy.js'
export {
  CouncilDriver, devCouncil, findCouncilTimelock, proposeCall, approveProposal, executeProposal, proposalState, checkProposal, describeCall, readPendingChanges,
  requireCouncil, toSafeTxBuilderJson, hashSafeTx, immediateMethods,
  CouncilError, CouncilNotDeployedError, CouncilProposalInvalidError, CouncilNotOwnerError, CouncilApprovalsMissingError,
  CouncilNoticePendingError, CouncilProposalClosedError,
  type CouncilAddresses, type CouncilProposal, type CouncilPath, type SafeTx, type PendingChange, type PendingSource, type ProposalState, type ExecuteResult,
  type Registrar, type CouncilDriverOptions
} from './council.js'
export { connectProvider, type ProviderOptions } from './provider.js'
export { readDeployment, writeDeployment, toDeployment, defaultDeploymentPath, InvalidDeploymentError, contractKeys, type Deployment, type ContractAddresses } from './deployment.js'
export {
  ChainClient, ChainClientConfigError, ChainClientClosedError, defaultConfirmations, DEFAULT_CONFIRMATIONS,
  type ChainClientOptions, type ChainClientEvents, type TxResult, type AgencyRecordInput, type AnchorEvent, type SkipReason,
  type SkippedAnchor, type BatchResult, type LatestAnchor, type AnchorOutcome, type WitnessEvent
} from './chain-client.js'
export { InvalidWitnessRecordError, toWitnessSet, checkWitnessRecord, checkWitnessEndpoints, type IgnoredWitness } from './witness-set.js'
export { AnchorQueue, type AnchorQueueStore, type QueuedAnchor } from './anchor-queue.js'
export { anchorDomain, anchorTypes, hashAnchor, signAnchor, verifyAnchor, toRootHex, type SignedAnchor } from './anchor-authorization.js'
export { agencyStatuses, isActiveRecord, cellsToUint64, uint64ToCell, maxCellResolution, type AgencyInfo, type AgencyStatus } from './agency-info.js'
export {
  agencyRegistryArtifact, auditAnchorArtifact, witnessRegistryArtifact, anchorRelayArtifact, agencyRegistryInterface, auditAnchorInterface, witnessRegistryInterface,
  anchorRelayInterface, timelockArtifact, safeArtifact, safeProxyFactoryArtifact, timelockInterface, safeInterface,
  type ContractArtifact
} from './artifacts.js'
export {
  relayDomain, encodeRelayLeaf, buildRelayBatch, checkRelayedAnchor, deployAnchorRelay,
  type RelayedAnchor, type BatchPosition, type BatchEvent, type RelayedAnchorProblem
} from './anchor-relay.js'
export {
  AnchorRelayer, RelayedAnchorSignatureError, RelayedAnchorAgencyNotActiveError, RelayedAnchorStaleError, type AnchorRelayerInit, type AnchorRelayerEvents
} from './anchor-relayer.js'
export { anchorRelayerRoutes } from './anchor-relayer-routes.js'
export * from './errors.js'
export { chainService, sharedChain, openChainClient, chainEndpointOf, domainOf, type ChainService, type ChainServiceInit, type ChainComponents, type RegistryReader } from './chain-service.js'
