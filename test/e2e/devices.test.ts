// The Devices page against a real resident node (node/api/devices.ts): pair a phone (the QR code and the
// link, shown once), the phone's own session (which manages no devices), and revoking it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createNode, residentRole, type PorchlightNode, type ResidentServices } from '../../node/index.js'
import { parseConfig } from '../../node/config/index.js'
import { announcementMessageId } from '../../node/network/index.js'
import { stubChain } from '../helpers/stub-chain.js'
import { browserSuite, screenshot, unnamedControls } from './helpers/browser.js'

type Node = PorchlightNode<ResidentServices>

const suite = browserSuite(async (uiDir): Promise<Node> => {
  const node = await createNode({
    config: parseConfig({ version: 1, role: 'resident', name: 'birch lane', cameras: [{ name: 'porch', lat: 47.61, lng: -122.33 }] }),
    services: residentRole({ chain: stubChain(async (address) => ({ address, name: 'Seattle PD', cells: [], validUntil: 0, status: 'active' })) }),
    libp2p: { messageId: announcementMessageId },
    staticDir: uiDir
  })
  await node.start()
  return node
})

test('pair a phone on the Devices page: a QR code of a link with its own token; the phone manages no devices; revoked, it is refused', async () => {
  const node = suite.server()
  const page = await suite.browser().page()
  await page.goto(`${node.info().api!.url}/#token=${node.keys.apiToken}`)
  await page.getByRole('tab', { name: 'Devices' }).click()
  await page.getByText('No device is paired.').waitFor()
  await page.getByRole('textbox', { name: 'Device name' }).fill('kitchen phone')
  await page.getByRole('button', { name: 'Pair a phone' }).click()

  const qr = page.getByRole('img', { name: 'QR code of the pairing link for kitchen phone' })
  await qr.waitFor()
  assert.match(await qr.getAttribute('src') ?? '', /^data:image\/svg\+xml;charset=utf-8,%3Csvg/)
  const link = await page.getByRole('region', { name: /Scan this with/ }).locator('code').first().textContent()
  const token = new URLSearchParams(new URL(link!).hash.slice(1)).get('token')!
  assert.equal(node.devices.deviceFor(token), node.devices.list()[0]?.id, 'the link carries the paired device\'s token')
  // This node listens on 127.0.0.1: the page says a phone cannot reach it.
  await page.getByRole('alert').filter({ hasText: 'which a phone cannot reach' }).waitFor()
  await page.getByRole('cell', { name: 'kitchen phone' }).waitFor()
  assert.deepEqual(await unnamedControls(page), [])
  await screenshot(page, 'devices-paired')

  const phone = await suite.browser().page()
  await phone.goto(`${node.info().api!.url}/#token=${token}`)
  await phone.getByRole('tab', { name: 'Devices' }).click()
  await phone.getByText('This device was paired with the node.').waitFor()
  assert.equal(await phone.getByRole('button', { name: 'Pair a phone' }).count(), 0)
  await phone.close()

  await page.getByRole('button', { name: 'Done' }).click()
  await page.getByRole('button', { name: 'Revoke' }).click()
  await page.getByRole('dialog', { name: 'Revoke “kitchen phone”?' }).getByRole('button', { name: 'Revoke' }).click()
  await page.getByText('No device is paired.').waitFor()
  assert.equal(node.devices.deviceFor(token), undefined)
  await page.close()
})
