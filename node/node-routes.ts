// The routes every node has: who it is (public, and in full to the token's holder) and its peers (token).
import type { FastifyPluginAsync } from 'fastify'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { PorchlightError } from '../protocol/errors.js'
import type { NodeView, PeerView } from '../protocol/index.js'
import type { ResponseSchemaOf } from './api/index.js'
import type { PorchlightLibp2p } from './p2p/index.js'
import type { NodeInfo } from './node-info.js'

export class InvalidMultiaddrError extends PorchlightError {
  static override readonly code = 'INVALID_MULTIADDR'
  static override readonly status = 400
  constructor (value: string) {
    super(InvalidMultiaddrError.code, 'not a multiaddr', { details: { field: 'addr', value } })
    this.name = 'InvalidMultiaddrError'
  }
}

export class DialFailedError extends PorchlightError {
  static override readonly code = 'DIAL_FAILED'
  static override readonly status = 502
  constructor (addr: string, cause: unknown) {
    super(DialFailedError.code, `could not connect to ${addr}`, { cause, details: { addr } })
    this.name = 'DialFailedError'
  }
}


const nodeInfoSchema = {
  type: 'object',
  required: ['role', 'peerId', 'addrs'],
  properties: {
    role: { type: 'string', enum: ['resident', 'agency', 'auditor', 'witness', 'relay'] },
    name: { type: 'string', description: 'not on a resident\'s public answer: a name a household chose says where it lives' },
    peerId: { type: 'string' },
    addrs: { type: 'array', items: { type: 'string' } },
    address: { type: 'string', description: 'agencies: the Ethereum address the council registers' },
    reachability: { type: 'string', enum: ['public', 'private', 'unknown'], description: '/api/node/self only: whether peers can dial this node' }
  }
} as const satisfies ResponseSchemaOf<NodeView>

const peerSchema = {
  type: 'object',
  required: ['peerId', 'addr'],
  properties: { peerId: { type: 'string' }, addr: { type: 'string' } }
} as const satisfies ResponseSchemaOf<PeerView>

export function nodeRoutes (source: { info: () => NodeInfo, libp2p: PorchlightLibp2p }): FastifyPluginAsync {
  return async (app) => {
    // An explicit pick: whatever NodeInfo grows, only these fields are ever served.
    const view = (self: boolean): NodeView => {
      const { role, name, peerId, addrs, address, reachability } = source.info()
      return { role, ...(self ? { name } : {}), peerId, addrs, ...(address === undefined ? {} : { address }), ...(self ? { reachability } : {}) }
    }
    app.get('/api/node', {
      config: { public: true },
      schema: { summary: 'This node: role, peer id, addresses, and the name of an agency, auditor or witness (never a resident\'s name or cameras)', response: { 200: nodeInfoSchema } }
    }, async (): Promise<NodeView> => view(source.info().role !== 'resident'))

    app.get('/api/node/self', {
      schema: { summary: 'This node with its name and reachability, for its own UI', response: { 200: { ...nodeInfoSchema, required: [...nodeInfoSchema.required, 'name', 'reachability'] } } }
    }, async (): Promise<NodeView> => view(true))

    app.get('/api/peers', {
      schema: { summary: 'Connected peers', response: { 200: { type: 'array', items: peerSchema } } }
    }, async (): Promise<PeerView[]> => source.libp2p.getConnections().map((c) => ({ peerId: c.remotePeer.toString(), addr: c.remoteAddr.toString() })))

    app.post('/api/peers', {
      schema: {
        summary: 'Connect to a peer',
        body: { type: 'object', additionalProperties: false, required: ['addr'], properties: { addr: { type: 'string', pattern: '^/', maxLength: 1024 } } },
        response: { 201: peerSchema }
      }
    }, async (request, reply) => {
      const { addr } = request.body as { addr: string }
      let ma: Multiaddr
      try {
        ma = multiaddr(addr)
      } catch {
        throw new InvalidMultiaddrError(addr)
      }
      try {
        const connection = await source.libp2p.dial(ma, { signal: AbortSignal.timeout(10_000) })
        const peer: PeerView = { peerId: connection.remotePeer.toString(), addr: connection.remoteAddr.toString() }
        return await reply.status(201).send(peer)
      } catch (err) {
        throw new DialFailedError(addr, err)
      }
    })
  }
}
