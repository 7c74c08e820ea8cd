// Real witness nodes (libp2p on 127.0.0.1, the HTTP API on port 0): every C2SP tlog-witness status one by one
// over HTTP and over libp2p `/porchlight/witness/1.0.0`, the same answers through the client, what auditors
// and the council read, a registry that decides which agencies count, and the refusals in /metrics.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import type { Counter } from 'prom-client'
import {
  formatAddCheckpoint, openCheckpoint, parseSignedNote, parseVerifierKey, verifyCosignature
} from '../../../protocol/tlog/index.js'
import type { RegisteredWitness } from '../../../protocol/index.js'
import { sendWitnessRequest, witnessClient, type WitnessAnswer } from '../../../node/witness/index.js'
import type { RegistryReader } from '../../../node/chain/chain-service.js'
import type { AgencyInfo } from '../../../node/chain/agency-info.js'
import { startWitnesses } from '../../helpers/witnesses.js'
import { TestLog } from '../../helpers/witness-log.js'
import { hasPromtool, promtoolCheck } from '../../helpers/promtool.js'

const CHAIN_ID = 31337
const witnesses = await startWitnesses(2, { chainId: CHAIN_ID })
after(async () => { await witnesses.stopAll() })
const [w0] = witnesses.set as [RegisteredWitness, RegisteredWitness]
const target = witnesses.nodes[0]!
// Witness 1's node is the libp2p caller (a node cannot dial itself).
const caller = witnesses.nodes[1]!.libp2p

type Send = (body: string) => Promise<WitnessAnswer>
const transports: Array<[string, Send]> = [
  ['HTTP', async (body) => {
    const res = await fetch(`${w0.url}/add-checkpoint`, { method: 'POST', body })
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() }
  }],
  ['libp2p', async (body) => await sendWitnessRequest(caller, multiaddr(w0.multiaddr), { addCheckpoint: body })]
]

async function counts (): Promise<Record<string, number>> {
  const metric = target.services.metrics.registry.getSingleMetric('porchlight_witness_add_checkpoint_total') as Counter<'result'>
  return Object.fromEntries((await metric.get()).values.map((v) => [String(v.labels.result), v.value]))
}

const codeOf = (answer: WitnessAnswer): string => (JSON.parse(answer.body) as { error: { code: string } }).error.code

for (const [transport, send] of transports) {
  test(`${transport}: each C2SP status, one by one`, async () => {
    const log = new TestLog(CHAIN_ID).grow(4)
    const before = await counts()

    const ok = await send(log.body(0))
    assert.equal(ok.status, 200)
    assert.match(ok.contentType, /^text\/plain/)
    const { name, publicKey } = parseVerifierKey(w0.vkey)
    verifyCosignature({ name, publicKey, checkpoint: parseSignedNote(log.checkpoint()).text, cosignature: ok.body })

    log.grow(3)
    const stale = await send(log.body(2))
    assert.deepEqual(stale, { status: 409, contentType: 'text/x.tlog.size', body: '4\n' })

    const sameSize = log.fork(2, 2) // size 4 with another root
    const split = await send(formatAddCheckpoint({ oldSize: 4, proof: [], checkpoint: sameSize.checkpoint() }))
    assert.deepEqual(split, { status: 409, contentType: 'text/x.tlog.size', body: '4\n' })

    const later = log.fork(3, 5) // size 8, shares only 3 entries with what was cosigned
    const inconsistent = await send(later.body(4))
    assert.equal(inconsistent.status, 422)
    assert.equal(codeOf(inconsistent), 'INCONSISTENT_CHECKPOINT')

    const otherChain = await send(new TestLog(5).grow(1).body(0))
    assert.equal(otherChain.status, 404)
    assert.equal(codeOf(otherChain), 'UNKNOWN_ORIGIN')

    const other = new TestLog(CHAIN_ID).grow(1)
    const unsigned = `${parseSignedNote(log.checkpoint()).text}\n${other.checkpoint().split('\n\n')[1]!.replace(other.origin, log.origin)}`
    const forbidden = await send(formatAddCheckpoint({ oldSize: 4, proof: log.tree.consistencyProof(4, 7), checkpoint: unsigned }))
    assert.equal(forbidden.status, 403)
    assert.equal(codeOf(forbidden), 'UNVERIFIED_CHECKPOINT')

    const malformed = await send('old 1\nnot base64\n\n')
    assert.equal(malformed.status, 400)
    assert.equal(codeOf(malformed), 'INVALID_WITNESS_MESSAGE')
    const oldTooLarge = await send(`old 9\n\n${log.checkpoint()}`)
    assert.equal(oldTooLarge.status, 400)
    assert.equal(codeOf(oldTooLarge), 'OLD_SIZE_TOO_LARGE')

    // After all that, the honest next checkpoint is still the one it takes.
    assert.equal((await send(log.body(4))).status, 200)
    const after = await counts()
    const delta = (r: string): number => (after[r] ?? 0) - (before[r] ?? 0)
    assert.deepEqual(
      ['cosigned', 'conflict', 'inconsistent', 'unknown-origin', 'bad-signature', 'malformed'].map(delta),
      [2, 2, 1, 1, 1, 2]
    )
  })
}

test('HTTP: any content type, or none, is read as the text body', async () => {
  const log = new TestLog(CHAIN_ID).grow(2)
  const res = await fetch(`${w0.url}/add-checkpoint`, { method: 'POST', body: log.body(0), headers: { 'content-type': 'application/octet-stream' } })
  assert.equal(res.status, 200)
  const empty = await fetch(`${w0.url}/add-checkpoint`, { method: 'POST' })
  assert.equal(empty.status, 400)
  assert.equal(((await empty.json()) as { error: { code: string } }).error.code, 'INVALID_WITNESS_MESSAGE')
})

test('libp2p: a frame that is not a witness request is a 400, and the stream still answers', async () => {
  const answer = await sendWitnessRequest(caller, multiaddr(w0.multiaddr), { nonsense: 1 } as never)
  assert.equal(answer.status, 400)
})

test('the client: cosigned, conflict, and typed refusals over both transports', async () => {
  for (const libp2p of [undefined, caller]) {
    const client = witnessClient(w0, libp2p)
    const log = new TestLog(CHAIN_ID).grow(3)
    const first = await client.addCheckpoint({ oldSize: 0, proof: [], checkpoint: log.checkpoint() })
    assert.equal(first.status, 'cosigned')
    log.grow(2)
    assert.deepEqual(await client.addCheckpoint({ oldSize: 1, proof: log.tree.consistencyProof(1, 5), checkpoint: log.checkpoint() }), { status: 'conflict', latestSize: 3 })
    const fork = log.fork(1, 2)
    await assert.rejects(client.addCheckpoint({ oldSize: 3, proof: [], checkpoint: fork.checkpoint() }), (err: { name: string, details: Record<string, unknown> }) => {
      assert.equal(err.name, 'WitnessRefusedError')
      assert.deepEqual(err.details, { witness: w0.name, status: 409, reason: 'CONFLICTING_ROOT' })
      return true
    })
    await assert.rejects(client.addCheckpoint({ oldSize: 0, proof: [], checkpoint: new TestLog(7).grow(1).checkpoint() }), (err: { name: string, details: Record<string, unknown> }) => {
      assert.deepEqual([err.name, err.details.status, err.details.reason], ['WitnessRefusedError', 404, 'UNKNOWN_ORIGIN'])
      return true
    })
    const next = await client.addCheckpoint({ oldSize: 3, proof: log.tree.consistencyProof(3, 5), checkpoint: log.checkpoint() })
    assert.equal(next.status, 'cosigned')
    // What an auditor polls: the checkpoint with the agency's signature and this cosignature.
    const latest = (await client.latest(log.origin))!
    assert.equal(openCheckpoint(latest, log.origin).checkpoint.size, 5)
    assert.ok(latest.endsWith((next as { cosignatures: string[] }).cosignatures[0]!))
    assert.equal(await client.latest(new TestLog(CHAIN_ID).origin), undefined)
  }
})

test('the client: a witness that is not there is WITNESS_UNREACHABLE, and a timeout too', async () => {
  const gone: RegisteredWitness = { ...w0, url: 'http://127.0.0.1:1', multiaddr: '' }
  const log = new TestLog(CHAIN_ID).grow(1)
  await assert.rejects(witnessClient(gone).addCheckpoint({ oldSize: 0, proof: [], checkpoint: log.checkpoint() }), { name: 'WitnessUnreachableError' })
  const aborted = AbortSignal.abort()
  await assert.rejects(witnessClient(w0, caller).latest(log.origin, { signal: aborted }), (err: { name: string, details: { reason: string } }) => {
    assert.deepEqual([err.name, err.details.reason], ['WitnessUnreachableError', 'TIMEOUT'])
    return true
  })
  await assert.rejects(witnessClient({ ...w0, url: '', multiaddr: '' }).latest(log.origin), { name: 'WitnessUnreachableError' })
})

test('GET /api/witness and GET /witness/checkpoints/<origin>, public', async () => {
  const view = await (await fetch(`${w0.url}/api/witness`)).json() as { name: string, vkey: string, multiaddrs: string[] }
  assert.deepEqual({ name: view.name, vkey: view.vkey }, { name: w0.name, vkey: w0.vkey })
  assert.ok(view.multiaddrs.includes(w0.multiaddr))
  const log = new TestLog(CHAIN_ID).grow(2)
  const none = await fetch(`${w0.url}/witness/checkpoints/${encodeURIComponent(log.origin)}`)
  assert.equal(none.status, 404)
  assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'NO_COSIGNED_CHECKPOINT')
  await fetch(`${w0.url}/add-checkpoint`, { method: 'POST', body: log.body(0) })
  const res = await fetch(`${w0.url}/witness/checkpoints/${encodeURIComponent(log.origin)}`)
  assert.equal(res.status, 200)
  assert.equal(openCheckpoint(await res.text(), log.origin).checkpoint.size, 2)
})

test('/metrics: the witness figures, as valid Prometheus text', async (t) => {
  const text = await (await fetch(`${w0.url}/metrics`, { headers: { authorization: `Bearer ${target.keys.apiToken}` } })).text()
  assert.match(text, /^porchlight_witness_origins \d+$/m)
  assert.match(text, /^porchlight_witness_add_checkpoint_total\{result="cosigned"\} \d+$/m)
  if (!hasPromtool) { t.skip('promtool is not installed (Debian package prometheus)'); return }
  const checked = await promtoolCheck(text)
  assert.equal(checked.code, 0, checked.output)
})

test('with a registry, only agencies registered on the chain (any status but none) are followed', async () => {
  const registered = new TestLog(CHAIN_ID).grow(1)
  const revoked = new TestLog(CHAIN_ID).grow(1)
  const statusOf = (a: string): AgencyInfo['status'] => a === registered.address ? 'active' : a === revoked.address ? 'revoked' : 'none'
  const registry = {
    agencyInfo: async (agency: string) => ({ address: agency, name: '', cells: [], validUntil: 0, status: statusOf(agency.toLowerCase()) }),
    isActive: async () => false,
    jurisdictionOf: async () => [],
    witnessSet: async () => ({ quorum: 0, witnesses: [] })
  } satisfies RegistryReader
  const chained = await startWitnesses(1, { chainId: CHAIN_ID, registry, namePrefix: 'chained' })
  try {
    const client = witnessClient(chained.set[0]!)
    assert.equal((await client.addCheckpoint({ oldSize: 0, proof: [], checkpoint: registered.checkpoint() })).status, 'cosigned')
    // A revoked agency's log is still witnessed: its past checkpoints stay checkable.
    assert.equal((await client.addCheckpoint({ oldSize: 0, proof: [], checkpoint: revoked.checkpoint() })).status, 'cosigned')
    await assert.rejects(client.addCheckpoint({ oldSize: 0, proof: [], checkpoint: new TestLog(CHAIN_ID).grow(1).checkpoint() }), (err: { details: { status: number, reason: string } }) => {
      assert.deepEqual([err.details.status, err.details.reason], [404, 'UNKNOWN_ORIGIN'])
      return true
    })
  } finally {
    await chained.stopAll()
  }
})
