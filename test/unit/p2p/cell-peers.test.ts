// The cell-peers protocol's two checks (node/p2p/cell-peers.ts): a question is `{ topic }` naming one res-7
// request topic in its one spelling; an answer is checked whole, so one bad entry refuses all of it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cellToParent } from 'h3-js'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { checkCellPeersRequest, readCellPeersAnswer, MAX_CELL_PEERS, MAX_CELL_PEER_ADDRS } from '../../../node/p2p/index.js'
import { topicName, topicCell } from '../../../protocol/index.js'
import { sampleRequest } from '../../helpers/messages.js'

const cell9 = sampleRequest().cells[0]!
const cell7 = cellToParent(cell9, 7)

async function newPeerId (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

test('topicCell inverts topicName and nothing else', () => {
  assert.equal(topicCell(topicName(cell7)), cell7)
  for (const topic of [`porchlight/1/req/${cell9}`, `porchlight/1/req/${cell7.toUpperCase()}`, `porchlight/2/req/${cell7}`, `porchlight/1/req/${cell7}/`, 'porchlight/1/req/', cell7]) {
    assert.equal(topicCell(topic), undefined, topic)
  }
})

test('a question is { topic } with a res-7 request topic; anything else is INVALID_CELL_PEERS_REQUEST', () => {
  assert.deepEqual(checkCellPeersRequest({ topic: topicName(cell7) }), { topic: topicName(cell7) })
  const bad: unknown[] = [
    null, 'porchlight', [topicName(cell7)], {}, { topic: 7 }, { topic: topicName(cell7), cells: [] }, { topics: [topicName(cell7)] },
    { topic: `porchlight/1/req/${cell9}` }, { topic: 'porchlight/1/req/zzzz' }, { topic: 'x'.repeat(40_000) }
  ]
  for (const value of bad) {
    assert.throws(() => checkCellPeersRequest(value), { name: 'InvalidCellPeersRequestError', code: 'INVALID_CELL_PEERS_REQUEST' }, JSON.stringify(value)?.slice(0, 80))
  }
})

test('an answer names at most 16 peers, each with 1–4 addresses of its own; the asker, a duplicate or another peer\'s address refuse it all', async () => {
  const self = await newPeerId()
  const relay = await newPeerId()
  const mates = await Promise.all(Array.from({ length: MAX_CELL_PEERS + 1 }, newPeerId))
  const circuit = (p: PeerId): string => `/ip4/203.0.113.7/tcp/4001/p2p/${relay.toString()}/p2p-circuit/p2p/${p.toString()}`
  const entry = (p: PeerId): { id: string, addrs: string[] } => ({ id: p.toString(), addrs: [circuit(p), `/ip4/203.0.113.9/tcp/4001/p2p/${p.toString()}`] })

  const read = readCellPeersAnswer({ peers: mates.slice(0, 2).map(entry) }, self)
  assert.deepEqual(read.map((m) => m.id.toString()), mates.slice(0, 2).map(String))
  assert.deepEqual(read[0]!.addrs.map(String), entry(mates[0]!).addrs)
  assert.deepEqual(readCellPeersAnswer({ peers: [] }, self), [])

  const [a, b] = mates as [PeerId, PeerId]
  const bad: Array<[string, unknown]> = [
    ['not an object', null],
    ['no peers', {}],
    ['more keys', { peers: [], more: 1 }],
    ['too many peers', { peers: mates.map(entry) }],
    ['not a peer id', { peers: [{ id: 'Qm-not-a-peer', addrs: [circuit(a)] }] }],
    ['the asker', { peers: [entry(self)] }],
    ['twice', { peers: [entry(a), entry(a)] }],
    ['no addresses', { peers: [{ id: a.toString(), addrs: [] }] }],
    ['too many addresses', { peers: [{ id: a.toString(), addrs: Array.from({ length: MAX_CELL_PEER_ADDRS + 1 }, (_, i) => `/ip4/203.0.113.${i + 1}/tcp/1/p2p/${a.toString()}`) }] }],
    ['another peer\'s address', { peers: [{ id: a.toString(), addrs: [circuit(b)] }] }],
    ['an address without the peer', { peers: [{ id: a.toString(), addrs: ['/ip4/203.0.113.9/tcp/4001'] }] }],
    ['not an address', { peers: [{ id: a.toString(), addrs: ['/ip4/999.1.1.1/tcp/1'] }] }],
    ['a long address', { peers: [{ id: a.toString(), addrs: [`/dns4/${'a'.repeat(250)}/tcp/1/p2p/${a.toString()}`] }] }],
    ['not a string', { peers: [{ id: a.toString(), addrs: [7] }] }]
  ]
  for (const [why, answer] of bad) {
    assert.throws(() => readCellPeersAnswer(answer, self), { name: 'InvalidCellPeersAnswerError', code: 'INVALID_CELL_PEERS_ANSWER' }, why)
  }
})
