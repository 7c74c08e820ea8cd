// The chain side of auditor tests: an embedded chain, the council, a read-only client for auditors, and
// registered agencies whose stand-in logs (LogFixture) are served over HTTP and anchored on demand.
import { Contract, Wallet, hexlify, type JsonRpcProvider } from 'ethers'
import { ChainClient, auditAnchorArtifact, connectProvider, startEmbeddedChain, type EmbeddedChain, devCouncil } from '../../node/chain/index.js'
import type { Domain } from '../../protocol/signing/index.js'
import { JURISDICTION, LogFixture, buildEntries, encodeEntries } from './audit-log.js'

export interface TestAgency {
  key: string
  address: string
  log: LogFixture
  url: string
  /** Anchors the fixture log's root at `size` from the agency's account. */
  anchor (size: number): Promise<void>
  /** Appends `count` more valid entries dated from now. */
  grow (count: number): Promise<void>
}

export interface AuditChainFixture {
  chain: EmbeddedChain
  provider: JsonRpcProvider
  council: ChainClient
  /** A client without a key, for auditors. */
  reader: ChainClient
  domain: Domain
  now (): Promise<number>
  advance (seconds: number): Promise<void>
  /** A newly registered agency with `count` valid entries, served over HTTP. */
  agencyWith (count: number): Promise<TestAgency>
  stop (): Promise<void>
}

export async function startAuditChain (accounts = 20): Promise<AuditChainFixture> {
  const chain = await startEmbeddedChain({ accounts })
  const provider = connectProvider(chain.rpcUrl, chain.chainId)
  const council = await ChainClient.connect({ deployment: chain.deployment!, privateKey: chain.accounts[0]!.privateKey, pollingIntervalMs: 0, registrar: devCouncil(chain.deployment!) })
  const reader = await ChainClient.connect({ deployment: chain.deployment!, pollingIntervalMs: 0 })
  const domain: Domain = { chainId: chain.chainId, verifyingContract: chain.deployment!.contracts.AgencyRegistry }
  const fixtures: LogFixture[] = []
  let nextAccount = 1
  const now = async (): Promise<number> => (await provider.getBlock('latest'))!.timestamp
  return {
    chain,
    provider,
    council,
    reader,
    domain,
    now,
    async advance (seconds) {
      await provider.send('evm_increaseTime', [seconds])
      await provider.send('evm_mine', [])
    },
    async agencyWith (count) {
      const account = chain.accounts[nextAccount++]!
      await council.registerAgency(account.address, { name: `agency ${nextAccount}`, cells: JURISDICTION, validUntil: (await now()) + 365 * 86400 })
      const start = (await now()) + 1
      // Entries are dated one second apart; the next batch starts after the last, never on the same dates (the
      // chain's clock may not have moved: blocks in one second share it), which would repeat the same requests.
      let next = start + count
      const log = new LogFixture(account.privateKey, chain.chainId, { entries: encodeEntries(buildEntries(account.privateKey, domain, start, count)) })
      fixtures.push(log)
      const url = await log.listen()
      const anchorContract = new Contract(chain.deployment!.contracts.AuditAnchor, auditAnchorArtifact.abi, new Wallet(account.privateKey, provider))
      return {
        key: account.privateKey,
        address: account.address,
        log,
        url,
        async anchor (size) {
          const tx = await anchorContract.getFunction('anchor')(size, hexlify(log.rootAt(size)))
          await tx.wait()
        },
        async grow (n) {
          const from = Math.max((await now()) + 1, next)
          next = from + n
          const more = encodeEntries(buildEntries(account.privateKey, domain, from, n))
          log.view = { entries: [...log.view.entries, ...more] }
        }
      }
    },
    async stop () {
      for (const f of fixtures) await f.close()
      await council.close()
      await reader.close()
      provider.destroy()
      await chain.stop()
    }
  }
}
