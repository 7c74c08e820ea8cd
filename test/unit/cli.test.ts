import { test } from 'node:test'
import assert from 'node:assert/strict'
import { main } from '../../node/cli/main.js'

test('an unknown command exits 2', async () => {
  const saved = console.error
  console.error = () => {}
  try {
    assert.equal(await main(['no-such-command']), 2)
  } finally {
    console.error = saved
  }
})

test('the polyfill provides Promise.withResolvers', async () => {
  const { promise, resolve } = Promise.withResolvers<number>()
  resolve(7)
  assert.equal(await promise, 7)
})
