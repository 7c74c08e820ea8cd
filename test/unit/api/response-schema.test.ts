// ResponseSchemaOf is a compile-time check: the @ts-expect-error lines below fail `npm run typecheck` the
// day the check stops catching a schema that drifted from its protocol/api type.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { ResponseSchemaOf } from '../../../node/api/index.js'
import type { AnchorView, PeerView } from '../../../protocol/index.js'
import { clipSchema } from '../../../node/clips/routes.js'

test('a response schema names every field of its type and no other; only required fields are required', () => {
  const peer = { type: 'object', required: ['peerId', 'addr'], properties: { peerId: { type: 'string' }, addr: { type: 'string' } } } as const satisfies ResponseSchemaOf<PeerView>
  // @ts-expect-error `addr` left out: fastify would drop it from every answer
  const missing = { type: 'object', required: ['peerId'], properties: { peerId: { type: 'string' } } } as const satisfies ResponseSchemaOf<PeerView>
  // @ts-expect-error `port` is not a field of PeerView
  const extra = { type: 'object', required: [], properties: { peerId: {}, addr: {}, port: {} } } as const satisfies ResponseSchemaOf<PeerView>
  // @ts-expect-error `checkpoint` is optional in AnchorView (chain-only anchors have none)
  const optional = { type: 'object', required: ['checkpoint'], properties: { treeSize: {}, root: {}, transactionHash: {}, blockNumber: {}, recordedAt: {}, checkpoint: {} } } as const satisfies ResponseSchemaOf<AnchorView>
  assert.deepEqual(Object.keys(peer.properties), ['peerId', 'addr'])
  assert.deepEqual([missing, extra, optional].map((s) => s.type), ['object', 'object', 'object'])
  // Every field of a clip is always sent: the schema requires all it names.
  assert.deepEqual([...clipSchema.required].sort(), Object.keys(clipSchema.properties).sort())
})
