// The delivery limiter on its own (node/deliveries/delivery-limits.ts): who a sender is, what a reservation
// takes and gives back, and the bound on what remote senders can make it remember.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { defaults, type FootageLimits } from '../../../node/config/index.js'
import { DeliveryLimiter, SENDER_TALLIES, senderOf } from '../../../node/deliveries/index.js'

const peer = '12D3KooWLtFqtv8bG6wRPaVxn2K5oH2FoYVqNa6CcPBuW7TaNJGP'
const on = (addr: string): ReturnType<typeof senderOf> => senderOf({ remotePeer: { toString: () => peer }, remoteAddr: multiaddr(addr) })
const roomy = async (): Promise<{ bavail: number, bsize: number }> => ({ bavail: 2 ** 50, bsize: 1 })

function limiter (limits: Partial<FootageLimits> = {}): DeliveryLimiter {
  return new DeliveryLimiter({ limits: { ...defaults.footage, ...limits }, root: '/nowhere', statfs: roomy })
}

test('a sender is its peer id and its address: IPv4 whole, IPv6 by its /64, IPv4-mapped IPv6 as IPv4, none without IP', () => {
  assert.deepEqual(on('/ip4/203.0.113.7/tcp/4001'), { peer, address: 'ip4:203.0.113.7' })
  assert.deepEqual(on('/ip6/2001:db8:1:2:aaaa::1/tcp/4001'), { peer, address: 'ip6:20010db800010002' })
  assert.equal(on('/ip6/2001:db8:1:2:ffff::9/tcp/1').address, on('/ip6/2001:db8:1:2::1/tcp/1').address)
  assert.notEqual(on('/ip6/2001:db8:1:3::1/tcp/1').address, on('/ip6/2001:db8:1:2::1/tcp/1').address)
  assert.equal(on('/ip6/::ffff:198.51.100.4/tcp/1').address, 'ip4:198.51.100.4')
  assert.deepEqual(on('/memory/abc'), { peer })
  assert.deepEqual(senderOf(undefined), { peer: 'unknown' })
})

test('a failed transfer gives back its reservation; a delivered one keeps it', async () => {
  const l = limiter({ perRequest: { deliveries: 1, bytes: 100, concurrent: 4 } })
  const sender = { peer: 'a', address: 'ip4:192.0.2.1' }
  const failed = l.open(sender)
  await failed.reserve('r', 100)
  const over = l.open({ peer: 'b' })
  await assert.rejects(over.reserve('r', 1), { name: 'DeliveryQuotaExceededError' })
  over.release()
  failed.release()
  const delivered = l.open(sender)
  await delivered.reserve('r', 100)
  delivered.commit()
  delivered.release()
  const late = l.open({ peer: 'c' })
  await assert.rejects(late.reserve('r', 1), (err: any) => err.code === 'DELIVERY_QUOTA_EXCEEDED' && err.details.scope === 'request')
  late.release()
  assert.equal(l.active, 0)
})

test('20,000 distinct senders leave at most SENDER_TALLIES (sender, request) counts in memory', async () => {
  const l = limiter({ perRequest: { ...defaults.footage.perRequest, deliveries: 1_000_000 } })
  for (let i = 0; i < 20_000; i++) {
    const slot = l.open({ peer: `p${i}`, address: `ip4:10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` })
    await slot.reserve(`r${i % 7}`, 1)
    slot.commit()
    slot.release()
  }
  assert.equal(l.tallied, SENDER_TALLIES)
})

test('a relayed sender is told by its relay\'s peer id, never by the relay\'s IP, and its relay is counted under the request\'s quota', async () => {
  const relay = '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo'
  assert.deepEqual(on(`/ip4/203.0.113.9/tcp/4001/p2p/${relay}/p2p-circuit/p2p/${peer}`), { peer, relay })
  // Four households through one relay: past the per-sender quota (here 2 at once), within the request's (4).
  const l = limiter({ perSender: { deliveries: 16, bytes: 1 << 30, concurrent: 2 }, perRequest: { deliveries: 64, bytes: 1 << 30, concurrent: 4 } })
  const slots = ['a', 'b', 'c', 'd'].map((p) => l.open({ peer: p, relay }))
  assert.throws(() => l.open({ peer: 'e', relay }), (err: any) => err.name === 'TooManyTransfersError' && err.details.scope === 'relay')
  for (const s of slots) s.release()
  assert.equal(l.active, 0)
})
