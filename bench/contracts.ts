// Gas of the contracts, from receipts on the embedded chain. Gas is deterministic (fixed keys and roots),
// so the rounds agree; the median is kept for the harness's sake. Baselines from the same chain:
// a plain transfer, an event-only anchor (emit, nothing stored) and a stored monotonic anchor without
// any authorization check.
import { Contract, ContractFactory, Wallet, keccak256, toUtf8Bytes, type InterfaceAbi, type TransactionReceipt } from 'ethers'
import { gridDisk } from 'h3-js'
import { compileSources } from '../contracts/build.js'
import { AnchorRelayer, ChainClient, auditAnchorArtifact, checkRelayedAnchor, connectProvider, signAnchor, startEmbeddedChain, devCouncil } from '../node/chain/index.js'
import { median, type BenchContext } from './lib.js'

const baselineSources = {
  'bench/EventOnlyAnchor.sol': `// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;
contract EventOnlyAnchor {
    event Anchored(address indexed agency, uint64 treeSize, bytes32 root);
    function anchor(uint64 treeSize, bytes32 root) external { emit Anchored(msg.sender, treeSize, root); }
}`,
  'bench/StoredMonotonicAnchor.sol': `// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;
contract StoredMonotonicAnchor {
    struct Log { uint64 treeSize; uint64 anchoredAt; }
    event Anchored(address indexed agency, uint64 treeSize, bytes32 root);
    error NonMonotonic();
    mapping(address => Log) private _logs;
    mapping(address => bytes32) private _roots;
    function anchor(uint64 treeSize, bytes32 root) external {
        if (treeSize <= _logs[msg.sender].treeSize) revert NonMonotonic();
        _logs[msg.sender] = Log(treeSize, uint64(block.timestamp));
        _roots[msg.sender] = root;
        emit Anchored(msg.sender, treeSize, root);
    }
}`
}

const rootOf = (label: string): string => keccak256(toUtf8Bytes(label))
const walletOf = (label: string): Wallet => new Wallet(keccak256(toUtf8Bytes(label)))

export default async function (ctx: BenchContext): Promise<void> {
  const rounds = ctx.quick ? 1 : 3
  const chain = await startEmbeddedChain({ accounts: 4 })
  const deployment = chain.deployment!
  const provider = connectProvider(chain.rpcUrl, chain.chainId)
  const council = await ChainClient.connect({ deployment, privateKey: chain.accounts[0]!.privateKey, pollingIntervalMs: 0, registrar: devCouncil(deployment) })
  const agency = new Wallet(chain.accounts[1]!.privateKey, provider)
  const relayer = await ChainClient.connect({ deployment, privateKey: chain.accounts[2]!.privateKey, pollingIntervalMs: 0 })
  const gas = (r: TransactionReceipt | null): number => Number(r!.gasUsed)
  const row = (figure: string, value: number, baseline: { label: string, value: number }, extra: { goal?: string, met?: boolean } = {}): void => {
    ctx.row({ section: 'contracts', figure, value, unit: 'gas', baseline, better: 'lower', ...extra })
  }
  try {
    const compiled = compileSources(baselineSources)
    const deploy = async (name: string): Promise<Contract> => {
      const a = compiled.get(name)!
      const c = await new ContractFactory(a.abi as InterfaceAbi, a.bytecode, agency).deploy() as Contract
      await c.waitForDeployment()
      return c
    }
    const eventOnly = await deploy('EventOnlyAnchor')
    const storedMonotonic = await deploy('StoredMonotonicAnchor')
    const call = async (c: Contract, size: number): Promise<number> => gas(await (await c.getFunction('anchor').send(size, rootOf(`r${size}`))).wait())

    const transfer = gas(await (await agency.sendTransaction({ to: chain.accounts[3]!.address, value: 1n })).wait())
    const transferBaseline = { label: 'plain transfer', value: transfer }
    const eventOnlyRounds: number[] = []
    for (let i = 1; i <= rounds; i++) eventOnlyRounds.push(await call(eventOnly, i))
    const eventOnlyGas = median(eventOnlyRounds)
    const eventBaseline = { label: 'event-only anchor', value: eventOnlyGas }
    const storedFirst = await call(storedMonotonic, 1)
    const storedSteady: number[] = []
    for (let i = 2; i < 2 + rounds; i++) storedSteady.push(await call(storedMonotonic, i))
    const storedBaseline = { label: 'stored monotonic anchor, no authorization', value: median(storedSteady) }

    const validUntil = Math.floor(Date.now() / 1000) + 86400
    const register = await council.registerAgency(agency.address, { name: 'Bench PD', cells: ['872830828ffffff'], validUntil })
    row('register (1 cell)', register.gasUsed, transferBaseline)
    const cells64 = gridDisk('872830828ffffff', 4).slice(0, 64)
    const register64 = await council.registerAgency(walletOf('bench-64').address, { name: 'Bench County', cells: cells64, validUntil })
    row('register (64 cells)', register64.gasUsed, transferBaseline)
    row('event-only anchor (reference)', eventOnlyGas, transferBaseline)
    row('stored monotonic anchor, no authorization (reference)', median(storedSteady), eventBaseline, { goal: 'issue: 34.9k' })

    const anchorAs = new Contract(deployment.contracts.AuditAnchor, auditAnchorArtifact.abi, agency)
    const first = await call(anchorAs, 1)
    row('anchor, first of a log', first, { label: 'stored monotonic, first', value: storedFirst })
    const steady: number[] = []
    for (let i = 2; i < 2 + rounds; i++) steady.push(await call(anchorAs, i))
    const steadyGas = median(steady)
    row('anchor, steady state', steadyGas, storedBaseline, { goal: '≤ 35,000', met: steadyGas <= 35_000 })

    for (const n of [1, 8, 32]) {
      const agencies = Array.from({ length: n }, (_, i) => walletOf(`bench-batch-${n}-${i}`))
      for (const a of agencies) await council.registerAgency(a.address, { name: 'Batch PD', cells: ['872830828ffffff'], validUntil })
      const perAgency: number[] = []
      for (let round = 0; round <= rounds; round++) {
        const signed = await Promise.all(agencies.map(async (a, i) => await signAnchor(a, relayer.anchorDomain, 10 + round, rootOf(`b${n}-${i}-${round}`))))
        const result = await relayer.anchorBatch(signed)
        if (result.anchored.length !== n) throw new Error(`batch of ${n}: ${result.skipped.length} skipped`)
        if (round > 0) perAgency.push(result.gasUsed / n) // round 0 writes each log's first root
      }
      const value = median(perAgency)
      row(`anchorBatch of ${n}, steady state, per agency`, value, { label: 'single anchor, steady state', value: steadyGas },
        n === 32 ? { goal: '≤ 15,000 (floor ~17,300: see docs/contracts.md)', met: value <= 15_000 } : {})

      // The relayer path, on the same agencies: each signs its checkpoint for the AnchorRelay, the relayer
      // anchors the batch's Merkle root, and every leaf is checked as an auditor checks it.
      const relay = new AnchorRelayer({ chain: relayer })
      const relayed: number[] = []
      for (let round = 0; round < rounds; round++) {
        for (const [i, a] of agencies.entries()) {
          await relay.submit(await signAnchor(a, relayer.relayDomain!, 100 + round, rootOf(`r${n}-${i}-${round}`)))
        }
        const batch = await relay.flush()
        const events = [{ relayer: relayer.address, root: batch!.root, count: batch!.count, transactionHash: batch!.transactionHash, blockNumber: batch!.blockNumber, logIndex: 0 }]
        for (const a of agencies) {
          const proof = relay.relayed(a.address).at(-1)!
          if (checkRelayedAnchor(relayer.relayDomain!, proof, events[0]) !== undefined) throw new Error(`relayed batch of ${n}: a leaf does not verify`)
        }
        relayed.push(batch!.gasUsed / n)
      }
      const relayValue = median(relayed)
      row(`relayer batch root of ${n}, per agency`, relayValue, { label: `anchorBatch of ${n}, per agency`, value },
        n === 32 ? { goal: '≤ 3,000', met: relayValue <= 3_000 } : {})
    }
  } finally {
    await relayer.close()
    await council.close()
    provider.destroy()
    await chain.stop()
  }
}
