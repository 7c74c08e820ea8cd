export { createPorchlightLibp2p } from './libp2p.js'
export type { PorchlightLibp2p, PorchlightLibp2pInit, PorchlightServices, MessageIdFn } from './libp2p.js'
export { joinTopic, leaveTopic, waitForMeshPeer, waitForTopicPeer, TopicNotJoinedError, TopicValidatorResult } from './topics.js'
export type { JoinTopicOptions, TopicValidatorFn } from './topics.js'
export { scoreTopic, peerScore, penalizePeer, penaltyOf, requestTopicScoreParams, porchlightScoreThresholds, porchlightScoreParams, PENALTY_HALF_LIFE_MS, MAX_PENALISED_PEERS } from './scoring.js'
export { framed, FramedStream } from './framing.js'
export type { FrameOptions } from './framing.js'
export { sendRequest, handleRequests } from './request-response.js'
export type { RequestHandler, RequestContext, ProtocolOptions, HandleRequestsOptions } from './request-response.js'
export {
  FrameTooLargeError, MalformedFrameError, PeerHungUpError, StreamTimeoutError, RemoteError, GossipsubInternalsError, BootstrapDialFailedError,
  InvalidCellPeersRequestError, CellPeersNotSubscribedError, CellPeersRateLimitedError, InvalidCellPeersAnswerError
} from './errors.js'
export {
  CELL_PEERS_PROTOCOL, MAX_CELL_PEERS, MAX_CELL_PEER_ADDRS, MAX_CELL_PEER_ADDR_LENGTH, MAX_CELL_PEERS_FRAME_BYTES, CellPeersServer, cellPeers,
  askCellPeers, readCellPeersAnswer, checkCellPeersRequest
} from './cell-peers.js'
export type {
  CellPeer, CellPeersRequest, CellPeersResponse, CellPeersAnswerEntry, CellPeersServerInit, CellPeersServerEvents, CellPeersServerComponents,
  CellPeersAnswered, CellPeersRefused, AddressFilter
} from './cell-peers.js'
export { bootstrapKeeper, BootstrapKeeper, BOOTSTRAP_TAG } from './bootstrap-keeper.js'
export type { BootstrapKeeperInit, BootstrapKeeperComponents, BootstrapKeeperEvents, BootstrapDial } from './bootstrap-keeper.js'
