// How a single-use identity dials the agency (node/shares/delivery-identity.ts `routedDialer`), on a stub
// dialer that records what it was asked to dial: `delivery.via: "relay"` never dials a direct address.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { routedDialer, type FootageDialer } from '../../../node/shares/delivery-identity.js'

const agency = '12D3KooWLtFqtv8bG6wRPaVxn2K5oH2FoYVqNa6CcPBuW7TaNJGP'
const relay = '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo'
const own = multiaddr(`/ip4/203.0.113.5/tcp/4001/p2p/${agency}`)
const relayed = multiaddr(`/ip4/203.0.113.1/tcp/4001/p2p/${relay}/p2p-circuit/p2p/${agency}`)

/** A dialer that fails the addresses in `failing` and records every call (addresses, and whether limited connections were allowed). */
function stub (failing: Multiaddr[] = []): { dialer: FootageDialer, calls: Array<{ addrs: string[], limited: boolean | undefined }> } {
  const calls: Array<{ addrs: string[], limited: boolean | undefined }> = []
  const dialer: FootageDialer = {
    async dialProtocol (target, _protocols, options = {}) {
      const addrs = (target as Multiaddr[]).map(String)
      calls.push({ addrs, limited: (options as { runOnLimitedConnection?: boolean }).runOnLimitedConnection })
      if (addrs.some((a) => failing.map(String).includes(a))) throw new Error('unreachable')
      return { status: 'open' } as any
    }
  }
  return { dialer, calls }
}

test('via "relay" dials only the relayed addresses, allowing the limited connection a relay gives', async () => {
  const { dialer, calls } = stub()
  await routedDialer(dialer, 'relay').dialProtocol([own, relayed], '/p', {})
  assert.deepEqual(calls, [{ addrs: [relayed.toString()], limited: true }])
})

test('via "relay" with no relayed address is NO_RELAY_PATH, and nothing is dialled', async () => {
  const { dialer, calls } = stub()
  await assert.rejects(routedDialer(dialer, 'relay').dialProtocol([own], '/p', {}), { name: 'NoRelayPathError', code: 'NO_RELAY_PATH' })
  await assert.rejects(routedDialer(dialer, 'relay').dialProtocol([own, relayed].slice(0, 1)[0]!, '/p', {}), { code: 'NO_RELAY_PATH' })
  assert.deepEqual(calls, [])
})

test('via "direct" dials the agency\'s own addresses first, and its relayed ones only when those fail', async () => {
  const ok = stub()
  await routedDialer(ok.dialer, 'direct').dialProtocol([relayed, own], '/p', {})
  assert.deepEqual(ok.calls.map((c) => c.addrs), [[own.toString()]])
  const fallback = stub([own])
  await routedDialer(fallback.dialer, 'direct').dialProtocol([relayed, own], '/p', {})
  assert.deepEqual(fallback.calls.map((c) => c.addrs), [[own.toString()], [relayed.toString()]])
})

test('an aborted dial is not retried through a relay', async () => {
  const { dialer, calls } = stub([own])
  const controller = new AbortController()
  controller.abort(new Error('withdrawn'))
  await assert.rejects(routedDialer(dialer, 'direct').dialProtocol([own, relayed], '/p', { signal: controller.signal }))
  assert.equal(calls.length, 1)
})
