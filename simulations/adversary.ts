// Adversary peers for `--adversaries M`: plain libp2p nodes (not Porchlight nodes: no validation of their own)
// that take a resident's rendezvous (links to residents of one res-7 cell), join that cell's topic and publish
// raw invalid announcements at a fixed rate. Every honest node's received RPCs are watched (before validation,
// like traffic.ts) to count invalid messages that arrive from a peer that is not an adversary: forwarded past
// the first hop. Graylisting is read from each honest neighbor's gossipsub score of the adversary.
import { performance } from 'node:perf_hooks'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js'
import { createPorchlightLibp2p, GossipsubInternalsError, joinTopic, peerScore, porchlightScoreThresholds, waitForMeshPeer, TopicValidatorResult, type PorchlightLibp2p } from '../node/p2p/index.js'
import { addressOfPrivateKey, encodeAnnouncement, signTyped, topicName, type Domain, type RequestAnnouncement } from '../protocol/index.js'
import type { City } from './city.js'
import type { Random } from './random.js'
import type { World } from './world.js'
import { pool } from './pool.js'

export const INVALID_KINDS = ['garbage', 'forged-signature', 'unregistered-key', 'bad-proof'] as const
export type InvalidKind = typeof INVALID_KINDS[number]

export interface AttackInit {
  world: World
  city: City
  random: Random
  count: number
  /** Invalid messages per second per adversary. */
  ratePerSecond: number
  transport: 'memory' | 'tcp'
  latencyMs: number
  heartbeatMs?: number
  domain: Domain
  /** A valid announcement seen on the network, the model of the forged ones (garbage only without it). */
  template?: RequestAnnouncement
  /** Residents of its cell each adversary dials. @default 3 */
  links?: number
  progress?: (line: string) => void
}

export interface AttackCounts {
  published: Record<InvalidKind, number>
  /** Invalid messages honest nodes received straight from an adversary. */
  firstHop: number
  /** Invalid messages honest nodes received from an honest peer (target 0). */
  forwarded: number
}

export interface GraylistResult {
  /** Honest peers connected to an adversary when the attack began. */
  neighbors: number
  graylisted: number
  /** ms from the attack's start until each (neighbor, adversary) pair crossed the graylist threshold. */
  msToGraylist: number[]
  /** Adversaries graylisted by every neighbor, and the ms until the last one did. */
  adversariesGraylisted: number
  msUntilAllGraylisted?: number
}

export interface Attack {
  peers: PorchlightLibp2p[]
  counts: () => AttackCounts
  /** Starts publishing; resolves the graylist measure once every neighbor graylisted its adversary or after `timeoutMs`. */
  start: (timeoutMs: number) => Promise<GraylistResult>
  stop: () => Promise<void>
}

interface RouterInternals { handleReceivedRpc: (from: { toString: () => string }, rpc: { messages?: Array<{ data?: Uint8Array }> }) => Promise<void> }

export async function startAttack (init: AttackInit): Promise<Attack> {
  const { world, city, random } = init
  const invalid = new Set<string>()
  const advIds = new Set<string>()
  const counts: AttackCounts = { published: { garbage: 0, 'forged-signature': 0, 'unregistered-key': 0, 'bad-proof': 0 }, firstHop: 0, forwarded: 0 }
  for (const l of world.all()) {
    const router = l.services.pubsub as unknown as Partial<RouterInternals>
    if (typeof router.handleReceivedRpc !== 'function') throw new GossipsubInternalsError('handleReceivedRpc')
    const receive = router.handleReceivedRpc.bind(router)
    router.handleReceivedRpc = async (from, rpc) => {
      for (const m of rpc.messages ?? []) {
        if (m.data === undefined || !invalid.has(bytesToHex(sha256(m.data)))) continue
        if (advIds.has(from.toString())) counts.firstHop++
        else counts.forwarded++
      }
      return await receive(from, rpc)
    }
  }

  const online = city.residents.map((_, i) => i).filter((i) => world.residents[i] !== undefined)
  // Each adversary's cell and its three neighbors are drawn first, in order (the seed fixes them), then the
  // adversaries start a few at a time: one after another, three dials each at 25 ms took ~1 s apiece.
  const plans = Array.from({ length: init.count }, () => {
    const cell = city.residents[random.pick(online)]!.topic
    const members = online.filter((i) => city.residents[i]!.topic === cell)
    return { cell, targets: random.sample(members, init.links ?? 3) }
  })
  const peers = new Array<PorchlightLibp2p>(init.count)
  const cells = plans.map((p) => p.cell)
  const neighbors: PorchlightLibp2p[][] = plans.map(() => [])
  let started = 0
  await pool(plans, 6, async ({ cell, targets }, k) => {
    const l = await createPorchlightLibp2p({
      transport: init.transport,
      memoryLatencyMs: init.latencyMs,
      ...(init.heartbeatMs === undefined ? {} : { heartbeatIntervalMs: init.heartbeatMs }),
      inboundConnectionThreshold: 100_000,
      connectionMonitor: false
    })
    advIds.add(l.peerId.toString())
    // It accepts everything: an adversary relays whatever it gets, and never judges its own traffic.
    joinTopic(l, topicName(cell), { validator: async () => TopicValidatorResult.Accept })
    peers[k] = l
    for (const i of targets) {
      const r = world.residents[i]!.libp2p
      try { await l.dial(r.getMultiaddrs(), { signal: AbortSignal.timeout(15_000) }); neighbors[k]!.push(r) } catch { /* an unreachable resident is one neighbor fewer, not a failed run */ }
    }
    if (++started % 100 === 0) init.progress?.(`adversaries started: ${started}/${init.count}`)
  })
  await Promise.all(peers.map(async (l, k) => { try { await waitForMeshPeer(l, topicName(cells[k]!), { signal: AbortSignal.timeout(30_000) }) } catch { /* an adversary outside every mesh still publishes; the result counts what it reached */ } }))

  let serial = 0
  const craft = (kind: InvalidKind): Uint8Array => {
    const t = init.template
    if (t === undefined || kind === 'garbage') return randomBytes(random.int(16, 2048))
    const message = { ...t.request.message, caseCode: `FORGED-${++serial}` }
    if (kind === 'forged-signature') return encodeAnnouncement({ ...t, request: { message, signature: t.request.signature } })
    if (kind === 'unregistered-key') {
      const key = randomBytes(32)
      return encodeAnnouncement({ ...t, request: signTyped('Request', { ...message, agency: addressOfPrivateKey(key) }, init.domain, key) })
    }
    // A validly signed, registered request whose proof does not lead to the checkpoint.
    return encodeAnnouncement({ ...t, logIndex: t.logIndex + 1 + (++serial), proof: t.proof.length === 0 ? [`0x${bytesToHex(randomBytes(32))}`] : t.proof.map(() => `0x${bytesToHex(randomBytes(32))}`) })
  }
  const timers: Array<ReturnType<typeof setInterval>> = []
  const stopTimers = (): void => { for (const t of timers) clearInterval(t); timers.length = 0 }

  return {
    peers,
    counts: () => structuredClone(counts),
    async start (timeoutMs) {
      const t0 = performance.now()
      peers.forEach((l, k) => {
        let n = k
        timers.push(setInterval(() => {
          const kind = INVALID_KINDS[n++ % INVALID_KINDS.length]!
          let data: Uint8Array
          try { data = craft(kind) } catch { data = randomBytes(64) }
          invalid.add(bytesToHex(sha256(data)))
          counts.published[kind]++
          Promise.resolve().then(async () => { await l.services.pubsub.publish(topicName(cells[k]!), data) }).catch(() => {})
        }, 1000 / init.ratePerSecond))
      })
      const pending = peers.flatMap((adv, k) => neighbors[k]!.map((n) => ({ adv: k, adversary: adv, neighbor: n, at: undefined as number | undefined })))
      // Gossipsub emits no event when a score crosses a threshold: a bounded poll (simulator only).
      while (pending.some((p) => p.at === undefined) && performance.now() - t0 < timeoutMs) {
        // Scores are refreshed once per heartbeat: a poll every 250 ms loses nothing, and with a thousand
        // adversaries (3,000 pairs) a faster one was itself a visible load on the shared loop.
        await new Promise((resolve) => setTimeout(resolve, 250))
        for (const p of pending) {
          if (p.at === undefined && peerScore(p.neighbor.services.pubsub, p.adversary.peerId) < porchlightScoreThresholds.graylistThreshold) p.at = performance.now() - t0
        }
      }
      const per = peers.map((_, k) => pending.filter((p) => p.adv === k))
      const full = per.filter((ps) => ps.length > 0 && ps.every((p) => p.at !== undefined))
      const done = pending.flatMap((p) => p.at === undefined ? [] : [p.at])
      return {
        neighbors: pending.length,
        graylisted: done.length,
        msToGraylist: done,
        adversariesGraylisted: full.length,
        ...(full.length === 0 ? {} : { msUntilAllGraylisted: Math.max(...full.flatMap((ps) => ps.map((p) => p.at!))) })
      }
    },
    async stop () {
      stopTimers()
      await Promise.all(peers.map(async (l) => { try { await l.stop() } catch { /* best effort: one adversary failing to stop must not keep the others running */ } }))
    }
  }
}
