// The anchors an agency put on chain, as GET /api/anchors answers: the chain's own Anchored events for this
// agency (they include anchors the queue sent before a restart, which the anchorer never recorded), joined
// with the anchorer's records, which add the anchored checkpoint note and when the node learned of it.
// When the chain cannot be read, the records alone (each is an anchor the chain confirmed), marked so.
import type { FastifyPluginAsync } from 'fastify'
import { isPorchlightError } from '../../protocol/errors.js'
import type { AnchorHistory, AnchorView } from '../../protocol/index.js'
import type { ResponseSchemaOf } from '../api/index.js'
import type { AnchorEvent } from '../chain/index.js'
import type { AnchorRecord } from './anchorer.js'

export type { AnchorHistory, AnchorView }

export interface AnchorHistorySource {
  /** The anchorer's records (none when the node does not anchor). */
  records: () => Promise<AnchorRecord[]>
  /** The chain's Anchored events of this agency; undefined (or absent) when the node has no chain client. */
  onChain?: () => Promise<AnchorEvent[] | undefined>
  /** A block's timestamp in Unix seconds. */
  blockTime?: (blockNumber: number) => Promise<number>
}

/** Every anchor, smallest tree size (oldest) first. */
export async function anchorHistory (src: AnchorHistorySource): Promise<AnchorHistory> {
  const records = await src.records()
  let events: AnchorEvent[] | undefined
  try {
    events = await src.onChain?.()
  } catch (err) {
    // The chain client's failures are typed (unreachable RPC, refused call); anything else is a bug.
    if (!isPorchlightError(err)) throw err
    events = undefined
  }
  if (events === undefined) return { items: records.map(recordView).sort(bySize), source: 'node' }
  const bySizeRecord = new Map(records.map((r) => [r.treeSize, r]))
  const times = new Map<number, number>()
  const items: AnchorView[] = []
  for (const e of events) {
    const record = bySizeRecord.get(e.treeSize)
    if (record !== undefined && record.root.toLowerCase() === e.root.toLowerCase()) {
      items.push({ ...recordView(record), transactionHash: e.transactionHash, blockNumber: e.blockNumber })
      continue
    }
    if (!times.has(e.blockNumber)) times.set(e.blockNumber, (await src.blockTime?.(e.blockNumber)) ?? 0)
    items.push({ treeSize: e.treeSize, root: e.root, transactionHash: e.transactionHash, blockNumber: e.blockNumber, recordedAt: times.get(e.blockNumber)! * 1000 })
  }
  return { items: items.sort(bySize), source: 'chain' }
}

function recordView (r: AnchorRecord): AnchorView {
  return { treeSize: r.treeSize, root: r.root, transactionHash: r.transactionHash, blockNumber: r.blockNumber, recordedAt: r.recordedAt, checkpoint: r.checkpoint }
}

const bySize = (a: AnchorView, b: AnchorView): number => a.treeSize - b.treeSize

const anchorSchema = {
  type: 'object',
  required: ['treeSize', 'root', 'transactionHash', 'blockNumber', 'recordedAt'],
  properties: {
    treeSize: { type: 'integer' },
    root: { type: 'string' },
    transactionHash: { type: 'string' },
    blockNumber: { type: 'integer' },
    recordedAt: { type: 'integer', description: 'Unix ms' },
    checkpoint: { type: 'string' }
  }
} as const satisfies ResponseSchemaOf<AnchorView>

const anchorHistorySchema = {
  type: 'object',
  required: ['items', 'source'],
  properties: { items: { type: 'array', items: anchorSchema }, source: { type: 'string', enum: ['chain', 'node'] } }
} as const satisfies ResponseSchemaOf<AnchorHistory>

/** GET /api/anchors (token): this agency's anchors, oldest first. */
export function anchorRoutes (src: AnchorHistorySource): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/anchors', {
      schema: {
        summary: 'The anchors this agency put on chain, oldest first (newest last): from the chain\'s Anchored events, with the anchored checkpoint note where this node recorded it',
        response: { 200: anchorHistorySchema }
      }
    }, async (): Promise<AnchorHistory> => await anchorHistory(src))
  }
}
