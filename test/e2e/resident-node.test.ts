// The resident page against a real resident node (node/resident: its inbox, policies and ignore routes), fed
// an announcement the way gossip would deliver it. The registry is a stub: this is about the page.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cellToLatLng, cellToParent } from 'h3-js'
import { createNode, type PorchlightNode } from '../../node/index.js'
import { parseConfig } from '../../node/config/index.js'
import { announcementMessageId } from '../../node/network/index.js'
import { residentRole, type ResidentServices } from '../../node/index.js'
import { stubChain } from '../helpers/stub-chain.js'
import { topicCells } from '../../protocol/index.js'
import { TestAgency } from '../helpers/announcements.js'
import { AGENCY_KEY, DOMAIN } from '../helpers/messages.js'
import { AREA, inboxAdded, liveFields, type Resident } from '../helpers/resident-network.js'
import { browserSuite, screenshot } from './helpers/browser.js'
import { SAMPLE_CID, SAMPLE_CLIP } from './helpers/fixture-nodes.js'

const agency = new TestAgency(AGENCY_KEY, DOMAIN)
const [lat, lng] = cellToLatLng(AREA[0]!)

type Node = PorchlightNode<ResidentServices>

const suite = browserSuite(async (uiDir): Promise<Node> => {
  const node = await createNode({
    config: parseConfig({ version: 1, role: 'resident', name: 'birch lane', cameras: [{ name: 'porch', lat, lng }] }),
    services: residentRole({
      chain: stubChain(async (a) => ({ address: a, name: 'Seattle PD', cells: [...new Set(AREA.map((c) => cellToParent(c, 5)))], validUntil: Math.floor(Date.now() / 1000) + 86400, status: 'active' }))
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

test('a clip added through the page is stored by node/clips, matches the request\'s window and plays in place', async () => {
  const node = suite.server()
  const fields = liveFields()
  const announced = agency.request({ ...fields, title: 'Package theft on Birch Lane', category: 'burglary' })
  assert.equal((await node.services.network.ingest(announced.bytes, { cells: topicCells(AREA) })).result, 'accept')
  await inboxAdded(node as unknown as Resident, announced.id, AbortSignal.timeout(15_000))

  const page = await suite.browser().page()
  await page.goto(`${node.info().api!.url}/#token=${node.keys.apiToken}`)
  await page.getByRole('tab', { name: 'Clips' }).click()
  await page.getByLabel('Video file').setInputFiles({ name: 'porch.webm', mimeType: 'video/webm', buffer: SAMPLE_CLIP })
  // The node reports its cameras (GET /api/cameras), so the page offers them as a list.
  await page.getByLabel('Camera').selectOption('porch')
  const start = new Date((fields.windowStart + 600) * 1000)
  const pad = (n: number): string => String(n).padStart(2, '0')
  await page.getByLabel('Recording started').fill(`${start.getFullYear()}-${pad(start.getMonth() + 1)}-${pad(start.getDate())}T${pad(start.getHours())}:${pad(start.getMinutes())}`)
  await page.getByLabel('Length, seconds').fill('2')
  await page.getByRole('button', { name: 'Add clip' }).click()
  await page.getByRole('status').filter({ hasText: `Stored ${SAMPLE_CID}` }).waitFor()
  assert.deepEqual((await node.services.clips.store.list()).map((c) => c.cid), [SAMPLE_CID])

  await page.getByRole('tab', { name: 'Inbox' }).click()
  await page.getByRole('button', { name: /Package theft on Birch Lane/ }).click()
  const clip = page.locator(`li.clip[data-cid="${SAMPLE_CID}"]`)
  await clip.getByRole('button', { name: 'Play' }).click()
  await page.waitForFunction(() => (globalThis as any).document.querySelector('li.clip video')?.videoWidth > 0)
  await screenshot(page, 'resident-real-node')
  await page.close()
})
