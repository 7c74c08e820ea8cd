// The anchors an agency put on chain, as GET /api/anchors sends them.

export interface AnchorView {
  treeSize: number
  /** 0x-hex root. */
  root: string
  transactionHash: string
  blockNumber: number
  /** Unix ms: when the node recorded it, else the block's timestamp. */
  recordedAt: number
  /** The signed checkpoint note anchored, when the node recorded the anchor itself (chain-only anchors have none). */
  checkpoint?: string
}

/** GET /api/anchors, oldest first. */
export interface AnchorHistory {
  items: AnchorView[]
  /** 'chain' when the chain's events were read; 'node' when only the node's own records are shown. */
  source: 'chain' | 'node'
}
