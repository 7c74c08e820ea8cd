// The shape of a role service (the chain, the request network, a resident's inbox, the auditor …), after
// js-libp2p's: `feature(init)` returns a factory that the node calls with the components the service uses.
// A role declares each service with what it needs (node/roles.ts); the node builds them in dependency order,
// hands each the ones it named, starts them in that order and stops them in reverse, in one place
// (node/compose.ts). A service never registers HTTP routes itself: it declares them, the node mounts them.
import type { FastifyPluginAsync } from 'fastify'
import type { PeerId } from '@libp2p/interface'
import type { NodeConfig, NodeKeys } from './config/index.js'
import type { Store } from './storage/index.js'
import type { PorchlightLibp2p } from './p2p/index.js'
import type { Logger } from './logging/index.js'
import type { ApiServer } from './api/index.js'

export interface NodeService {
  start?: () => void | Promise<void>
  stop?: () => void | Promise<void>
}

/** The node's own parts, built before any service; every service may use them. */
export interface NodeComponents {
  config: NodeConfig
  /** The node's directory; undefined for a node made from a config alone (its store is temporary). */
  dir: string | undefined
  keys: NodeKeys
  peerId: PeerId
  store: Store
  libp2p: PorchlightLibp2p
  /** The node's logger (JSON lines); a service logs through a child: `logger.child({ component })`. */
  logger: Logger
  /**
   * What the HTTP API refuses before any route runs (for the node's figures), and where it listens once
   * started (a notification's link); never its routes or server.
   */
  api: Pick<ApiServer, 'on' | 'off' | 'address' | 'acceptUsers'>
}

/** A service's HTTP routes, as a fastify plug-in the node's API server mounts. */
export type ServiceRoutes = FastifyPluginAsync

/** The services a component type may name: what it holds beyond the node's own parts. */
export type ServiceNames<C> = Exclude<keyof C, keyof NodeComponents> & string

/** The services it must name: those it holds beyond the node's own parts and does not mark optional. */
export type NeededNames<C> = Exclude<{ [K in keyof C]-?: object extends Pick<C, K> ? never : K }[keyof C], keyof NodeComponents> & string

export interface ServiceSpec<S extends object = NodeService> {
  /** The services this one uses, by name: built and started before it, and handed to it under those names. */
  readonly needs: readonly string[]
  readonly create: (components: NodeComponents & Record<string, unknown>) => S
  /** Its HTTP routes, mounted by the node (a method, so a spec of any service is a `ServiceSpec`). */
  routes? (service: S): ServiceRoutes
}

export type ServiceSpecs<S extends Record<string, object>> = { [K in keyof S]: ServiceSpec<S[K]> }

/**
 * Declares a service: its factory, the services it needs (the compiler checks that `needs` names every
 * component the factory's type asks for beyond the node's own parts) and its routes.
 */
export function defineService<S extends object, C extends Partial<NodeComponents>, const N extends ReadonlyArray<ServiceNames<C>>> (
  create: (components: C) => S,
  opts: { needs: N & ([NeededNames<C>] extends [N[number]] ? unknown : { missing: Exclude<NeededNames<C>, N[number]> }), routes?: (service: S) => ServiceRoutes }
): ServiceSpec<S> {
  return {
    needs: opts.needs,
    create: create as unknown as ServiceSpec<S>['create'],
    ...(opts.routes === undefined ? {} : { routes: opts.routes })
  }
}
