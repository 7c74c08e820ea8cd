// The agency's Users tab against a real agency node (node/agency/users.ts): an admin adds a supervisor (the
// sign-in link shown once), the supervisor's own session (an Approvals tab, no Users tab: it is an admin's),
// and disabling them (their next load refused).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createNode, agencyRole, type AgencyServices, type PorchlightNode } from '../../node/index.js'
import { parseConfig } from '../../node/config/index.js'
import { announcementMessageId } from '../../node/network/index.js'
import { stubChain } from '../helpers/stub-chain.js'
import { browserSuite, screenshot, unnamedControls } from './helpers/browser.js'

type Node = PorchlightNode<AgencyServices>

const suite = browserSuite(async (uiDir): Promise<Node> => {
  const node = await createNode({
    config: parseConfig({ version: 1, role: 'agency', name: 'Seattle PD' }),
    services: agencyRole({ chain: stubChain(async (address) => ({ address, name: 'Seattle PD', cells: [], validUntil: 0, status: 'active' })) }),
    libp2p: { messageId: announcementMessageId },
    staticDir: uiDir
  })
  await node.start()
  return node
})

test('an admin adds a supervisor on the Users tab; the supervisor signs in with the link, sees Approvals and not Users; disabled, refused', async () => {
  const node = suite.server()
  const page = await suite.browser().page()
  await page.goto(`${node.info().api!.url}/#token=${node.keys.apiToken}`)
  await page.getByRole('tab', { name: 'Users' }).click()
  await page.getByText('No users yet').waitFor()
  await page.getByRole('textbox', { name: /Id \(badge number\)/ }).fill('sgt-2210')
  await page.getByRole('radio', { name: /Supervisor/ }).check()
  await page.getByRole('button', { name: 'Add user' }).click()
  const link = await page.getByRole('region', { name: 'sgt-2210 can sign in' }).locator('code').first().textContent()
  const token = new URLSearchParams(new URL(link!).hash.slice(1)).get('token')!
  assert.deepEqual(node.services.users.book.userFor(token), { id: 'sgt-2210', role: 'supervisor' }, 'the link carries their credential')
  await page.getByRole('cell', { name: 'sgt-2210', exact: true }).waitFor()
  assert.deepEqual(await unnamedControls(page), [])
  await screenshot(page, 'agency-users')

  const sergeant = await suite.browser().page()
  await sergeant.goto(link!)
  await sergeant.getByRole('tab', { name: 'Approvals' }).click()
  await sergeant.getByText('No share is waiting.').waitFor()
  assert.equal(await sergeant.getByRole('tab', { name: 'Users' }).count(), 0, 'managing users is an admin\'s')
  await sergeant.close()

  await page.getByRole('button', { name: 'Done' }).click()
  await page.getByRole('button', { name: 'Disable sgt-2210' }).click()
  await page.getByRole('dialog', { name: 'Disable sgt-2210?' }).getByRole('button', { name: 'Disable' }).click()
  await page.getByRole('cell', { name: /^disabled / }).waitFor()
  assert.equal(node.services.users.book.userFor(token), undefined)
  const refused = await fetch(`${node.info().api!.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })
  assert.equal(refused.status, 401)
  await page.close()
})
