import { test } from 'node:test'
import assert from 'node:assert/strict'
import { browserSuite, screenshot, type Browser } from './helpers/browser.js'
import { residentFixture, SAMPLE_CID, type ResidentFixture } from './helpers/fixture-nodes.js'

const suite = browserSuite(residentFixture)
const node = (): ResidentFixture => suite.server()
const browser = (): Browser => suite.browser()

test('the inbox shows the request with every badge verified in the browser, its map with the camera, and plays a clip', async () => {
  const page = await browser().page()
  await page.goto(`${node().url}/#token=${node().token}`)
  await page.getByRole('heading', { level: 2, name: 'Burglary on Elm Street' }).waitFor()
  assert.equal(new URL(page.url()).hash, '', 'the token left the address bar')
  assert.equal(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('porchlight.token')), node().token)

  const badges = page.getByRole('list', { name: 'Verification' }).locator('li')
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('.badges li').length === 4)
  assert.deepEqual(await badges.evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))), ['ok', 'ok', 'ok', 'ok'])
  assert.match(await badges.nth(3).getAttribute('title') ?? '', /checked in this browser/)

  const map = page.getByRole('img', { name: /Request area: \d+ hexagons, with your cameras porch/ })
  assert.equal(await map.locator('polygon.cell-on').count(), node().request.signed.message.cells.length)
  assert.equal(await map.locator('.camera').count(), 1, 'only the camera inside the area is drawn')

  const clip = page.locator(`li.clip[data-cid="${SAMPLE_CID}"]`)
  await clip.getByRole('button', { name: 'Play' }).click()
  const video = clip.locator('video')
  await video.waitFor()
  await page.waitForFunction(() => (globalThis as any).document.querySelector('video')?.readyState >= 2 && (globalThis as any).document.querySelector('video').videoWidth > 0)
  assert.equal(await page.evaluate(() => (globalThis as any).document.querySelector('video').videoWidth), 320)
  await screenshot(page, 'resident-inbox')
  await page.close()
})

test('share: the confirmation names what goes to whom; the receipt turns logged, then publicly anchored', async () => {
  const page = await browser().page()
  await page.goto(`${node().url}/#token=${node().token}`)
  const clip = page.locator(`li.clip[data-cid="${SAMPLE_CID}"]`)
  await clip.getByRole('checkbox').check()
  await page.getByRole('button', { name: 'Share selected (1)' }).click()
  const dialog = page.getByRole('dialog', { name: 'Share these clips?' })
  await dialog.waitFor()
  const text = await dialog.innerText()
  assert.match(text, /Seattle Police Department/)
  assert.match(text, /SPD-2026-0042/)
  assert.match(text, /porch/)
  assert.match(text, /Not sent: your name/)
  await dialog.getByRole('button', { name: 'Send 1 clip' }).click()
  await page.getByRole('status').filter({ hasText: 'Sharing 1 clip with Seattle Police Department' }).waitFor()

  await page.getByRole('tab', { name: 'Shares' }).click()
  const receipt = page.locator('[data-receipt]')
  await page.locator('[data-receipt="delivering"]').waitFor()
  node().progress(7000)
  await page.waitForFunction(() => Number((globalThis as any).document.querySelector('progress')?.value) === 7000)
  node().deliver()
  await page.locator('[data-receipt="logged"]').waitFor()
  node().anchor()
  await page.locator('[data-receipt="publicly anchored"]').waitFor()
  assert.equal(await receipt.count(), 1)
  await screenshot(page, 'resident-shares')
  await page.close()
})

test('without a token the page asks for one; a wrong token shows the API\'s error next to the inbox', async () => {
  const page = await browser().page()
  await page.goto(`${node().url}/`)
  await page.getByLabel('API token').fill('wrong')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByRole('alert').filter({ hasText: 'UNAUTHORIZED' }).first().waitFor()
  await page.close()
})

test('add a clip: the file streams to the node and appears in the list; a refused one shows the API\'s error', async () => {
  const page = await browser().page()
  await page.goto(`${node().url}/#token=${node().token}`)
  await page.getByRole('tab', { name: 'Clips' }).click()
  const bytes = Buffer.alloc(300_000, 7)
  await page.getByLabel('Video file').setInputFiles({ name: 'driveway.webm', mimeType: 'video/webm', buffer: bytes })
  await page.getByLabel('Camera').selectOption('garage')
  await page.getByLabel('Length, seconds').fill('30')
  await page.getByRole('button', { name: 'Add clip' }).click()
  await page.getByRole('status').filter({ hasText: /^Stored bafkrei/ }).waitFor()
  await page.getByRole('cell', { name: 'garage' }).waitFor()
  assert.equal(await page.locator('table tbody tr').count(), 2)
  await screenshot(page, 'resident-clips')

  await page.getByLabel('Video file').setInputFiles({ name: 'long.webm', mimeType: 'video/webm', buffer: Buffer.alloc(1_200_000, 1) })
  await page.getByRole('button', { name: 'Add clip' }).click()
  await page.locator('#upload-error').filter({ hasText: 'CLIP_TOO_LARGE' }).waitFor()
  assert.equal(await page.locator('table tbody tr').count(), 2)
  await page.close()
})
