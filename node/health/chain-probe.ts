// Is the chain reachable: one eth_blockNumber with a short timeout. A bare JSON-RPC call rather than the
// ethers provider, whose `send` cannot be given a deadline or be aborted: a probe every few seconds
// against an RPC that accepts and never answers would otherwise pile up requests.
import { ChainUnavailableError } from '../chain/index.js'

export interface ChainProbeInit {
  rpc: string
  /** @default 2000 */
  timeoutMs?: number
}

/** Resolves with the latest block number, or rejects with ChainUnavailableError. */
export async function probeChain ({ rpc, timeoutMs = 2000 }: ChainProbeInit): Promise<number> {
  try {
    const response = await fetch(rpc, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
      signal: AbortSignal.timeout(timeoutMs)
    })
    const body = await response.json() as { result?: unknown }
    if (!response.ok || typeof body.result !== 'string') throw new Error(`eth_blockNumber answered ${response.status}`)
    return Number(BigInt(body.result))
  } catch (err) {
    throw new ChainUnavailableError(rpc, { cause: err })
  }
}
