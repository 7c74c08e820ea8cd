import { test } from 'node:test'
import assert from 'node:assert/strict'
import { browserSuite, screenshot, unnamedControls, type Browser } from './helpers/browser.js'
import { agencyFixture, SAMPLE_CID, type AgencyFixture } from './helpers/fixture-nodes.js'

const suite = browserSuite(agencyFixture)
const node = (): AgencyFixture => suite.server()
const browser = (): Browser => suite.browser()

test('compose: an area over the limit is stopped with a clear message; a valid one is published and listed', async () => {
  const page = await browser().page()
  await page.goto(`${node().url}/#token=${node().token}`)
  await page.locator('[data-deliveries="1"]').waitFor()
  await page.locator(`li.clip[data-cid="${SAMPLE_CID}"]`).waitFor()
  await screenshot(page, 'agency-requests')
  await page.getByRole('tab', { name: 'New request' }).click()
  await page.getByLabel('Case code').fill('SPD-2026-0099')
  await page.getByLabel('Title').fill('Hit and run at 5th and Pine')
  await page.getByLabel('Category').selectOption('hit-and-run')
  await page.getByLabel('Radius, m').fill('900')
  await page.getByRole('button', { name: 'Use center and radius' }).click()
  const problem = page.locator('#p-cells [data-code="AREA_TOO_LARGE"]')
  await problem.waitFor()
  assert.match(await problem.innerText(), /at most 1\.30 km²/)
  const before = node().log.tree.size
  await page.getByRole('button', { name: 'Sign and publish request' }).click()
  await page.getByRole('alert').filter({ hasText: 'Not sent: fix the 1 problem above.' }).waitFor()
  assert.equal(node().log.tree.size, before, 'nothing was sent')
  await screenshot(page, 'agency-compose-too-large')
  assert.deepEqual(await unnamedControls(page), [])

  await page.getByLabel('Radius, m').fill('200')
  await page.getByRole('button', { name: 'Use center and radius' }).click()
  await page.waitForFunction(() => (globalThis as any).document.querySelector('#p-cells') === null)
  // One more cell by keyboard: the map's hexagons are checkboxes.
  const off = page.locator('polygon[aria-checked="false"]').first()
  await off.focus()
  await page.keyboard.press('Enter')
  await page.getByRole('button', { name: 'Sign and publish request' }).click()
  await page.getByRole('heading', { level: 2, name: 'Hit and run at 5th and Pine' }).waitFor()
  assert.equal(node().log.tree.size, before + 1)
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('.badges li[data-state=ok]').length === 2 && (globalThis as any).document.querySelectorAll('.badges li').length === 2)

  await page.getByRole('button', { name: 'Withdraw request' }).click()
  await page.getByRole('dialog', { name: 'Withdraw this request?' }).getByRole('button', { name: 'Withdraw' }).click()
  await page.getByText('(withdrawn)').waitFor()
  await page.getByRole('button', { name: /Hit and run at 5th and Pine/ }).filter({ hasText: 'withdrawn' }).waitFor()
  await page.close()
})

test('footage: a purpose is asked first, the view says it is logged, and the access is in the log', async () => {
  const page = await browser().page()
  await page.goto(`${node().url}/#token=${node().token}`)
  await page.getByRole('button', { name: /Burglary on Elm Street/ }).click()
  const clip = page.locator(`li.clip[data-cid="${SAMPLE_CID}"]`)
  await clip.getByRole('button', { name: 'View…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Why are you viewing this footage?' })
  assert.match(await dialog.innerText(), /access.*entry in this agency's public log/s)
  assert.equal(await dialog.getByRole('button', { name: 'View and log access' }).isDisabled(), true, 'no purpose, no view')
  await dialog.getByLabel('Purpose').fill('identify the vehicle for case SPD-2026-0042')
  await dialog.getByRole('button', { name: 'View and log access' }).click()
  await page.waitForFunction(() => (globalThis as any).document.querySelector('video')?.readyState >= 2)
  await page.getByRole('status').filter({ hasText: 'Access logged with purpose' }).waitFor()
  assert.deepEqual(node().accesses(), [{ clip: SAMPLE_CID, purpose: 'identify the vehicle for case SPD-2026-0042' }])

  await page.getByRole('tab', { name: 'Public log' }).click()
  await page.locator(`[data-log-size]`).filter({ hasText: String(node().log.tree.size) }).waitFor()
  await page.getByText('✓ signature, root').waitFor()
  await page.getByRole('cell', { name: /access to .* identify the vehicle/ }).waitFor()
  await screenshot(page, 'agency-log')
  await page.close()
})
