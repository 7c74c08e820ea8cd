import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ContractFactory, Wallet, ZeroAddress, ZeroHash, hexlify, randomBytes, type Contract, type TransactionReceipt } from 'ethers'
import { anchorDomain, auditAnchorArtifact, auditAnchorInterface, hashAnchor, signAnchor, toChainError, type SignedAnchor } from '../../../node/chain/index.js'
import { cellValues, eventsOf, rejectsWith, send, startChainFixture, type ChainFixture } from '../../helpers/chain.js'

const InvalidSignature = 0n
const NotActive = 1n
const NonMonotonic = 2n
const Fork = 3n

const root = (): string => hexlify(randomBytes(32))
// Gas depends on how many calldata bytes are zero; gas assertions use roots without any, the worst case.
const fullRoot = (): string => hexlify(randomBytes(32).map((b) => b === 0 ? 1 : b))

describe('AuditAnchor', () => {
  let f: ChainFixture
  let registry: Contract
  let validUntil: number
  let domain: ReturnType<typeof anchorDomain>
  before(async () => {
    f = await startChainFixture()
    registry = f.registryAs(f.council)
    validUntil = (await f.now()) + 365 * 86400
    domain = anchorDomain(f.deployment.chainId, f.deployment.contracts.AuditAnchor)
  })
  after(async () => { await f.stop() })

  async function registered (agency: string): Promise<void> {
    await send(registry, 'register', agency, 'Agency', cellValues, validUntil)
  }

  describe('anchor', () => {
    test('anchors the caller\'s log, emits Anchored and keeps the latest (size, root, time)', async () => {
      const agency = f.accounts[0]!
      await registered(agency.address)
      const anchor = f.anchorAs(agency)
      const r1 = root()
      const receipt = await send(anchor, 'anchor', 10, r1)
      assert.deepEqual(eventsOf(receipt, auditAnchorInterface, 'Anchored'), [[agency.address, 10n, r1]])
      const block = await f.provider.getBlock(receipt.blockNumber)
      assert.deepEqual((await anchor.getFunction('latestAnchor')(agency.address)).toArray(), [10n, r1, BigInt(block!.timestamp)])
      const r2 = root()
      await send(anchor, 'anchor', 11, r2)
      assert.deepEqual((await anchor.getFunction('latestAnchor')(agency.address)).toArray().slice(0, 2), [11n, r2])
    })

    test('a steady-state anchor costs at most 35,000 gas, however large the log', async () => {
      const agency = f.accounts[1]!
      await registered(agency.address)
      const anchor = f.anchorAs(agency)
      const first = await send(anchor, 'anchor', 1, fullRoot())
      const steady = await send(anchor, 'anchor', 2, fullRoot())
      const huge = await send(anchor, 'anchor', 2 ** 52 - 1, fullRoot()) // 0x0fffffffffffff
      assert.ok(first.gasUsed > steady.gasUsed, 'the first anchor pays for a new root slot')
      assert.ok(steady.gasUsed <= 35_000n, `steady-state anchor used ${steady.gasUsed} gas`)
      assert.equal(huge.gasUsed, steady.gasUsed + 6n * (16n - 4n), 'six more non-zero calldata bytes, nothing else')
    })

    test('the tree size only grows: smaller, equal (a replay) and zero sizes revert AuditAnchorNonMonotonic', async () => {
      const agency = f.accounts[2]!
      await registered(agency.address)
      const anchor = f.anchorAs(agency)
      await rejectsWith(send(anchor, 'anchor', 0, root()), 'AuditAnchorNonMonotonic')
      const r = root()
      await send(anchor, 'anchor', 100, r)
      const smaller = await rejectsWith(send(anchor, 'anchor', 99, root()), 'AuditAnchorNonMonotonic')
      assert.deepEqual(smaller.details, { agency: agency.address, treeSize: '99', latestTreeSize: '100' })
      await rejectsWith(send(anchor, 'anchor', 100, r), 'AuditAnchorNonMonotonic')
    })

    test('an equal size with a different root is a fork and reverts AuditAnchorFork; the anchor stays', async () => {
      const agency = f.accounts[3]!
      await registered(agency.address)
      const anchor = f.anchorAs(agency)
      const honest = root()
      await send(anchor, 'anchor', 50, honest)
      const forked = root()
      const err = await rejectsWith(send(anchor, 'anchor', 50, forked), 'AuditAnchorFork')
      assert.deepEqual(err.details, { agency: agency.address, treeSize: '50', latestRoot: honest, root: forked })
      assert.equal(err.code, 'AUDIT_ANCHOR_FORK')
      assert.deepEqual((await anchor.getFunction('latestAnchor')(agency.address)).toArray().slice(0, 2), [50n, honest])
    })

    test('an unregistered, suspended, revoked or expired agency cannot anchor (AuditAnchorNotActive)', async () => {
      const [unregistered, suspended, revoked, expiring] = [f.accounts[4]!, f.accounts[5]!, f.accounts[6]!, f.accounts[7]!]
      const err = await rejectsWith(send(f.anchorAs(unregistered), 'anchor', 1, root()), 'AuditAnchorNotActive')
      assert.equal(err.details.agency, unregistered.address)

      await registered(suspended.address)
      await send(registry, 'suspend', suspended.address, 'investigation')
      await rejectsWith(send(f.anchorAs(suspended), 'anchor', 1, root()), 'AuditAnchorNotActive')
      await send(registry, 'reinstate', suspended.address)
      await send(f.anchorAs(suspended), 'anchor', 1, root())

      await registered(revoked.address)
      await send(registry, 'revoke', revoked.address, 'misuse')
      await rejectsWith(send(f.anchorAs(revoked), 'anchor', 1, root()), 'AuditAnchorNotActive')

      await send(registry, 'register', expiring.address, 'Agency', cellValues, (await f.now()) + 60)
      await send(f.anchorAs(expiring), 'anchor', 1, root())
      await f.advance(120)
      await rejectsWith(send(f.anchorAs(expiring), 'anchor', 2, root()), 'AuditAnchorNotActive')
      validUntil += 120
    })
  })

  describe('anchorBatch', () => {
    const agencies = Array.from({ length: 32 }, () => Wallet.createRandom())
    let relayer: Contract
    before(async () => {
      for (const a of agencies) await registered(a.address)
      relayer = f.anchorAs(f.accounts[8]!)
    })

    async function batch (entries: SignedAnchor[]): Promise<{ receipt: TransactionReceipt, anchored: unknown[][], skipped: unknown[][], count: bigint }> {
      const count = await relayer.getFunction('anchorBatch').staticCall(entries) as bigint
      const receipt = await send(relayer, 'anchorBatch', entries)
      return { receipt, count, anchored: eventsOf(receipt, auditAnchorInterface, 'Anchored'), skipped: eventsOf(receipt, auditAnchorInterface, 'AnchorSkipped') }
    }

    test('the EIP-712 digest on chain matches the client\'s, in the AuditAnchor\'s domain', async () => {
      const r = root()
      assert.equal(await relayer.getFunction('hashAnchor')(7, r), hashAnchor(domain, 7, r))
      const [, name, version, chainId, verifyingContract] = await relayer.getFunction('eip712Domain')()
      assert.deepEqual([name, version, Number(chainId), verifyingContract], ['Porchlight', '1', f.deployment.chainId, f.deployment.contracts.AuditAnchor])
    })

    test('an empty batch reverts AuditAnchorEmptyBatch', async () => {
      await rejectsWith(send(relayer, 'anchorBatch', []), 'AuditAnchorEmptyBatch')
    })

    test('a bad signature in the middle is skipped; the entries around it are anchored', async () => {
      const [a, b, c] = agencies
      const entries = [
        await signAnchor(a!, domain, 5, root()),
        { ...await signAnchor(b!, domain, 5, root()), root: root() }, // signature over another root
        await signAnchor(c!, domain, 5, root())
      ]
      const { count, anchored, skipped } = await batch(entries)
      assert.equal(count, 2n)
      assert.deepEqual(anchored, [[a!.address, 5n, entries[0]!.root], [c!.address, 5n, entries[2]!.root]])
      assert.deepEqual(skipped, [[b!.address, 5n, entries[1]!.root, InvalidSignature]])
      assert.equal((await relayer.getFunction('latestAnchor')(b!.address))[0], 0n)
    })

    test('signatures by another key, malformed, or for another contract or chain are InvalidSignature', async () => {
      const a = agencies[3]!
      const r = root()
      const otherKey = { ...await signAnchor(Wallet.createRandom(), domain, 5, r), agency: a.address }
      const malformed = { ...await signAnchor(a, domain, 5, r), r: ZeroHash }
      const otherContract = await signAnchor(a, anchorDomain(f.deployment.chainId, f.deployment.contracts.AgencyRegistry), 5, r)
      const otherChain = await signAnchor(a, anchorDomain(1, f.deployment.contracts.AuditAnchor), 5, r)
      const { count, skipped } = await batch([otherKey, malformed, otherContract, otherChain])
      assert.equal(count, 0n)
      assert.deepEqual(skipped.map((s) => s[3]), [InvalidSignature, InvalidSignature, InvalidSignature, InvalidSignature])
    })

    test('a replayed or stale signature is skipped as NonMonotonic, a signed fork as Fork', async () => {
      const a = agencies[4]!
      const signed10 = await signAnchor(a, domain, 10, root())
      await batch([signed10])
      const stale = await signAnchor(a, domain, 9, root())
      const fork = await signAnchor(a, domain, 10, root())
      const { count, skipped } = await batch([signed10, stale, fork])
      assert.equal(count, 0n)
      assert.deepEqual(skipped.map((s) => s[3]), [NonMonotonic, NonMonotonic, Fork])
    })

    test('a suspended agency\'s signed anchor is skipped as NotActive', async () => {
      const a = agencies[5]!
      const signed = await signAnchor(a, domain, 3, root())
      await send(registry, 'suspend', a.address, 'review')
      const { count, skipped } = await batch([signed])
      assert.equal(count, 0n)
      assert.deepEqual(skipped, [[a.address, 3n, signed.root, NotActive]])
      await send(registry, 'reinstate', a.address)
    })

    test('batch and single anchors share one monotonic history per agency', async () => {
      const agency = f.accounts[1]! // anchored up to 2**52 - 1 above
      const signed = await signAnchor(agency, domain, 2 ** 52, root())
      const { count } = await batch([signed])
      assert.equal(count, 1n)
      await rejectsWith(send(f.anchorAs(agency), 'anchor', 2 ** 52 - 1, root()), 'AuditAnchorNonMonotonic')
      await rejectsWith(send(f.anchorAs(agency), 'anchor', 2 ** 52, root()), 'AuditAnchorFork')
    })

    test('a steady-state batch of 32 costs at most 20,000 gas per agency, whatever the tree sizes', async () => {
      const round = async (size: number): Promise<bigint> => {
        const entries = await Promise.all(agencies.map((a) => signAnchor(a, domain, size, fullRoot())))
        const { receipt, count } = await batch(entries)
        assert.equal(count, 32n)
        return receipt.gasUsed
      }
      await round(1_000)
      const steady = await round(2_000)
      const large = await round(2 ** 40)
      assert.ok(steady / 32n <= 20_000n, `batch of 32 used ${steady / 32n} gas per agency`)
      // 2**40 has three more non-zero bytes than 2,000; the signatures' zero bytes vary a little.
      assert.ok(large - steady <= 32n * 3n * 12n + 32n * 12n, 'a larger tree size only costs its calldata bytes')
    })
  })

  test('only the registry may push an authorization (AuditAnchorNotRegistry)', async () => {
    const outsider = f.accounts[8]!
    const err = await rejectsWith(send(f.anchorAs(outsider), 'syncAgency', outsider.address, true, validUntil), 'AuditAnchorNotRegistry')
    assert.equal(err.details.caller, outsider.address)
  })

  test('the constructor refuses a zero registry (AuditAnchorZeroRegistry)', async () => {
    const factory = new ContractFactory(auditAnchorArtifact.abi, auditAnchorArtifact.bytecode, f.council)
    await rejectsWith(factory.deploy(ZeroAddress).catch((err: unknown) => { throw toChainError(err) }), 'AuditAnchorZeroRegistry')
  })
})
