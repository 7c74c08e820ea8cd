// The embedded chain's well-known development accounts, without Hardhat: the CLI's council command and the
// demo need the keys, not the chain, and every node that imports node/chain would otherwise load Hardhat.
// Never use these accounts on a real chain: their keys are public.
import { HDNodeWallet, Mnemonic } from 'ethers'

/** Hardhat Network's mnemonic (`HARDHAT_NETWORK_MNEMONIC`; test/unit/chain/dev-accounts.test.ts keeps them equal). */
export const devMnemonic = 'test test test test test test test test test test test junk'

/** Hardhat's development chain id: the CLI only defaults to the well-known council key on it. */
export const embeddedChainId = 31337

export interface DevAccount {
  address: string
  privateKey: string
}

export function devAccounts (count: number): DevAccount[] {
  const root = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(devMnemonic), "m/44'/60'/0'/0")
  return Array.from({ length: count }, (_, i) => {
    const wallet = root.deriveChild(i)
    return { address: wallet.address, privateKey: wallet.privateKey }
  })
}

/** The embedded chain's council members: development accounts 0, 1 and 2 own both of its Safes. */
export const devCouncilSize = 3
