// Who a node is, as GET /api/node (public) and /api/peers answer, and the error body every route shares.

export type Role = 'resident' | 'agency' | 'auditor' | 'witness' | 'relay'

/** Whether peers can dial a node: a public address confirmed, none can be (behind a NAT), or not known yet. */
export type ReachabilityStatus = 'public' | 'private' | 'unknown'

/**
 * GET /api/node: an explicit pick, never a resident's cameras, nor a resident's name (a household's chosen
 * label, "Mapleton Ave household", says where it lives); GET /api/node/self, behind the token, has the name.
 */
export interface NodeView {
  role: Role
  name?: string
  peerId: string
  /** libp2p addresses, each ending in /p2p/<peerId>. */
  addrs: string[]
  /** Agencies: the Ethereum address the council registers. */
  address?: string
  /**
   * GET /api/node/self only: whether peers can dial this node (docs/network.md, "Reachability"). Not on the
   * public answer: that a household sits behind a NAT is its own business.
   */
  reachability?: ReachabilityStatus
}

/** GET /api/peers (a list of these); POST /api/peers answers one. */
export interface PeerView {
  peerId: string
  addr: string
}

/** What every route answers on failure, with a fitting status. */
export interface ApiErrorBody {
  error: { code: string, message: string }
}
