// The relayer's HTTP API: agencies hand it signed checkpoints (open to anyone, like a witness's
// add-checkpoint: the body carries its own authority, the agency's signature), and anyone reads an agency's
// anchored checkpoints with their proofs (what an auditor checks against the chain).
import type { FastifyPluginAsync } from 'fastify'
import type { SignedAnchor } from './anchor-authorization.js'
import type { AnchorRelayer } from './anchor-relayer.js'

const hex32 = { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' } as const
const address = { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' } as const

const signedAnchorSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['agency', 'treeSize', 'root', 'r', 'vs'],
  properties: { agency: address, treeSize: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER }, root: hex32, r: hex32, vs: hex32 }
} as const

export function anchorRelayerRoutes (relayer: AnchorRelayer): FastifyPluginAsync {
  return async (app) => {
    app.post('/api/relay/anchors', {
      config: { openSubmission: true },
      // Five fields of at most 66 characters, with their names.
      bodyLimit: 1024,
      schema: { summary: "Hands the relayer an agency's signed checkpoint for its next batch", body: signedAnchorSchema }
    }, async (request, reply) => {
      await relayer.submit(request.body as SignedAnchor)
      return await reply.code(202).send({ pending: relayer.pending, batchIntervalMs: relayer.batchIntervalMs })
    })
    app.get('/api/relay/anchors/:agency', {
      config: { public: true },
      schema: {
        summary: "An agency's anchored checkpoints, each with its batch root, transaction and inclusion proof, oldest first",
        params: { type: 'object', additionalProperties: false, required: ['agency'], properties: { agency: address } }
      }
    }, async (request) => ({ items: relayer.relayed((request.params as { agency: string }).agency) }))
  }
}
