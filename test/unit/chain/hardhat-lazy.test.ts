// Hardhat (~70 MiB of RSS) is loaded only when an embedded chain starts: every node imports node/chain
// and the CLI, and only `porchlight chain` and `porchlight demo` run a chain.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

const hardhatModules = (): string[] => Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes('/node_modules/hardhat/'))

test('importing the CLI (every command, node/chain included) loads no Hardhat module', async () => {
  await import('../../../node/cli/main.js')
  assert.deepEqual(hardhatModules(), [])
})

test("devAccounts are Hardhat's development accounts (account 0 as Hardhat documents it)", async () => {
  const { devAccounts } = await import('../../../node/chain/index.js')
  const [first] = devAccounts(1)
  assert.equal(first!.address, '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')
  assert.equal(first!.privateKey, '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80')
})

test('and startEmbeddedChain loads it', async () => {
  const { startEmbeddedChain } = await import('../../../node/chain/index.js')
  const chain = await startEmbeddedChain({ deploy: false })
  try {
    assert.ok(hardhatModules().length > 0)
  } finally {
    await chain.stop()
  }
})
