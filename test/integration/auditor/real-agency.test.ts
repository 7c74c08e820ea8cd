// The auditor against a real agency node: its persistent log (node/log) served over the node's HTTP API and
// anchored by its own anchorer on the embedded chain. Thousands of valid entries audit clean.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseEther } from 'ethers'
import { Auditor } from '../../../node/auditor/index.js'
import { ChainClient, startEmbeddedChain, devCouncil } from '../../../node/chain/index.js'
import { parseConfig } from '../../../node/config/index.js'
import { createNode, roleSetup, type PorchlightNode } from '../../../node/index.js'
import type { AgencyLogService, AnchorRecord } from '../../../node/log/index.js'
import { encodeLogEntry } from '../../../protocol/messages/index.js'
import { JURISDICTION, buildEntries } from '../../helpers/audit-log.js'

test('a real agency node with thousands of entries, anchored on the embedded chain, audits clean', async (t) => {
  const chain = await startEmbeddedChain()
  t.after(async () => { await chain.stop() })
  const council = await ChainClient.connect({ deployment: chain.deployment!, privateKey: chain.accounts[0]!.privateKey, pollingIntervalMs: 0, registrar: devCouncil(chain.deployment!) })
  const reader = await ChainClient.connect({ deployment: chain.deployment!, pollingIntervalMs: 0 })
  t.after(async () => { await reader.close(); await council.close() })

  const config = parseConfig({
    version: 1, role: 'agency', name: 'county sheriff', anchorIntervalSeconds: 1,
    chain: { rpc: chain.rpcUrl, chainId: chain.chainId, contracts: chain.contracts }
  })
  const node = await createNode({ config, services: roleSetup('agency').services, staticDir: false }) as PorchlightNode<{ log: AgencyLogService }>
  t.after(async () => { await node.stop() })
  await node.start()
  const address = node.info().address!
  await (await council.wallet!.sendTransaction({ to: address, value: parseEther('1') })).wait()
  const now = (await reader.provider.getBlock('latest'))!.timestamp
  await council.registerAgency(address, { name: 'County Sheriff', cells: JURISDICTION, validUntil: now + 365 * 86400 })

  const COUNT = 2100
  const domain = { chainId: chain.chainId, verifyingContract: chain.deployment!.contracts.AgencyRegistry }
  const entries = buildEntries(node.keys.agencyKey!, domain, now + 1, COUNT).map(encodeLogEntry)
  const log = node.services.log.log!
  const anchorer = node.services.log.anchorer!
  // The anchorer may anchor part of the log first; wait for the anchor that covers all of it.
  const anchoredAll = new Promise<AnchorRecord>((resolve) => {
    anchorer.on('anchor:recorded', (record: AnchorRecord) => { if (record.treeSize === COUNT) resolve(record) })
  })
  await Promise.all(entries.map(async (entry) => await log.append(entry)))
  await anchoredAll
  assert.equal((await reader.latestAnchor(address))?.treeSize, COUNT)

  const auditor = new Auditor({ chain: reader, logs: { [address]: node.info().api!.url } })
  const report = await auditor.audit({ agency: address })
  const mine = report.agencies.find((a) => a.agency === address)
  assert.deepEqual(report.findings.filter((f) => f.agency === address), [])
  assert.equal(mine?.verifiedSize, COUNT)
  assert.equal(mine?.violations, 0)
})
