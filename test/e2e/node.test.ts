// The UI served by a real node (node/api serves ui/dist at /): the token handshake and the role page.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createNode } from '../../node/index.js'
import { parseConfig } from '../../node/config/index.js'
import { browserSuite } from './helpers/browser.js'

const suite = browserSuite(async (uiDir) => {
  const node = await createNode({ config: parseConfig({ version: 1, role: 'resident', name: 'elm court' }), staticDir: uiDir })
  await node.start()
  return node
})

test('a real node serves the UI; the page takes the token from the fragment and shows the node\'s role and name', async () => {
  const node = suite.server()
  const page = await suite.browser().page()
  await page.goto(`${node.info().api!.url}/#token=${node.keys.apiToken}`)
  await page.locator('[data-node-name]').filter({ hasText: 'elm court' }).waitFor()
  assert.equal(await page.locator('.role').textContent(), 'Resident')
  assert.match(await page.title(), /Resident · elm court/)
  assert.equal(new URL(page.url()).hash, '')
  assert.equal(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('porchlight.token')), node.keys.apiToken)
  await page.getByRole('tab', { name: 'Inbox', selected: true }).waitFor()
  await page.close()
})
