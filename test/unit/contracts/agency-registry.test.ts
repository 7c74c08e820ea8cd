import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ContractFactory, ZeroAddress, Wallet, type Contract } from 'ethers'
import { gridDisk, latLngToCell } from 'h3-js'
import { LIMITS } from '../../../protocol/limits/index.js'
import { agencyRegistryArtifact, agencyRegistryInterface, auditAnchorArtifact } from '../../../node/chain/index.js'
import { cellValues, eventsOf, rejectsWith, send, startChainFixture, type ChainFixture } from '../../helpers/chain.js'

const Active = 1n
const Suspended = 2n
const Revoked = 3n

describe('AgencyRegistry', () => {
  let f: ChainFixture
  let registry: Contract
  let validUntil: number
  before(async () => {
    f = await startChainFixture()
    registry = f.registryAs(f.council)
    validUntil = (await f.now()) + 365 * 86400
  })
  after(async () => { await f.stop() })

  const fresh = (): string => Wallet.createRandom().address

  test('the deployer holds the admin and registrar roles, and the AuditAnchor is bound', async () => {
    assert.equal(await registry.getFunction('hasRole')(await registry.getFunction('DEFAULT_ADMIN_ROLE')(), f.council.address), true)
    assert.equal(await registry.getFunction('hasRole')(await registry.getFunction('REGISTRAR_ROLE')(), f.council.address), true)
    assert.equal(await registry.getFunction('auditAnchor')(), f.deployment.contracts.AuditAnchor)
  })

  test('register stores the record, emits AgencyRegistered and makes the agency active', async () => {
    const agency = fresh()
    const receipt = await send(registry, 'register', agency, 'Springfield PD', cellValues, validUntil)
    assert.deepEqual(eventsOf(receipt, agencyRegistryInterface, 'AgencyRegistered'), [[agency, 'Springfield PD', cellValues, BigInt(validUntil)]])
    const info = await registry.getFunction('agencyInfo')(agency)
    assert.equal(info.name, 'Springfield PD')
    assert.deepEqual([...info.cells], cellValues)
    assert.equal(info.validUntil, BigInt(validUntil))
    assert.equal(info.status, Active)
    assert.deepEqual([...await registry.getFunction('jurisdictionOf')(agency)], cellValues)
    assert.equal(await registry.getFunction('isActive')(agency), true)
    assert.equal(await f.anchorAs(f.council).getFunction('canAnchor')(agency), true)
  })

  test('an unknown agency is inactive, with an empty record', async () => {
    const agency = fresh()
    assert.equal(await registry.getFunction('isActive')(agency), false)
    assert.deepEqual([...await registry.getFunction('jurisdictionOf')(agency)], [])
    assert.equal((await registry.getFunction('agencyInfo')(agency)).status, 0n)
  })

  test('register rejects bad records with the registry\'s errors', async () => {
    const agency = fresh()
    const res8 = BigInt(`0x${latLngToCell(37.77, -122.42, 8)}`)
    const tooMany = gridDisk(latLngToCell(37.77, -122.42, 7), 19).map((c) => BigInt(`0x${c}`)).sort((a, b) => (a < b ? -1 : 1)).slice(0, 1025)
    assert.equal(tooMany.length, 1025)
    await rejectsWith(send(registry, 'register', ZeroAddress, 'X', cellValues, validUntil), 'AgencyRegistryZeroAddress')
    const empty = await rejectsWith(send(registry, 'register', agency, '', cellValues, validUntil), 'AgencyRegistryInvalidName')
    assert.equal(empty.details.length, '0')
    await rejectsWith(send(registry, 'register', agency, 'x'.repeat(121), cellValues, validUntil), 'AgencyRegistryInvalidName')
    await rejectsWith(send(registry, 'register', agency, 'X', [], validUntil), 'AgencyRegistryEmptyJurisdiction')
    const many = await rejectsWith(send(registry, 'register', agency, 'X', tooMany, validUntil), 'AgencyRegistryTooManyCells')
    assert.deepEqual([many.details.count, many.details.max], ['1025', '1024'])
    const fine = await rejectsWith(send(registry, 'register', agency, 'X', [res8], validUntil), 'AgencyRegistryInvalidCell')
    assert.equal(fine.details.cell, res8.toString())
    await rejectsWith(send(registry, 'register', agency, 'X', [0n], validUntil), 'AgencyRegistryInvalidCell')
    await rejectsWith(send(registry, 'register', agency, 'X', [cellValues[1]! & ~7n], validUntil), 'AgencyRegistryInvalidCell')
    const order = await rejectsWith(send(registry, 'register', agency, 'X', [cellValues[2], cellValues[1]], validUntil), 'AgencyRegistryCellsNotAscending')
    assert.equal(order.details.index, '1')
    await rejectsWith(send(registry, 'register', agency, 'X', [cellValues[1], cellValues[1]], validUntil), 'AgencyRegistryCellsNotAscending')
    await rejectsWith(send(registry, 'register', agency, 'X', cellValues, (await f.now()) - 1), 'AgencyRegistryValidUntilInPast')
    // None of these left a record behind.
    assert.equal((await registry.getFunction('agencyInfo')(agency)).status, 0n)
  })

  test('issue 21\'s bounds: res 5 to 7, the area cap, validUntil at most two years ahead — each its own error', async () => {
    const agency = fresh()
    const res0 = BigInt(`0x${latLngToCell(37.77, -122.42, 0)}`)
    const coarse = await rejectsWith(send(registry, 'register', agency, 'X', [res0], validUntil), 'AgencyRegistryCellTooCoarse')
    assert.equal(coarse.details.resolution, '0')
    const res4 = BigInt(`0x${latLngToCell(37.77, -122.42, 4)}`)
    await rejectsWith(send(registry, 'register', agency, 'X', [res4], validUntil), 'AgencyRegistryCellTooCoarse')
    // 41 res-5 cells are 41 × 49 = 2,009 res-7 cells of area: over the cap of 2,000 with only 41 cells.
    const wide = gridDisk(latLngToCell(37.77, -122.42, 5), 4).map((c) => BigInt(`0x${c}`)).sort((a, b) => (a < b ? -1 : 1)).slice(0, 41)
    const area = await rejectsWith(send(registry, 'register', agency, 'X', wide, validUntil), 'AgencyRegistryAreaTooLarge')
    assert.deepEqual([area.details.area, area.details.max], ['2009', String(LIMITS.jurisdiction.maxAreaRes7Cells)])
    // 40 of them (1,960) are within it.
    await send(registry, 'register', agency, 'Wide County', wide.slice(0, 40), validUntil)
    const now = await f.now()
    const far = await rejectsWith(send(registry, 'register', fresh(), 'X', cellValues, now + LIMITS.jurisdiction.maxValiditySeconds + 60), 'AgencyRegistryValidUntilTooFar')
    assert.ok(BigInt(far.details.max as string) >= BigInt(now + LIMITS.jurisdiction.maxValiditySeconds))
    await rejectsWith(send(registry, 'register', fresh(), 'X', cellValues, 2n ** 64n - 1n), 'AgencyRegistryValidUntilTooFar')
    await rejectsWith(send(registry, 'update', agency, 'Wide County', wide.slice(0, 40), 2n ** 64n - 1n), 'AgencyRegistryValidUntilTooFar')
  })

  test('the contract\'s bounds are the ones protocol/limits states', async () => {
    const read = async (name: string): Promise<number> => Number(await registry.getFunction(name)())
    assert.equal(await read('MIN_CELL_RESOLUTION'), LIMITS.jurisdiction.minCellResolution)
    assert.equal(await read('MAX_CELL_RESOLUTION'), LIMITS.jurisdiction.maxCellResolution)
    assert.equal(await read('MAX_CELLS'), LIMITS.jurisdiction.maxCells)
    assert.equal(await read('MAX_AREA_RES7_CELLS'), LIMITS.jurisdiction.maxAreaRes7Cells)
    assert.equal(await read('MAX_VALIDITY_SECONDS'), LIMITS.jurisdiction.maxValiditySeconds)
  })

  test('the last admin can neither renounce nor be revoked; a second admin can leave', async () => {
    const adminRole = await registry.getFunction('DEFAULT_ADMIN_ROLE')() as string
    const last = await rejectsWith(send(registry, 'renounceRole', adminRole, f.council.address), 'CouncilRolesLastAdmin')
    assert.equal(last.details.account, f.council.address)
    await rejectsWith(send(registry, 'revokeRole', adminRole, f.council.address), 'CouncilRolesLastAdmin')
    const second = f.accounts[7]!
    await send(registry, 'grantRole', adminRole, second.address)
    await send(f.registryAs(second), 'renounceRole', adminRole, second.address)
    assert.equal(await registry.getFunction('hasRole')(adminRole, second.address), false)
    assert.equal(await registry.getFunction('hasRole')(adminRole, f.council.address), true)
    // The witness registry shares the rule.
    const witnesses = f.witnessesAs(f.council)
    await rejectsWith(send(witnesses, 'renounceRole', adminRole, f.council.address), 'CouncilRolesLastAdmin')
  })

  test('only the registrar may change records', async () => {
    const outsider = f.accounts[5]!
    const agency = fresh()
    const err = await rejectsWith(send(f.registryAs(outsider), 'register', agency, 'X', cellValues, validUntil), 'AccessControlUnauthorizedAccount')
    assert.equal(err.details.account, outsider.address)
    await send(registry, 'register', agency, 'X', cellValues, validUntil)
    for (const [method, args] of [['update', [agency, 'Y', cellValues, validUntil]], ['suspend', [agency, 'r']], ['reinstate', [agency]], ['revoke', [agency, 'r']]] as const) {
      await rejectsWith(send(f.registryAs(outsider), method, ...args), 'AccessControlUnauthorizedAccount')
    }
  })

  test('register refuses an address that has a record, even a revoked one', async () => {
    const agency = fresh()
    await send(registry, 'register', agency, 'X', cellValues, validUntil)
    await rejectsWith(send(registry, 'register', agency, 'X', cellValues, validUntil), 'AgencyRegistryAlreadyRegistered')
    await send(registry, 'revoke', agency, 'key lost')
    await rejectsWith(send(registry, 'register', agency, 'X', cellValues, validUntil), 'AgencyRegistryAlreadyRegistered')
  })

  test('update replaces name, cells and validity and emits AgencyUpdated', async () => {
    const agency = fresh()
    await send(registry, 'register', agency, 'Old', cellValues, validUntil)
    const receipt = await send(registry, 'update', agency, 'New', [cellValues[1]], validUntil + 1)
    assert.deepEqual(eventsOf(receipt, agencyRegistryInterface, 'AgencyUpdated'), [[agency, 'New', [cellValues[1]], BigInt(validUntil + 1)]])
    const info = await registry.getFunction('agencyInfo')(agency)
    assert.equal(info.name, 'New')
    assert.deepEqual([...info.cells], [cellValues[1]])
    assert.equal(info.validUntil, BigInt(validUntil + 1))
    await rejectsWith(send(registry, 'update', agency, '', cellValues, validUntil), 'AgencyRegistryInvalidName')
    await rejectsWith(send(registry, 'update', fresh(), 'X', cellValues, validUntil), 'AgencyRegistryNotRegistered')
  })

  test('updating a suspended agency keeps it suspended; a revoked one cannot be updated', async () => {
    const agency = fresh()
    await send(registry, 'register', agency, 'X', cellValues, validUntil)
    await send(registry, 'suspend', agency, 'audit')
    await send(registry, 'update', agency, 'X', cellValues, validUntil + 10)
    assert.equal((await registry.getFunction('agencyInfo')(agency)).status, Suspended)
    assert.equal(await f.anchorAs(f.council).getFunction('canAnchor')(agency), false)
    await send(registry, 'revoke', agency, 'done')
    const err = await rejectsWith(send(registry, 'update', agency, 'X', cellValues, validUntil), 'AgencyRegistryInvalidStatus')
    assert.equal(err.details.status, Revoked.toString())
  })

  test('suspend, reinstate and revoke move through the lifecycle with their events', async () => {
    const agency = fresh()
    await send(registry, 'register', agency, 'X', cellValues, validUntil)
    const anchor = f.anchorAs(f.council)

    let receipt = await send(registry, 'suspend', agency, 'complaint 42')
    assert.deepEqual(eventsOf(receipt, agencyRegistryInterface, 'AgencySuspended'), [[agency, 'complaint 42']])
    assert.equal(await registry.getFunction('isActive')(agency), false)
    assert.equal(await anchor.getFunction('canAnchor')(agency), false)
    await rejectsWith(send(registry, 'suspend', agency, 'again'), 'AgencyRegistryInvalidStatus')

    receipt = await send(registry, 'reinstate', agency)
    assert.deepEqual(eventsOf(receipt, agencyRegistryInterface, 'AgencyReinstated'), [[agency]])
    assert.equal(await registry.getFunction('isActive')(agency), true)
    assert.equal(await anchor.getFunction('canAnchor')(agency), true)
    await rejectsWith(send(registry, 'reinstate', agency), 'AgencyRegistryInvalidStatus')

    receipt = await send(registry, 'revoke', agency, 'misuse')
    assert.deepEqual(eventsOf(receipt, agencyRegistryInterface, 'AgencyRevoked'), [[agency, 'misuse']])
    assert.equal((await registry.getFunction('agencyInfo')(agency)).status, Revoked)
    assert.equal(await anchor.getFunction('canAnchor')(agency), false)
    await rejectsWith(send(registry, 'revoke', agency, 'again'), 'AgencyRegistryInvalidStatus')
    await rejectsWith(send(registry, 'reinstate', agency), 'AgencyRegistryInvalidStatus')
    await rejectsWith(send(registry, 'suspend', agency, 'x'), 'AgencyRegistryInvalidStatus')
  })

  test('suspend, reinstate and revoke refuse an unknown agency', async () => {
    const agency = fresh()
    await rejectsWith(send(registry, 'suspend', agency, 'x'), 'AgencyRegistryNotRegistered')
    await rejectsWith(send(registry, 'reinstate', agency), 'AgencyRegistryNotRegistered')
    await rejectsWith(send(registry, 'revoke', agency, 'x'), 'AgencyRegistryNotRegistered')
  })

  test('an agency past its valid-until time is inactive in both contracts', async () => {
    const agency = fresh()
    const soon = (await f.now()) + 100
    await send(registry, 'register', agency, 'X', cellValues, soon)
    assert.equal(await registry.getFunction('isActive')(agency), true)
    await f.advance(200)
    assert.equal(await registry.getFunction('isActive')(agency), false)
    assert.equal(await f.anchorAs(f.council).getFunction('canAnchor')(agency), false)
    validUntil += 200
  })

  describe('binding the AuditAnchor', () => {
    let unbound: Contract
    before(async () => {
      const factory = new ContractFactory(agencyRegistryArtifact.abi, agencyRegistryArtifact.bytecode, f.council)
      unbound = await factory.deploy(f.council.address, f.council.address) as Contract
      await unbound.waitForDeployment()
    })

    test('nothing can be registered before an AuditAnchor is bound', async () => {
      await rejectsWith(send(unbound, 'register', fresh(), 'X', cellValues, validUntil), 'AgencyRegistryAuditAnchorNotBound')
    })

    test('an AuditAnchor of another registry, or no contract at all, is refused', async () => {
      await rejectsWith(send(unbound, 'bindAuditAnchor', f.deployment.contracts.AuditAnchor), 'AgencyRegistryAuditAnchorMismatch')
      await rejectsWith(send(unbound, 'bindAuditAnchor', fresh()), 'AgencyRegistryAuditAnchorMismatch')
    })

    test('only the admin binds, once, and AuditAnchorBound is emitted', async () => {
      const factory = new ContractFactory(auditAnchorArtifact.abi, auditAnchorArtifact.bytecode, f.council)
      const anchor = await factory.deploy(await unbound.getAddress()) as Contract
      await anchor.waitForDeployment()
      const anchorAddress = await anchor.getAddress()
      const outsider = f.accounts[6]!
      await rejectsWith(send(unbound.connect(outsider) as Contract, 'bindAuditAnchor', anchorAddress), 'AccessControlUnauthorizedAccount')
      const receipt = await send(unbound, 'bindAuditAnchor', anchorAddress)
      assert.deepEqual(eventsOf(receipt, agencyRegistryInterface, 'AuditAnchorBound'), [[anchorAddress]])
      const again = await rejectsWith(send(unbound, 'bindAuditAnchor', anchorAddress), 'AgencyRegistryAuditAnchorAlreadyBound')
      assert.equal(again.details.auditAnchor, anchorAddress)
    })
  })
})
