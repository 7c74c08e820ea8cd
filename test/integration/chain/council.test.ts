// The council's path on the embedded chain (issue 21 item 1): Safe + TimelockController hold the registries'
// roles; changes wait the notice period and are visible while they wait; suspension acts at once.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { Contract, Wallet } from 'ethers'
import {
  ChainClient, CouncilDriver, approveProposal, executeProposal, proposeCall, proposalState, readPendingChanges, toSafeTxBuilderJson,
  agencyRegistryInterface, witnessRegistryInterface, timelockArtifact, cellsToUint64, devAccounts, devCouncil, toChainError
} from '../../../node/chain/index.js'
import { createLogger } from '../../../node/logging/index.js'
import { pendingChanges } from '../../../node/auditor/pending-changes.js'
import type { ChainService } from '../../../node/chain/index.js'
import { cells, rejectsWith, startChainFixture, type ChainFixture } from '../../helpers/chain.js'

const NOTICE = 3600

describe('the council: Safe + timelock', () => {
  let f: ChainFixture
  let members: Wallet[]
  let outsider: Wallet
  before(async () => {
    f = await startChainFixture({ council: { noticeSeconds: NOTICE } })
    members = devAccounts(3).map((a) => new Wallet(a.privateKey, f.provider))
    outsider = f.accounts[5]!
  })
  after(async () => { await f.stop() })

  const registerCall = async (agency: string, validFor = 365 * 86400): Promise<{ to: string, data: string }> => ({
    to: f.deployment.contracts.AgencyRegistry,
    data: agencyRegistryInterface.encodeFunctionData('register', [agency, 'Council PD', cellsToUint64(cells), (await f.now()) + validFor])
  })

  test('the timelock holds admin and registrar, the guardian suspends; no single key holds a role', async () => {
    const registry = f.registryAs(f.council)
    const council = f.deployment.council!
    const has = async (role: string, who: string): Promise<boolean> => await registry.getFunction('hasRole')(await registry.getFunction(role)(), who) as boolean
    assert.equal(await has('DEFAULT_ADMIN_ROLE', council.timelock), true)
    assert.equal(await has('REGISTRAR_ROLE', council.timelock), true)
    assert.equal(await has('GUARDIAN_ROLE', council.guardian), true)
    assert.equal(await has('REGISTRAR_ROLE', council.guardian), false)
    for (const member of members) {
      assert.equal(await has('DEFAULT_ADMIN_ROLE', member.address), false)
      assert.equal(await has('REGISTRAR_ROLE', member.address), false)
    }
    const witnesses = f.witnessesAs(f.council)
    assert.equal(await witnesses.getFunction('hasRole')(await witnesses.getFunction('REGISTRAR_ROLE')(), council.timelock), true)
  })

  test('a registration: propose → approvals → schedule → executing early is refused → pending is listed → execute', async () => {
    const agency = Wallet.createRandom().address
    let proposal = await proposeCall(f.provider, f.deployment, await registerCall(agency))
    assert.equal(proposal.path, 'notice')
    assert.equal(proposal.action.method, 'register')
    assert.deepEqual(proposal.action.args.cells, [...cells].sort())
    // One approval is below the council Safe's threshold of 2.
    proposal = await approveProposal(f.deployment, proposal, members[0]!)
    await rejectsWith(executeProposal(f.deployment, proposal, outsider), 'CouncilApprovalsMissingError')
    await rejectsWith(approveProposal(f.deployment, proposal, outsider), 'CouncilNotOwnerError')
    proposal = await approveProposal(f.deployment, proposal, members[1]!)
    // The Safe transaction builder's JSON carries the same Safe transaction.
    const builder = toSafeTxBuilderJson(proposal) as { chainId: string, transactions: Array<{ to: string, data: string }> }
    assert.equal(builder.chainId, String(f.deployment.chainId))
    assert.deepEqual(builder.transactions.map((t) => [t.to, t.data]), [[proposal.safeTx.to, proposal.safeTx.data]])

    // Anyone may send the approved Safe transaction: it schedules, it does not register.
    const scheduled = await executeProposal(f.deployment, proposal, outsider)
    assert.equal(scheduled.step, 'scheduled')
    assert.equal(await f.registryAs(f.council).getFunction('isActive')(agency), false)
    const early = await rejectsWith(executeProposal(f.deployment, proposal, outsider), 'CouncilNoticePendingError')
    assert.equal(early.details.readyAt, scheduled.readyAt)
    // Straight to the timelock, early, is refused by the timelock itself.
    const raw = new Contract(f.deployment.council!.timelock, timelockArtifact.abi, outsider)
    const direct = raw.getFunction('execute')(proposal.call.to, 0, proposal.call.data, proposal.timelock!.predecessor, proposal.timelock!.salt) as Promise<unknown>
    await rejectsWith(direct.catch((e: unknown) => { throw toChainError(e) }), 'TimelockUnexpectedOperationState')

    const pending = await readPendingChanges(f.provider, f.deployment)
    const mine = pending.find((p) => p.id === proposal.timelock!.id)
    assert.ok(mine !== undefined)
    assert.equal(mine.action.method, 'register')
    assert.equal(mine.action.args.agency, agency)
    assert.equal(mine.readyAt, scheduled.readyAt)

    // The auditor's view finds the timelock from the registry's own admin, with no deployment file.
    const client = await ChainClient.connect({ deployment: { ...f.deployment, council: undefined }, pollingIntervalMs: 0 })
    try {
      const view = await pendingChanges()({ chain: { client } as unknown as ChainService, logger: createLogger({ level: 'silent' }) }).read()
      assert.equal(view.timelock, f.deployment.council!.timelock)
      assert.equal(view.noticeSeconds, NOTICE)
      assert.ok(view.changes.some((c) => c.id === proposal.timelock!.id && c.action.args.agency === agency))
    } finally {
      await client.close()
    }

    await f.advance(NOTICE)
    assert.equal((await proposalState(f.provider, proposal)).state, 'ready')
    const done = await executeProposal(f.deployment, proposal, outsider)
    assert.equal(done.step, 'executed')
    assert.equal(await f.registryAs(f.council).getFunction('isActive')(agency), true)
    assert.equal((await readPendingChanges(f.provider, f.deployment)).some((p) => p.id === proposal.timelock!.id), false)
    await rejectsWith(executeProposal(f.deployment, proposal, outsider), 'CouncilProposalClosedError')
  })

  test('suspension takes effect at once through the guardian Safe (threshold 1), with no notice', async () => {
    const driver = new CouncilDriver(f.deployment, devAccounts(3).map((a) => a.privateKey), { wait: 'advance' })
    const client = await ChainClient.connect({ deployment: f.deployment, registrar: driver, pollingIntervalMs: 0 })
    try {
      const agency = Wallet.createRandom().address
      await client.registerAgency(agency, { name: 'Guarded PD', cells, validUntil: (await f.now()) + 365 * 86400 })
      assert.equal((await client.agencyInfo(agency)).status, 'active')
      const before = await f.now()
      const proposal = await approveProposal(f.deployment, await proposeCall(f.provider, f.deployment, {
        to: f.deployment.contracts.AgencyRegistry, data: agencyRegistryInterface.encodeFunctionData('suspend', [agency, 'abuse'])
      }), members[2]!)
      assert.equal(proposal.path, 'immediate')
      assert.equal(proposal.timelock, undefined)
      const result = await executeProposal(f.deployment, proposal, members[2]!)
      assert.equal(result.step, 'executed')
      assert.equal((await f.registryAs(f.council).getFunction('agencyInfo')(agency)).status, 2n)
      assert.ok((await f.now()) - before < NOTICE)
      // A call the registry refuses is refused at proposal, with its own error, before anyone signs.
      await rejectsWith(client.suspendAgency(agency, 'again'), 'AgencyRegistryInvalidStatus')
    } finally {
      await client.close()
    }
  })

  test('every bound is refused when proposed, with the registry\'s own error', async () => {
    const agency = Wallet.createRandom().address
    const far = { to: f.deployment.contracts.AgencyRegistry, data: agencyRegistryInterface.encodeFunctionData('register', [agency, 'X', cellsToUint64(cells), 2n ** 64n - 1n]) }
    await rejectsWith(proposeCall(f.provider, f.deployment, far), 'AgencyRegistryValidUntilTooFar')
    const res0 = { to: f.deployment.contracts.AgencyRegistry, data: agencyRegistryInterface.encodeFunctionData('register', [agency, 'X', [0x8029fffffffffffn], (await f.now()) + 86400]) }
    await rejectsWith(proposeCall(f.provider, f.deployment, res0), 'AgencyRegistryCellTooCoarse')
  })

  test('witness-set changes wait the notice too; the driver waits it out; renouncing the last admin is refused', async () => {
    const driver = devCouncil(f.deployment, { wait: 'advance' })!
    const before = await f.now()
    const receipt = await driver.send({ to: f.deployment.contracts.WitnessRegistry, data: witnessRegistryInterface.encodeFunctionData('addWitness', ['w.example', 'w.example+00000000+AAAA', 'http://w.example', '']) }, f.provider)
    assert.equal(receipt.status, 1)
    assert.ok((await f.now()) - before >= NOTICE)
    const adminRole = await f.registryAs(f.council).getFunction('DEFAULT_ADMIN_ROLE')() as string
    await rejectsWith(proposeCall(f.provider, f.deployment, {
      to: f.deployment.contracts.AgencyRegistry, data: agencyRegistryInterface.encodeFunctionData('renounceRole', [adminRole, f.deployment.council!.timelock])
    }), 'CouncilRolesLastAdmin')
  })
})
