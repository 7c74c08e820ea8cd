// `startEmbeddedChain` for node/chain's index: Hardhat (tens of MB of modules) is imported on the first
// call, not when node/chain is, so that a node, which only talks to a chain, never loads it.
import type { EmbeddedChain, EmbeddedChainOptions } from './embedded-chain.js'

export async function startEmbeddedChain (opts: EmbeddedChainOptions = {}): Promise<EmbeddedChain> {
  const { startEmbeddedChain } = await import('./embedded-chain.js')
  return await startEmbeddedChain(opts)
}
