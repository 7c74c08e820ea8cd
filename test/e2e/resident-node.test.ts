// The resident page against a real resident node (node/resident: its inbox, policies and ignore routes), fed
// an announcement the way gossip would deliver it. The registry is a stub: this is about the page.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cellToLatLng, cellToParent } from 'h3-js'
import { createNode, type PorchlightNode } from '../../node/index.js'
import { parseConfig } from '../../node/config/index.js'
import { announcementMessageId } from '../../node/network/index.js'
import { residentServices, type ResidentServices } from '../../node/resident/index.js'
import { topicCells } from '../../protocol/index.js'
import { TestAgency } from '../helpers/announcements.js'
import { AGENCY_KEY, DOMAIN } from '../helpers/messages.js'
import { AREA, inboxAdded, liveFields, type Resident } from '../helpers/resident-network.js'
import { browserSuite } from './helpers/browser.js'

const agency = new TestAgency(AGENCY_KEY, DOMAIN)
const [lat, lng] = cellToLatLng(AREA[0]!)

const suite = browserSuite(async (uiDir): Promise<PorchlightNode<ResidentServices>> => {
  const node = await createNode({
    config: parseConfig({ version: 1, role: 'resident', name: 'birch lane', cameras: [{ name: 'porch', lat, lng }] }),
    services: residentServices({
      network: {
        domain: DOMAIN,
        registry: { agencyInfo: async (a) => ({ address: a, name: 'Seattle PD', cells: [...new Set(AREA.map((c) => cellToParent(c, 5)))], validUntil: Math.floor(Date.now() / 1000) + 86400, status: 'active' }) }
      }
    }),
    libp2p: { messageId: announcementMessageId },
    staticDir: uiDir
  })
  await node.start()
  return node
})

test('a real resident node\'s inbox: the request with its signature, registry and jurisdiction badges; ignore through the real route', async () => {
  const node = suite.server()
  const announced = agency.request({ ...liveFields(), title: 'Bicycle theft on Birch Lane', category: 'burglary' })
  assert.equal((await node.services.network.ingest(announced.bytes, { cells: topicCells(AREA) })).result, 'accept')
  await inboxAdded(node as unknown as Resident, announced.id, AbortSignal.timeout(15_000))

  const page = await suite.browser().page()
  await page.goto(`${node.info().api!.url}/#token=${node.keys.apiToken}`)
  await page.getByRole('heading', { level: 2, name: 'Bicycle theft on Birch Lane' }).waitFor()
  await page.getByText('Seattle PD').first().waitFor()
  const states = await page.getByRole('list', { name: 'Verification' }).locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))
  assert.deepEqual(states.slice(0, 3), ['ok', 'ok', 'ok'])
  assert.notEqual(states[3], 'fail', 'the log badge is never red for a logged request (amber while the proof is not sent)')
  assert.equal(await page.locator('polygon.cell-on').count(), announced.signed.message.cells.length)

  await page.getByRole('button', { name: 'Ignore', exact: true }).click()
  await page.getByRole('dialog', { name: 'Ignore this request?' }).getByRole('button', { name: 'Ignore' }).click()
  await page.getByRole('status').filter({ hasText: 'Ignored. Nothing was sent.' }).waitFor()
  const item = await node.services.inbox.get(announced.id)
  assert.equal(item.status, 'ignored')
  assert.deepEqual(item.ignored, { by: 'resident' })

  await page.getByRole('tab', { name: 'Policies' }).click()
  await page.getByRole('checkbox', { name: 'homicide' }).check()
  await page.getByRole('button', { name: 'Save policies' }).click()
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor()
  assert.deepEqual(node.services.inbox.policy().api.ignoreCategories, ['homicide'])
  await page.close()
})
