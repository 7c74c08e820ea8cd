// The one way Porchlight makes an ethers provider, with the settings that matter against Hardhat:
// no response cache (two quick deploys would otherwise reuse a nonce), no JSON-RPC batching (each
// transaction is ~4× slower batched), and a static network (no chain-id probe that loops while the RPC
// is down — the retry queue handles outages).
import { JsonRpcProvider, Network } from 'ethers'

export interface ProviderOptions {
  /** How often ethers polls for new blocks and receipts. @default 250 */
  pollingIntervalMs?: number
}

export function connectProvider (rpcUrl: string, chainId: number, opts: ProviderOptions = {}): JsonRpcProvider {
  const network = Network.from(chainId)
  const provider = new JsonRpcProvider(rpcUrl, network, {
    staticNetwork: network,
    cacheTimeout: -1,
    batchMaxCount: 1,
    pollingInterval: opts.pollingIntervalMs ?? 250
  })
  return provider
}
