import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hexlify, randomBytes } from 'ethers'
import { ChainClient, devCouncil, readChainJournal, startEmbeddedChain, type EmbeddedChain, type JournalRecord } from '../../../node/chain/index.js'

const cells = ['87283082effffff', '872830828ffffff']

let dir: string
before(async () => { dir = await mkdtemp(join(tmpdir(), 'porchlight-journal-')) })
after(async () => { await rm(dir, { recursive: true, force: true }) })

async function withClient<T> (chain: EmbeddedChain, key: string | undefined, fn: (c: ChainClient) => Promise<T>): Promise<T> {
  const client = await ChainClient.connect({
    deployment: chain.deployment!,
    pollingIntervalMs: 0,
    ...(key === undefined ? {} : { privateKey: key, anchorQueue: join(dir, `queue-${key.slice(2, 10)}`) }),
    // The council's changes go through its Safe and timelock: those transactions are journaled too.
    registrar: key === chain.accounts[0]!.privateKey ? devCouncil(chain.deployment!) : undefined
  })
  try { return await fn(client) } finally { await client.close() }
}

test('a journaled chain comes back after a restart with its contracts, records, anchors and block times', async () => {
  const journal = join(dir, 'chain.journal')
  const first = await startEmbeddedChain({ journal })
  const agencyKey = first.accounts[3]!.privateKey
  const agency = first.accounts[3]!.address
  const validUntil = Math.floor(Date.now() / 1000) + 86400
  const root = hexlify(randomBytes(32))
  let anchoredAt: number
  let blocks: number
  try {
    await withClient(first, first.accounts[0]!.privateKey, async (council) => {
      await council.registerAgency(agency, { name: 'Northside PD', cells, validUntil })
    })
    await withClient(first, agencyKey, async (a) => { await a.anchor(5, root) })
    anchoredAt = (await withClient(first, undefined, async (c) => await c.latestAnchor(agency)))!.anchoredAt
    blocks = await withClient(first, undefined, async (c) => await c.provider.getBlockNumber())
  } finally {
    await first.stop()
  }
  // A torn last line, as a crash mid-append leaves it, is dropped on the next start.
  await appendFile(journal, '{"kind":"tx","raw":"0x')

  const second = await startEmbeddedChain({ journal })
  try {
    assert.deepEqual(second.contracts, first.contracts)
    await withClient(second, undefined, async (c) => {
      assert.deepEqual(await c.agencyInfo(agency), { address: agency, name: 'Northside PD', cells: [...cells].sort(), validUntil, status: 'active' })
      const latest = await c.latestAnchor(agency)
      assert.equal(latest?.treeSize, 5)
      assert.equal(latest?.root, root)
      assert.equal(latest?.anchoredAt, anchoredAt, 'the anchor keeps its original block time')
      assert.equal(await c.provider.getBlockNumber(), blocks + 1, 'one block at the time of the restart')
      const head = await c.provider.getBlock('latest')
      // Automine gives each block its own second, so a burst of blocks runs ahead of the wall clock by at
      // most one second per block; the restart block is never behind it.
      const now = Math.floor(Date.now() / 1000)
      assert.ok(head!.timestamp >= now - 1 && head!.timestamp <= now + blocks + 1, `the clock goes on from now: ${head!.timestamp} vs ${now}`)
    })
    // The chain keeps journaling after a replay.
    await withClient(second, agencyKey, async (a) => { await a.anchor(7, hexlify(randomBytes(32))) })
    const kinds = (await readChainJournal(journal)).map((r) => r.kind)
    const deployed = kinds.indexOf('deployment')
    // The deployment (Safe, the council's Safes, the timelock, the contracts), then the registration (the
    // Safe's scheduling and the timelock's execution) and the two anchors.
    assert.deepEqual(kinds.slice(0, deployed), ['genesis', ...Array<string>(deployed - 1).fill('tx')])
    assert.deepEqual(kinds.slice(deployed), ['deployment', 'tx', 'tx', 'tx', 'tx'])
    assert.notEqual(second.deployment!.council, undefined)
    assert.deepEqual(second.deployment!.council, first.deployment!.council)
  } finally {
    await second.stop()
  }
  assert.ok((await readFile(journal, 'utf8')).endsWith('\n'))
})

test('a chain without a journal file starts fresh and creates it', async () => {
  const journal = join(dir, 'fresh.journal')
  const chain = await startEmbeddedChain({ journal })
  try {
    const records = await readChainJournal(journal)
    assert.equal(records[0]?.kind, 'genesis')
    assert.equal(records.at(-1)?.kind, 'deployment')
  } finally {
    await chain.stop()
  }
})

test('a journal from before WitnessRegistry gets one on resume, journaled, and keeps it on the next', async () => {
  const journal = join(dir, 'old.journal')
  // An older version's chain had no council: account 0 held the roles.
  const fresh = await startEmbeddedChain({ journal, council: false })
  await fresh.stop()
  // What an older version wrote: the three deployment transactions, and a deployment without WitnessRegistry
  // (nor the AnchorRelay deployed after it).
  const records = await readChainJournal(journal)
  assert.deepEqual(records.map((r) => r.kind), ['genesis', 'tx', 'tx', 'tx', 'tx', 'tx', 'deployment'])
  const old = records.slice(0, 4).concat(records.slice(6).map((r) => {
    if (r.kind !== 'deployment') return r
    const { WitnessRegistry, AnchorRelay, ...contracts } = r.contracts
    return { ...r, contracts } as unknown as JournalRecord
  }))
  await writeFile(journal, old.map((r) => JSON.stringify(r) + '\n').join(''))

  const upgraded = await startEmbeddedChain({ journal })
  let address: string
  try {
    address = upgraded.deployment!.contracts.WitnessRegistry
    assert.equal(upgraded.deployment!.contracts.AgencyRegistry, fresh.deployment!.contracts.AgencyRegistry)
    await withClient(upgraded, undefined, async (c) => {
      assert.notEqual(await c.provider.getCode(address), '0x')
      assert.deepEqual(await c.witnessSet(), { quorum: 0, witnesses: [] })
    })
    assert.deepEqual((await readChainJournal(journal)).map((r) => r.kind), ['genesis', 'tx', 'tx', 'tx', 'deployment', 'tx', 'deployment'])
  } finally {
    await upgraded.stop()
  }
  const again = await startEmbeddedChain({ journal })
  try {
    assert.deepEqual(again.deployment!.contracts, upgraded.deployment!.contracts, 'resumed, not deployed again')
    assert.equal((await readChainJournal(journal)).length, 7)
  } finally {
    await again.stop()
  }
})
