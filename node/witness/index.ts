export { Witness, DEFAULT_MAX_ORIGINS, type WitnessInit, type WitnessEvents, type WitnessRecord, type WitnessDatabase, type AddCheckpointResult, type AddCheckpointAnswered } from './witness.js'
export { witnessClient, type WitnessClient, type WitnessClientOptions, type AddCheckpoint, type AddCheckpointAnswer } from './client.js'
export { witnessService, type WitnessService, type WitnessServiceInit, type WitnessComponents } from './service.js'
export { WITNESS_PROTOCOL, handleWitnessProtocol, sendWitnessRequest, type WitnessFrame } from './transport.js'
export { answerAddCheckpoint, answerLatest, type WitnessAnswer } from './answer.js'
export {
  UnknownOriginError, TooManyOriginsError, UnverifiedCheckpointError, OldSizeTooLargeError, OldSizeConflictError,
  ConflictingRootError, InconsistentCheckpointError, NoCosignedCheckpointError, WitnessConfigError, WitnessRefusedError,
  WitnessUnreachableError, WitnessNotStartedError
} from './errors.js'
