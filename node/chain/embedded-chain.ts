// The embedded development chain: Hardhat Network (EDR) in this process, served as JSON-RPC over HTTP on
// 127.0.0.1, with Porchlight's contracts deployed. No hardhat.config file and no project directory are
// involved, so it starts the same from a fresh clone and from any working directory. The accounts are
// Hardhat's well-known development accounts (mnemonic "test … junk"): never use them on a real chain.
import type { AddressInfo } from 'node:net'
import { Wallet } from 'ethers'
import { createHardhatNetworkProvider } from 'hardhat/internal/hardhat-network/provider/provider.js'
import { JsonRpcServer } from 'hardhat/internal/hardhat-network/jsonrpc/server.js'
import { defaultHardhatNetworkParams } from 'hardhat/internal/core/config/default-config.js'
import { connectProvider } from './provider.js'
import { deployContracts, deployEmbeddedCouncil, deployWitnessRegistry } from './deploy.js'
import type { ContractAddresses, Deployment } from './deployment.js'
import { devAccounts, devCouncilSize, embeddedChainId, type DevAccount } from './dev-accounts.js'
import { ChainJournal, ChainJournalError, journaledProvider, readChainJournal, replayChainJournal } from './chain-journal.js'

export interface EmbeddedChainOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number
  /** @default 31337 */
  chainId?: number
  /** How many funded development accounts. @default 10 */
  accounts?: number
  /** Deploy AgencyRegistry, AuditAnchor and WitnessRegistry and their council. @default true */
  deploy?: boolean
  /**
   * The council that governs the registries: Safe's contracts, the council's Safe and the guardian Safe
   * (both owned by development accounts 0, 1 and 2), and a TimelockController. `false` is the test-only
   * shortcut for tests of the registries' own rules: account 0 holds every role, with no notice period.
   * @default { threshold: 2, guardianThreshold: 1, noticeSeconds: 0 }
   */
  council?: false | EmbeddedCouncilConfig
  /**
   * A journal file (see chain-journal.ts) that makes the chain survive a restart: when it holds a deployed
   * chain, that chain is replayed instead of deploying anew; every transaction mined is appended to it.
   * Needs `deploy` (the default). @default none: the state is gone at stop
   */
  journal?: string
}

export interface EmbeddedCouncilConfig {
  /** Approvals of the council's Safe (of 3 members). @default 2 */
  threshold?: number
  /** Approvals of the guardian Safe. @default 1 */
  guardianThreshold?: number
  /** The notice period. @default 0: tests see every change at once unless they ask for a notice */
  noticeSeconds?: number
}

export interface EmbeddedChain {
  rpcUrl: string
  port: number
  chainId: number
  /** Funded development accounts; accounts 0, 1 and 2 are the council's members (account 0 alone with `council: false`). */
  accounts: DevAccount[]
  /** Where the contracts are; undefined when started with `deploy: false`. */
  deployment: Deployment | undefined
  /** The same as `deployment.contracts`. */
  contracts: ContractAddresses | undefined
  /** Stops the JSON-RPC server; the chain's state is gone afterwards. */
  stop (): Promise<void>
}

export async function startEmbeddedChain (opts: EmbeddedChainOptions = {}): Promise<EmbeddedChain> {
  const chainId = opts.chainId ?? embeddedChainId
  // The council's members pay for its transactions: they are always funded.
  const accounts = devAccounts(Math.max(opts.accounts ?? 10, opts.council === false ? 1 : devCouncilSize))
  const params = defaultHardhatNetworkParams
  const saved = opts.journal === undefined ? [] : await readChainJournal(opts.journal)
  const genesis = saved.find((r) => r.kind === 'genesis')
  // The last deployment record counts: a journal from before WitnessRegistry gets a second one when it is added.
  const deployed = saved.findLast((r) => r.kind === 'deployment')
  const resume = genesis !== undefined && deployed !== undefined
  if (resume && genesis.chainId !== chainId) throw new ChainJournalError('the journal is of another chain id', { path: opts.journal, chainId: genesis.chainId, expected: chainId })
  const inner = await createHardhatNetworkProvider({
    hardfork: params.hardfork,
    chainId,
    networkId: chainId,
    blockGasLimit: params.blockGasLimit,
    minGasPrice: 0n,
    automine: true,
    intervalMining: 0,
    mempoolOrder: 'priority',
    chains: params.chains,
    genesisAccounts: accounts.map((a) => ({ privateKey: a.privateKey, balance: '10000000000000000000000' })),
    allowUnlimitedContractSize: false,
    throwOnTransactionFailures: true,
    throwOnCallFailures: true,
    // Blocks mined in the same second share its timestamp instead of each taking the next second: otherwise a
    // burst of transactions (deploy, fund, register) pushes the chain's clock seconds ahead of the wall clock,
    // and a request signed right after its agency's registration predates, to the auditor, that registration.
    allowBlocksWithSameTimestamp: true,
    enableTransientStorage: false,
    enableRip7212: false,
    ...(resume ? { initialDate: new Date(genesis.timestamp * 1000) } : {})
  }, { enabled: false })

  let journal: ChainJournal | undefined
  let provider = inner
  if (opts.journal !== undefined) {
    if (resume) {
      await replayChainJournal(inner, saved)
      journal = await ChainJournal.create(opts.journal, saved)
    } else {
      const block0 = await inner.request({ method: 'eth_getBlockByNumber', params: ['0x0', false] }) as { timestamp: string }
      journal = await ChainJournal.create(opts.journal, [{ kind: 'genesis', timestamp: Number(block0.timestamp), chainId }])
    }
    provider = journaledProvider(inner, journal)
  }
  const server = new JsonRpcServer({ hostname: '127.0.0.1', port: opts.port ?? 0, provider })
  const { port } = await server.listen() as AddressInfo
  const rpcUrl = `http://127.0.0.1:${port}`
  const stop = async (): Promise<void> => {
    await server.close()
    await journal?.close()
  }

  let deployment: Deployment | undefined
  // A journal written before issue 14 names no WitnessRegistry: its chain (the demo's, kept across runs) gets
  // one now, journaled like any transaction, rather than being thrown away.
  const upgrade = resume && (deployed.contracts as Partial<ContractAddresses>).WitnessRegistry === undefined
  if (resume && !upgrade) {
    deployment = { rpc: rpcUrl, chainId, contracts: deployed.contracts, deployBlock: deployed.deployBlock, ...(deployed.council === undefined ? {} : { council: deployed.council }) }
  } else if (resume || (opts.deploy ?? true)) {
    const rpc = connectProvider(rpcUrl, chainId)
    try {
      const deployer = new Wallet(accounts[0]!.privateKey, rpc)
      const members = devAccounts(devCouncilSize).map((a) => a.address)
      const config = opts.council === false ? undefined : { threshold: 2, guardianThreshold: 1, noticeSeconds: 0, ...opts.council }
      const { contracts, deployBlock, council } = upgrade
        ? { contracts: { ...deployed.contracts, WitnessRegistry: (await deployWitnessRegistry(deployer)).address }, deployBlock: deployed.deployBlock, council: undefined }
        : config === undefined ? await deployContracts(deployer) : await deployEmbeddedCouncil(deployer, { members, ...config })
      deployment = { rpc: rpcUrl, chainId, contracts, deployBlock, ...(council === undefined ? {} : { council }) }
      await journal?.append({ kind: 'deployment', contracts, deployBlock, ...(council === undefined ? {} : { council }) })
    } catch (err) {
      await stop()
      throw err
    } finally {
      rpc.destroy()
    }
  }
  return { rpcUrl, port, chainId, accounts, deployment, contracts: deployment?.contracts, stop }
}
