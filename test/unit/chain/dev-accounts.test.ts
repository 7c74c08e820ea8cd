import { test } from 'node:test'
import assert from 'node:assert/strict'
import { HARDHAT_NETWORK_MNEMONIC } from 'hardhat/internal/core/config/default-config.js'
import { devAccounts, devMnemonic } from '../../../node/chain/index.js'

test('the development accounts are Hardhat Network\'s (its mnemonic, its well-known account 0)', () => {
  assert.equal(devMnemonic, HARDHAT_NETWORK_MNEMONIC)
  assert.equal(devAccounts(1)[0]!.address, '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')
})
