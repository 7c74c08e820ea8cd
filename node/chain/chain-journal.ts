// A journal that lets the embedded chain outlive its process. Hardhat 2's chain lives in memory and has no
// state dump (hardhat_dumpState is Anvil's and Foundry's, not Hardhat Network's), so the journal keeps what
// made the state instead: the genesis time, then every signed transaction that was mined, with its block's
// timestamp, appended and fsynced before the JSON-RPC answer goes out. Replaying it into a fresh chain that
// starts at the same genesis time, each transaction at its original timestamp, rebuilds the same accounts,
// nonces, contract addresses, records, anchors and event times. Transactions are signed, so a replay needs
// no key. Other state-changing calls (evm_*, hardhat_*, eth_sendTransaction from unlocked accounts) are not
// journaled: nothing in Porchlight sends them.
import { open, readFile, rename, type FileHandle } from 'node:fs/promises'
import { keccak256 } from 'ethers'
import type { EIP1193Provider, RequestArguments } from 'hardhat/types/provider.js'
import { PorchlightError } from '../../protocol/errors.js'
import type { ContractAddresses } from './deployment.js'
import type { CouncilAddresses } from './council.js'

export type JournalRecord =
  | { kind: 'genesis', timestamp: number, chainId: number }
  | { kind: 'deployment', contracts: ContractAddresses, deployBlock: number, council?: CouncilAddresses }
  | { kind: 'tx', raw: string, timestamp: number }

export class ChainJournalError extends PorchlightError {
  static override readonly code = 'CHAIN_JOURNAL_INVALID'
  static override readonly status = 500
  constructor (shortMessage: string, details: Record<string, unknown>, cause?: unknown) {
    super(ChainJournalError.code, shortMessage, { details, cause })
    this.name = 'ChainJournalError'
  }
}

/** The records of a journal file; none when it does not exist. A torn last line (a crash mid-append) is dropped. */
export async function readChainJournal (path: string): Promise<JournalRecord[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  // The last piece is '' after a final newline, or a line torn by a crash mid-append: dropped either way.
  return text.split('\n').slice(0, -1).map((line, i) => {
    try {
      return JSON.parse(line) as JournalRecord
    } catch (err) {
      throw new ChainJournalError('a journal line is not JSON', { path, line: i + 1 }, err)
    }
  })
}

export class ChainJournal {
  private constructor (private readonly file: FileHandle) {}

  /**
   * Writes `records` as the whole journal (atomically: a temporary file renamed over it, which also drops a
   * torn last line) and opens it for appending.
   */
  static async create (path: string, records: JournalRecord[]): Promise<ChainJournal> {
    const temporary = `${path}.tmp`
    const file = await open(temporary, 'w')
    try {
      await file.write(records.map((r) => JSON.stringify(r) + '\n').join(''))
      await file.datasync()
    } finally {
      await file.close()
    }
    await rename(temporary, path)
    return new ChainJournal(await open(path, 'a'))
  }

  async append (record: JournalRecord): Promise<void> {
    await this.file.write(JSON.stringify(record) + '\n')
    await this.file.datasync()
  }

  async close (): Promise<void> {
    await this.file.close()
  }
}

async function blockTimestampOfTx (provider: EIP1193Provider, hash: string): Promise<number | undefined> {
  const receipt = await provider.request({ method: 'eth_getTransactionReceipt', params: [hash] }) as { blockNumber: string } | null
  if (receipt === null) return undefined
  const block = await provider.request({ method: 'eth_getBlockByNumber', params: [receipt.blockNumber, false] }) as { timestamp: string }
  return Number(block.timestamp)
}

/**
 * The provider with every mined raw transaction journaled before its answer is returned. A transaction
 * that reverted is mined too (it uses its nonce), so it is journaled whether the call threw or not.
 */
export function journaledProvider (provider: EIP1193Provider, journal: ChainJournal): EIP1193Provider {
  const request = async (args: RequestArguments): Promise<unknown> => {
    if (args.method !== 'eth_sendRawTransaction') return await provider.request(args)
    const raw = (args.params as string[] | undefined)?.[0]
    const settled: { value: unknown } | { error: unknown } = await provider.request(args).then((value: unknown) => ({ value }), (error: unknown) => ({ error }))
    if (typeof raw === 'string') {
      const timestamp = await blockTimestampOfTx(provider, keccak256(raw))
      if (timestamp !== undefined) await journal.append({ kind: 'tx', raw, timestamp })
    }
    if ('error' in settled) throw settled.error
    return settled.value
  }
  return new Proxy(provider, {
    get (target, key, receiver) {
      if (key === 'request') return request
      const value: unknown = Reflect.get(target, key, receiver)
      return typeof value === 'function' ? value.bind(target) as unknown : value
    }
  })
}

/**
 * Sends the journal's transactions again, each in a block with its original timestamp, then mines one
 * empty block at the current time so the chain's clock goes on from now. Reverts are expected where the
 * original reverted; a transaction that is not mined at all means the journal does not fit this chain.
 */
export async function replayChainJournal (provider: EIP1193Provider, records: JournalRecord[]): Promise<number> {
  let replayed = 0
  for (const record of records) {
    if (record.kind !== 'tx') continue
    await provider.request({ method: 'evm_setNextBlockTimestamp', params: [record.timestamp] })
    await provider.request({ method: 'eth_sendRawTransaction', params: [record.raw] }).catch(() => undefined)
    if (await blockTimestampOfTx(provider, keccak256(record.raw)) === undefined) {
      throw new ChainJournalError('a journaled transaction was not mined on replay', { index: replayed, hash: keccak256(record.raw) })
    }
    replayed++
  }
  const latest = await provider.request({ method: 'eth_getBlockByNumber', params: ['latest', false] }) as { timestamp: string }
  const now = Math.max(Math.floor(Date.now() / 1000), Number(latest.timestamp) + 1)
  await provider.request({ method: 'evm_setNextBlockTimestamp', params: [now] })
  await provider.request({ method: 'evm_mine', params: [] })
  return replayed
}
