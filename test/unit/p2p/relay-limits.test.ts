// The agency proof a relay checks before it gives footage limits (node/p2p/relay-limits.ts), on its own: the
// text, the signature, the peers it names and its expiry, each failing with its own reason.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Wallet, verifyMessage } from 'ethers'
import { MAX_RELAY_PROOF_SECONDS, relayProofText, reservationLimit, signRelayProof, verifyRelayProof } from '../../../node/p2p/relay-limits.js'
import { relaysOf } from '../../../node/deliveries/relay-proofs.js'
import { multiaddr } from '@multiformats/multiaddr'

const agencyPeer = '12D3KooWLtFqtv8bG6wRPaVxn2K5oH2FoYVqNa6CcPBuW7TaNJGP'
const relayPeer = '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo'
const wallet = Wallet.createRandom()
const now = 1_800_000_000
const expected = { agencyPeer, relayPeer, now }
const proof = signRelayProof({ agencyPeer, relayPeer, expiresAt: now + 3600 }, wallet.privateKey)

const reason = (frame: unknown, exp = expected): string | undefined => {
  try { verifyRelayProof(frame, exp); return undefined } catch (err) { assert.equal((err as Error).name, 'InvalidRelayProofError'); return (err as { details: { reason: string } }).details.reason }
}

test('an agency\'s proof recovers its address, with any Ethereum tool (EIP-191 over a fixed text)', () => {
  assert.equal(verifyRelayProof(proof, expected).agency, wallet.address)
  assert.equal(verifyMessage(relayProofText(proof), proof.signature), wallet.address)
  assert.match(relayProofText(proof), new RegExp(`agency peer: ${agencyPeer}\nrelay peer: ${relayPeer}\nexpires at: ${now + 3600}\n$`))
})

test('each check fails with its reason: shape, relay, peer, expiry, too long ahead, signature', () => {
  assert.equal(reason('proof'), 'malformed')
  assert.equal(reason({ ...proof, extra: 1 }), 'malformed')
  assert.equal(reason({ ...proof, expiresAt: 1.5 }), 'malformed')
  assert.equal(reason({ ...proof, agencyPeer: 'x'.repeat(129) }), 'malformed')
  assert.equal(reason(proof, { ...expected, relayPeer: agencyPeer }), 'relay')
  assert.equal(reason(proof, { ...expected, agencyPeer: relayPeer }), 'peer')
  assert.equal(reason(proof, { ...expected, now: now + 3600 }), 'expired')
  const far = signRelayProof({ agencyPeer, relayPeer, expiresAt: now + MAX_RELAY_PROOF_SECONDS + 1 }, wallet.privateKey)
  assert.equal(reason(far), 'too-long')
  assert.equal(reason({ ...proof, signature: '0x1234' }), 'signature')
})

test('a field changed after signing recovers another address (the relay\'s registry then refuses it)', () => {
  const { agency } = verifyRelayProof({ ...proof, expiresAt: proof.expiresAt - 1 }, expected)
  assert.notEqual(agency, wallet.address)
})

test('a reservation\'s limit is what the relay server reads: milliseconds and a bigint', () => {
  assert.deepEqual(reservationLimit({ durationSeconds: 60, dataBytes: 1024 }), { duration: 60_000, data: 1024n })
})

test('an agency proves itself to the relays of its circuit addresses, once each', () => {
  const relays = relaysOf([
    multiaddr(`/ip4/203.0.113.1/tcp/4001/p2p/${relayPeer}/p2p-circuit/p2p/${agencyPeer}`),
    multiaddr(`/ip4/203.0.113.1/tcp/4002/ws/p2p/${relayPeer}/p2p-circuit/p2p/${agencyPeer}`),
    multiaddr(`/ip4/203.0.113.5/tcp/4001/p2p/${agencyPeer}`),
    multiaddr('/p2p-circuit')
  ])
  assert.deepEqual([...relays], [relayPeer])
})
