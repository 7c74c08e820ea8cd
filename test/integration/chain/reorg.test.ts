// A reorg that drops an anchor (issue 21, item 3), made with evm_snapshot/evm_revert on the embedded chain.
// The agency's client waits for its confirmations; the reorg takes its mined anchor out, and it sends it
// again. An auditor that reads confirmed blocks only never saw what the reorg undid and reports nothing;
// one that reads the head (depth 0) kept a suspension the reorg dropped too, and blames the agency for a
// delivery logged after it: the false finding the confirmation depth exists to prevent.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Wallet, hexlify } from 'ethers'
import { Auditor, type Finding } from '../../../node/auditor/index.js'
import { AnchorRelayer, ChainClient, signAnchor, type AnchorOutcome } from '../../../node/chain/index.js'
import { decodeLogEntry, encodeLogEntry } from '../../../protocol/messages/index.js'
import { clipOf } from '../../helpers/audit-log.js'
import { rejectsWith } from '../../helpers/chain.js'
import { startAuditChain, type AuditChainFixture } from '../../helpers/audit-chain.js'

const CONFIRMATIONS = 2
let fx: AuditChainFixture
let dir: string
const clients: ChainClient[] = []

before(async () => {
  fx = await startAuditChain(4)
  dir = await mkdtemp(join(tmpdir(), 'porchlight-reorg-'))
})
after(async () => {
  for (const c of clients) await c.close()
  await fx?.stop()
  await rm(dir, { recursive: true, force: true })
})

async function client (opts: { key?: string, confirmations: number }): Promise<ChainClient> {
  const c = await ChainClient.connect({
    deployment: fx.chain.deployment!,
    pollingIntervalMs: 0,
    confirmations: opts.confirmations,
    confirmationPollingMs: 20,
    ...(opts.key === undefined ? {} : { privateKey: opts.key, anchorQueue: join(dir, `queue-${clients.length}`) })
  })
  clients.push(c)
  return c
}

const mine = async (blocks: number): Promise<void> => { await fx.provider.send('hardhat_mine', [`0x${blocks.toString(16)}`]) }

test('an anchor a reorg dropped is sent again; the confirmed auditor reports no false finding', async () => {
  const a = await fx.agencyWith(8)
  const agency = await client({ key: a.key, confirmations: CONFIRMATIONS })
  const confirmedReader = await client({ confirmations: CONFIRMATIONS })
  const headReader = await client({ confirmations: 0 })
  const clock = async (): Promise<number> => await fx.now()
  let wall = await clock()
  const confirmed = new Auditor({ chain: confirmedReader, logs: { [a.address]: a.url }, clock: () => wall })
  const naive = new Auditor({ chain: headReader, logs: { [a.address]: a.url }, clock: () => wall })

  // The first anchor, mined and confirmed: the client resolves only once it is CONFIRMATIONS deep.
  const firstSent = once(agency, 'anchor:sent')
  const first = agency.anchor(8, hexlify(a.log.rootAt(8)))
  await firstSent
  await mine(CONFIRMATIONS)
  assert.equal((await first).status, 'anchored')
  const findingsOf = (fs: Finding[]): Finding[] => fs.filter((f) => f.agency === a.address)
  wall = await clock()
  assert.deepEqual(findingsOf((await confirmed.audit({ agency: a.address })).findings), [])
  await naive.audit({ agency: a.address })

  // The log grows; its new anchor is mined, then the council's suspension in the next block.
  await a.grow(4)
  const snapshot = await fx.provider.send('evm_snapshot', []) as string
  const sent = once(agency, 'anchor:sent')
  const second = agency.anchor(12, hexlify(a.log.rootAt(12)))
  const [mined] = await sent as [{ sent: { transactionHash: string, blockNumber: number } }]
  await fx.council.suspendAgency(a.address, 'reorged away')
  const suspendedAt = await fx.now()
  // A delivery logged after the suspension's time: a violation only if the suspension stays on the chain.
  const live = (decodeLogEntry(a.log.view.entries[1]!) as Extract<ReturnType<typeof decodeLogEntry>, { kind: 'delivery' }>).request
  a.log.view = { entries: [...a.log.view.entries, encodeLogEntry({ kind: 'delivery', request: live, consent: live, clips: [{ cid: clipOf(901), size: 10 }], at: suspendedAt + 1 })] }

  // Before the reorg: the head reader sees the anchor and the suspension, the confirmed one neither.
  wall = await clock()
  await naive.audit({ agency: a.address })
  const beforeReorg = await confirmed.audit({ agency: a.address })
  assert.equal(beforeReorg.agencies.find((r) => r.agency === a.address)?.status, 'active', 'the suspension is not confirmed yet')
  assert.equal((await confirmedReader.latestAnchor(a.address, await confirmedReader.confirmedBlockTag()))?.treeSize, 8)

  // The reorg: both blocks are gone (the anchor's transaction with them), and the client sends it again.
  const dropped = once(agency, 'anchor:dropped')
  assert.equal(await fx.provider.send('evm_revert', [snapshot]), true)
  const [{ transactionHash: droppedHash }] = await dropped as [{ transactionHash: string }]
  assert.equal(droppedHash, mined.sent.transactionHash)
  assert.equal(agency.anchorsDropped, 1, 'counted for /metrics')
  assert.equal(await fx.provider.getTransactionReceipt(droppedHash), null, 'the reorg took the mined anchor out')
  await once(agency, 'anchor:sent')
  await mine(CONFIRMATIONS)
  const outcome = await second as Extract<AnchorOutcome, { status: 'anchored' }>
  assert.equal(outcome.status, 'anchored')
  // The same nonce, fees and data sign to the same bytes: the re-sent transaction may well have the same hash.
  assert.equal((await fx.provider.getTransactionReceipt(outcome.transactionHash))?.status, 1)
  assert.equal((await agency.latestAnchor(a.address, await agency.confirmedBlockTag()))?.treeSize, 12)
  assert.equal((await agency.agencyInfo(a.address)).status, 'active', 'the suspension went with the reorg')

  // The confirmed auditor: the re-sent anchor, and nothing to report. The head reader kept the dropped
  // suspension and calls the delivery a violation.
  wall = await clock()
  const report = await confirmed.audit({ agency: a.address })
  assert.deepEqual(findingsOf(report.findings), [])
  assert.equal(report.agencies.find((r) => r.agency === a.address)?.status, 'active')
  const falseFindings = findingsOf((await naive.audit({ agency: a.address })).findings)
  assert.ok(falseFindings.some((f) => f.rule === 'DELIVERY_AGENCY_INACTIVE'), JSON.stringify(falseFindings))
})

test("a relayer's batch root a reorg dropped is sent again before the batch counts", async () => {
  const a = await fx.agencyWith(3)
  const relayClient = await client({ key: fx.chain.accounts[3]!.privateKey, confirmations: CONFIRMATIONS })
  const relayer = new AnchorRelayer({ chain: relayClient })
  // The relayer takes checkpoints of agencies whose registration is confirmed only.
  await rejectsWith(relayer.submit(await signAnchor(new Wallet(a.key), relayClient.relayDomain!, 3, hexlify(a.log.rootAt(3)))), 'RelayedAnchorAgencyNotActiveError')
  await mine(CONFIRMATIONS)
  await relayClient.sync() // a node's client polls; this one is told when to look
  await relayer.submit(await signAnchor(new Wallet(a.key), relayClient.relayDomain!, 3, hexlify(a.log.rootAt(3))))
  const snapshot = await fx.provider.send('evm_snapshot', []) as string
  const head = await fx.provider.getBlockNumber()
  const flushed = relayer.flush()
  // No event marks the mined root: the head moving past the snapshot does.
  while (await fx.provider.getBlockNumber() === head) await new Promise(setImmediate)
  const minedHead = await fx.provider.getBlockNumber()
  assert.equal(await fx.provider.send('evm_revert', [snapshot]), true)
  // The client notices the root gone and sends it again: the head passes the snapshot a second time.
  while (await fx.provider.getBlockNumber() === head) await new Promise(setImmediate)
  await mine(CONFIRMATIONS)
  const batch = await flushed
  assert.equal(batch?.count, 1)
  assert.equal((await fx.provider.getTransactionReceipt(batch.transactionHash))?.status, 1)
  assert.equal(batch.blockNumber, minedHead, 'mined again at the height the reorg took')
  assert.equal(relayClient.anchorsDropped, 1, 'the first root was dropped and counted')
  assert.equal(relayer.relayed(a.address).at(-1)?.batch.transactionHash, batch.transactionHash)
})
