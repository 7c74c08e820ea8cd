import { test } from 'node:test'
import assert from 'node:assert/strict'
import { browserSuite, screenshot, unnamedControls, type Browser } from './helpers/browser.js'
import { auditorFixture, type AuditorFixture } from './helpers/fixture-nodes.js'
import { DOMAIN, FixtureLog, logDelivery, logRequest } from '../helpers/ui-world.js'
import { CONSENT_ID } from '../helpers/messages.js'

const suite = browserSuite(auditorFixture)
const node = (): AuditorFixture => suite.server()
const browser = (): Browser => suite.browser()

test('every agency verified with no findings; after tampering the finding appears with its evidence', async () => {
  const page = await browser().page()
  await page.goto(`${node().url}/#token=${node().token}`)
  await page.locator('table[data-agencies="2"]').waitFor()
  assert.deepEqual(await page.locator('tr[data-agency]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-verified'))), ['true', 'true'])
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('.chart canvas').length === 2)
  await screenshot(page, 'auditor-agencies')
  await page.getByRole('tab', { name: 'Findings' }).click()
  await page.locator('[data-findings="0"]').first().waitFor()

  node().tamper()
  await page.getByRole('button', { name: 'Audit now' }).click()
  await page.getByRole('tab', { name: 'Findings' }).click()
  await page.locator('ul[data-findings="1"]').waitFor()
  assert.equal(node().audits(), 1)
  await page.locator('.finding summary').click()
  assert.match(await page.locator('.finding pre').innerText(), /servedHash/)
  assert.equal(await page.locator('.finding').getAttribute('data-rule'), 'ENTRY_MISMATCH')
  await page.getByRole('tab', { name: 'Agencies' }).click()
  await page.locator('tr[data-verified="false"]').waitFor()
  await screenshot(page, 'auditor-finding')
  await page.close()
})

test('a pasted receipt with its entry is verified in the browser; a tampered one is not', async () => {
  const log = new FixtureLog()
  const req = logRequest(log)
  const { entry, receipt } = logDelivery(log, req.id, CONSENT_ID)
  const page = await browser().page()
  await page.goto(`${node().url}/#token=${node().token}`)
  await page.getByRole('tab', { name: 'Check evidence' }).click()
  await page.getByLabel(/Evidence \(JSON\)/).fill(JSON.stringify({ receipt, entry }))
  await page.getByLabel(/AgencyRegistry address/).fill(DOMAIN.verifyingContract)
  await page.getByRole('button', { name: 'Check' }).click()
  await page.locator('[data-ok="true"]').waitFor()
  assert.equal(await page.locator('.result li.ok').count(), 3)
  await screenshot(page, 'auditor-check')
  assert.deepEqual(await unnamedControls(page), [])
  await page.getByLabel(/Evidence \(JSON\)/).fill(JSON.stringify({ receipt, entry: { ...entry, at: 1 } }))
  await page.getByRole('button', { name: 'Check' }).click()
  await page.locator('[data-ok="false"]').waitFor()
  await page.close()
})
