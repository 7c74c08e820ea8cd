// Joining gossip topics and knowing when a publish will reach someone. A message published right after
// subscribing is lost if no mesh exists yet, so readiness is an event (a GRAFT, a peer's SUBSCRIBE), never
// a sleep.
import type { TopicValidatorFn } from '@libp2p/gossipsub'
import type { TopicScoreParams } from '@libp2p/gossipsub/score'
import type { AbortOptions } from '@libp2p/interface'
import { PorchlightError } from '../../protocol/errors.js'
import { routerOf, scoreTopic } from './scoring.js'
import type { PorchlightLibp2p } from './libp2p.js'

export type { TopicValidatorFn }
export { TopicValidatorResult } from '@libp2p/gossipsub'

/** waitForMeshPeer was asked about a topic this node has not joined (it would never form a mesh). */
export class TopicNotJoinedError extends PorchlightError {
  static override readonly code = 'TOPIC_NOT_JOINED'
  static override readonly status = 500
  constructor (topic: string) {
    super(TopicNotJoinedError.code, `not subscribed to ${topic}`, { details: { topic } })
    this.name = 'TopicNotJoinedError'
  }
}

export interface JoinTopicOptions {
  /** Runs before a message is delivered or forwarded; Reject lowers the sender's score. */
  validator?: TopicValidatorFn
  /** @default requestTopicScoreParams */
  scoreParams?: TopicScoreParams
}

/** Scores `topic`, registers its validator, then subscribes (in that order, so no message skips either). */
export function joinTopic (libp2p: PorchlightLibp2p, topic: string, options: JoinTopicOptions = {}): void {
  const pubsub = libp2p.services.pubsub
  scoreTopic(pubsub, topic, options.scoreParams)
  if (options.validator !== undefined) pubsub.topicValidators.set(topic, options.validator)
  pubsub.subscribe(topic)
}

export function leaveTopic (libp2p: PorchlightLibp2p, topic: string): void {
  const pubsub = libp2p.services.pubsub
  pubsub.unsubscribe(topic)
  pubsub.topicValidators.delete(topic)
}

/** Resolves with a peer id once this node's mesh for `topic` has a peer (at once if it has one). */
export async function waitForMeshPeer (libp2p: PorchlightLibp2p, topic: string, options: AbortOptions = {}): Promise<string> {
  const pubsub = libp2p.services.pubsub
  if (!pubsub.getTopics().includes(topic)) throw new TopicNotJoinedError(topic)
  const router = routerOf(pubsub)
  return await waitFor(options.signal, () => router.getMeshPeers(topic)[0], (check) => {
    pubsub.addEventListener('gossipsub:graft', check)
    return () => { pubsub.removeEventListener('gossipsub:graft', check) }
  })
}

/**
 * Resolves with a peer id once some connected peer is subscribed to `topic` and this node has its stream to
 * that peer open: what a publisher that does not itself join the topic (an agency) needs before a publish
 * reaches anyone. The subscription arrives on the peer's stream; ours is opened separately, one peer at a
 * time, so on a node with a hundred new connections it can trail by seconds. Its opening has no event: the
 * heartbeat is when we look again (as the agency's publisher does).
 */
export async function waitForTopicPeer (libp2p: PorchlightLibp2p, topic: string, options: AbortOptions = {}): Promise<string> {
  const pubsub = libp2p.services.pubsub
  const router = routerOf(pubsub)
  const probe = (): string | undefined => pubsub.getSubscribers(topic).map(String).find((id) => router.streamsOutbound.has(id))
  return await waitFor(options.signal, probe, (check) => {
    pubsub.addEventListener('subscription-change', check)
    pubsub.addEventListener('gossipsub:heartbeat', check)
    return () => {
      pubsub.removeEventListener('subscription-change', check)
      pubsub.removeEventListener('gossipsub:heartbeat', check)
    }
  })
}

/** Resolves with `probe()` once it is defined: at once, or on an event `listen` subscribes `check` to; rejects with the signal's reason. */
export async function waitFor<T> (signal: AbortSignal | undefined, probe: () => T | undefined, listen: (check: () => void) => () => void): Promise<T> {
  const now = probe()
  if (now !== undefined) return now
  signal?.throwIfAborted()
  return await new Promise<T>((resolve, reject) => {
    const check = (): void => {
      const found = probe()
      if (found !== undefined) { done(); resolve(found) }
    }
    const onAbort = (): void => { done(); reject(signal?.reason) }
    const unlisten = listen(check)
    const done = (): void => { unlisten(); signal?.removeEventListener('abort', onAbort) }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
