// Shared fixture for the contract and chain tests: one embedded chain per test file, wallets on it, the
// contracts, and an assertion that a promise fails with a given Porchlight error name.
import assert from 'node:assert/strict'
import { Contract, Wallet, type JsonRpcProvider } from 'ethers'
import {
  agencyRegistryArtifact, auditAnchorArtifact, witnessRegistryArtifact, connectProvider, startEmbeddedChain, toChainError,
  type Deployment, type EmbeddedChain, type EmbeddedCouncilConfig
} from '../../node/chain/index.js'

export interface ChainFixture {
  chain: EmbeddedChain
  deployment: Deployment
  provider: JsonRpcProvider
  council: Wallet
  /** Funded accounts 1.. (account 0 is the council). */
  accounts: Wallet[]
  registryAs (signer: Wallet): Contract
  anchorAs (signer: Wallet): Contract
  witnessesAs (signer: Wallet): Contract
  /** Seconds since the epoch on the chain's latest block. */
  now (): Promise<number>
  /** Moves the chain's clock forward and mines a block. */
  advance (seconds: number): Promise<void>
  stop (): Promise<void>
}

/**
 * `council: false` by default: the registries' own rules are tested with account 0 holding every role (the
 * embedded chain's documented test-only shortcut); the council's path has its own tests (council.test.ts).
 */
export async function startChainFixture (opts: { council?: EmbeddedCouncilConfig | false } = {}): Promise<ChainFixture> {
  const chain = await startEmbeddedChain({ accounts: 10, council: opts.council ?? false })
  const deployment = chain.deployment!
  const provider = connectProvider(chain.rpcUrl, chain.chainId)
  const wallets = chain.accounts.map((a) => new Wallet(a.privateKey, provider))
  return {
    chain,
    deployment,
    provider,
    council: wallets[0]!,
    accounts: wallets.slice(1),
    registryAs: (signer) => new Contract(deployment.contracts.AgencyRegistry, agencyRegistryArtifact.abi, signer),
    anchorAs: (signer) => new Contract(deployment.contracts.AuditAnchor, auditAnchorArtifact.abi, signer),
    witnessesAs: (signer) => new Contract(deployment.contracts.WitnessRegistry, witnessRegistryArtifact.abi, signer),
    now: async () => (await provider.getBlock('latest'))!.timestamp,
    advance: async (seconds) => {
      await provider.send('evm_increaseTime', [seconds])
      await provider.send('evm_mine', [])
    },
    stop: async () => {
      provider.destroy()
      await chain.stop()
    }
  }
}

/** Sends a contract transaction and returns its receipt, with reverts turned into typed errors. */
export async function send (contract: Contract, method: string, ...args: unknown[]): Promise<import('ethers').TransactionReceipt> {
  try {
    const tx = await contract.getFunction(method)(...args)
    return (await tx.wait())!
  } catch (err) {
    throw toChainError(err)
  }
}

/** Asserts that `promise` rejects with an error whose `name` is `name`; returns the error. */
export async function rejectsWith (promise: Promise<unknown>, name: string): Promise<Error & { details: Record<string, unknown>, code: string }> {
  let caught: unknown
  try {
    await promise
  } catch (err) {
    caught = err
  }
  assert.ok(caught instanceof Error, `expected ${name}, but it resolved`)
  assert.equal(caught.name, name, `expected ${name}, got ${caught.name}: ${caught.message}`)
  return caught as Error & { details: Record<string, unknown>, code: string }
}

/** H3 cells of resolution 7 (and one of 5) around San Francisco, ascending. */
export const cells = ['85283083fffffff', '872830828ffffff', '87283082effffff']
export const cellValues = cells.map((c) => BigInt(`0x${c}`))

/** The named events in `receipt`, decoded with `iface`, as arrays of their arguments. */
export function eventsOf (receipt: import('ethers').TransactionReceipt, iface: import('ethers').Interface, name: string): unknown[][] {
  const out: unknown[][] = []
  for (const log of receipt.logs) {
    let parsed: import('ethers').LogDescription | null
    try { parsed = iface.parseLog(log) } catch { parsed = null }
    if (parsed?.name === name) out.push(parsed.args.toArray(true))
  }
  return out
}
