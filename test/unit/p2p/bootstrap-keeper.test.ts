// The bootstrap keeper on stubs of libp2p's connection manager, peer store and events: it dials a
// bootstrap peer that is not connected until it is, and stop() leaves no dial and no timer behind.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { BootstrapKeeper, type BootstrapKeeperComponents, type BootstrapKeeperInit } from '../../../node/p2p/index.js'

const silent = { debug: () => {}, info: () => {} } as unknown as NonNullable<BootstrapKeeperInit['log']>

async function newPeerId (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

interface World {
  keeper: BootstrapKeeper
  peer: PeerId
  /** Every dial the keeper made, with the signal it passed. */
  dials: Array<{ target: Multiaddr, signal: AbortSignal }>
  /** Whether the connection manager reports a connection to the peer. */
  connected: { now: boolean }
  events: EventTarget
}

/** A keeper over one bootstrap peer; `dial` decides how each dial ends (by its number, from 1). */
async function world (dial: (n: number, signal: AbortSignal) => Promise<unknown>, init: Partial<BootstrapKeeperInit> = {}): Promise<World> {
  const peer = await newPeerId()
  const dials: World['dials'] = []
  const connected = { now: false }
  const events = new EventTarget()
  const components: BootstrapKeeperComponents = {
    peerId: await newPeerId(),
    connectionManager: {
      openConnection: async (target, { signal }) => { dials.push({ target, signal }); return await dial(dials.length, signal) },
      getConnections: () => connected.now ? [{}] : []
    },
    peerStore: {
      // No keep-alive tag: as after libp2p's reconnects gave up.
      get: async () => ({ tags: new Map() }) as never,
      merge: async () => ({}) as never
    },
    events,
    logger: undefined as never
  }
  const keeper = new BootstrapKeeper(components, { list: [`/ip4/127.0.0.1/tcp/4001/p2p/${peer.toString()}`], minDelayMs: 5, maxDelayMs: 20, log: silent, ...init })
  return { keeper, peer, dials, connected, events }
}

const refused = async (): Promise<never> => { throw Object.assign(new Error('refused'), { name: 'EncryptionFailedError' }) }
/** A dial that hangs until its signal aborts, as a dial to a host that drops SYNs does. */
const hanging = async (_n: number, signal: AbortSignal): Promise<never> => await new Promise((_resolve, reject) => {
  signal.addEventListener('abort', () => { reject(signal.reason) }, { once: true })
})
const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

/** Turns of the event loop until `done()` holds; fails rather than hangs if it never does. */
async function until (done: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve))
  assert.equal(done(), true)
}

test('a bootstrap peer whose dials are refused is dialled again until one connects, each failure a BOOTSTRAP_DIAL_FAILED', async (t) => {
  const w = await world(async (n) => { if (n < 3) return await refused(); w.connected.now = true; return {} })
  t.after(async () => { await w.keeper.stop() })
  const failures: string[] = []
  w.keeper.on('dial:failed', ({ error }) => { failures.push(error.code) })
  const connected = once(w.keeper, 'dial:connected')
  w.keeper.start()
  w.keeper.afterStart()

  const [{ attempt, peerId }] = await connected
  assert.equal(attempt, 3)
  assert.equal(peerId, w.peer.toString())
  assert.deepEqual(failures, ['BOOTSTRAP_DIAL_FAILED', 'BOOTSTRAP_DIAL_FAILED'])
  assert.equal(w.dials[0]!.target.toString(), `/ip4/127.0.0.1/tcp/4001/p2p/${w.peer.toString()}`)
  assert.equal(w.keeper.disconnected(), 0)
})

test('stop() during a pending bootstrap dial aborts it and leaves no dial and no timer', async () => {
  const before = timers()
  const w = await world(hanging)
  const attempted = once(w.keeper, 'dial:attempted')
  w.keeper.start()
  w.keeper.afterStart()
  await attempted
  assert.equal(w.keeper.redialling(), true)

  await w.keeper.stop()

  assert.equal(w.dials.length, 1)
  assert.equal(w.dials[0]!.signal.aborted, true)
  assert.equal(w.keeper.redialling(), false)
  assert.equal(timers(), before)
})

test('stop() while waiting to redial clears the backoff timer, and the failure it waited after is the only one', async () => {
  const before = timers()
  const w = await world(refused, { minDelayMs: 60_000, maxDelayMs: 60_000 })
  const failed: number[] = []
  w.keeper.on('dial:failed', ({ attempt }) => { failed.push(attempt) })
  const first = once(w.keeper, 'dial:failed')
  w.keeper.start()
  w.keeper.afterStart()
  await first
  // p-retry arms its timer after onFailedAttempt returns: wait for it to be armed.
  await until(() => timers() > before)

  await w.keeper.stop()

  assert.equal(timers(), before)
  assert.equal(w.keeper.redialling(), false)
  assert.deepEqual(failed, [1])
  assert.equal(w.dials.length, 1)
})

const losses = [
  ['peer:reconnect-failure', 'once libp2p\'s own reconnects give up'],
  ['peer:disconnect', 'when it drops without the keep-alive tag (libp2p will not redial it)']
] as const

for (const [event, when] of losses) {
  test(`a connected bootstrap peer is not dialled; ${when}, it is`, async (t) => {
    const w = await world(hanging)
    t.after(async () => { await w.keeper.stop() })
    w.connected.now = true
    w.keeper.start()
    w.keeper.afterStart()
    assert.equal(w.dials.length, 0)
    assert.equal(w.keeper.redialling(), false)

    w.connected.now = false
    const attempted = once(w.keeper, 'dial:attempted')
    w.events.dispatchEvent(new CustomEvent(event, { detail: w.peer }))
    await attempted
    assert.equal(w.dials.length, 1)
  })
}

test('a connection to the peer ends the redial loop at once (no dial after it)', async () => {
  const before = timers()
  const w = await world(refused, { minDelayMs: 60_000, maxDelayMs: 60_000 })
  const first = once(w.keeper, 'dial:failed')
  w.keeper.start()
  w.keeper.afterStart()
  await first
  await until(() => timers() > before)

  // The peer dialled us (or libp2p's reconnect got through): the waiting timer goes with the loop.
  w.connected.now = true
  w.events.dispatchEvent(new CustomEvent('peer:connect', { detail: w.peer }))
  await until(() => !w.keeper.redialling())

  assert.equal(timers(), before)
  assert.equal(w.dials.length, 1)
  await w.keeper.stop()
})
