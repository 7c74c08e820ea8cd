// The live UI on real nodes (the embedded chain, a registered witness, an agency node and a resident node
// serving the built UI): with the resident's page open and never reloaded, a request the agency publishes
// appears in the inbox with the unread badge and "(1)" in the tab title; opening it clears both; a share
// consented meanwhile appears under Shares, its progress moves while the clip is held mid-transfer, and its
// receipt shows once delivered. Nothing on the page polls: each of these is the node's event.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { addClip, call, draft, holdClip, issueRequest, shareWhere, startFootageWorld, type FootageWorld, type ResidentNode } from '../helpers/footage-world.js'
import { randomClip } from '../support/byte-streams.js'
import { buildUi } from './helpers/build-ui.js'
import { launchBrowser, screenshot, type Browser } from './helpers/browser.js'

let world: FootageWorld
let resident: ResidentNode
let browser: Browser
let uiDir: string

before(async () => {
  uiDir = await buildUi()
  world = await startFootageWorld()
  resident = await world.resident('birch', [], {}, { staticDir: uiDir })
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await world?.stop()
  if (uiDir !== undefined) await rm(uiDir, { recursive: true, force: true })
})

/** The page's own marker: gone if the page was reloaded or navigated. */
async function markPage (page: Page): Promise<void> {
  await page.evaluate(() => { (globalThis as any).porchlightNotReloaded = true })
}
async function notReloaded (page: Page): Promise<boolean> {
  return await page.evaluate(() => (globalThis as any).porchlightNotReloaded === true)
}

test('a request arrives: the inbox, the unread badge and the tab title update without a reload; opening it clears the badge; a share\'s progress and receipt update live', { timeout: 180_000 }, async () => {
  const now = Math.floor(Date.now() / 1000)
  // 2 MB, held after 512 KiB: the transfer stops part-way until released, so the bar has a value to show.
  const cid = await addClip(resident, randomClip(2_000_000), now - 1800)
  const held = holdClip(resident, cid, 512 * 1024)

  const page = await browser.page()
  const requests: string[] = []
  page.on('request', (r) => { requests.push(new URL(r.url()).pathname) })
  await page.goto(`${resident.info().api!.url}/#token=${resident.keys.apiToken}`)
  await page.getByText('No request covers your cameras.').waitFor()
  await markPage(page)
  assert.equal(await page.locator('.unread-badge').count(), 0)

  const { id } = await issueRequest(world, draft({ caseCode: 'LIVE-1', title: 'Break-in on Market Street' }))
  const arrived = performance.now()
  await page.locator('.unread-badge[data-unread="1"]').waitFor({ timeout: 15_000 })
  const badgeMs = performance.now() - arrived
  await page.getByRole('button', { name: /Break-in on Market Street/ }).waitFor()
  assert.match(await page.title(), /^\(1\) Porchlight · Resident/)
  assert.equal(await page.locator(`button.card[data-request="${id}"]`).getAttribute('data-unread'), 'true')
  await screenshot(page, 'live-resident-unread', { viewport: true })

  // Opening it (a click; the page's own first choice does not count) marks it seen: badge and "(1)" go.
  await page.getByRole('button', { name: /Break-in on Market Street/ }).click()
  await page.locator('.unread-badge').waitFor({ state: 'detached', timeout: 15_000 })
  await page.waitForFunction(() => !(globalThis as any).document.title.startsWith('('))
  assert.equal(typeof (await resident.services.inbox.get(id)).seenAt, 'number')

  // The share is made through the API while the page shows Shares: only the node's events can bring it in.
  await page.getByRole('tab', { name: 'Shares' }).click()
  await page.getByText('You have not shared anything.').waitFor()
  const consent = await call(resident, 'POST', `/api/inbox/${id}/consent`, { clips: [cid] })
  assert.equal(consent.status, 202)
  await held.reached
  const bar = page.locator(`tr[data-request="${id}"] progress`)
  await page.waitForFunction((sel) => {
    const p = (globalThis as any).document.querySelector(sel)
    return p !== null && Number(p.value) > 0 && Number(p.value) < Number(p.max)
  }, `tr[data-request="${id}"] progress`, { timeout: 15_000 })
  const shown = Number(await bar.getAttribute('value'))
  const total = Number(await bar.getAttribute('max'))
  assert.ok(shown > 0 && shown < total, `part-way: ${shown} of ${total}`)
  await screenshot(page, 'live-resident-share-progress', { viewport: true })

  held.release()
  await shareWhere(resident, consent.json.id, (s) => s.state === 'delivered' || s.state === 'failed')
  await page.locator(`tr[data-request="${id}"] [data-receipt="logged"], tr[data-request="${id}"] [data-receipt="publicly anchored"]`).waitFor({ timeout: 30_000 })
  assert.ok(await notReloaded(page), 'the page was never reloaded')
  assert.equal(requests.filter((p) => p === '/api/events').length, 1, 'one event stream for the whole test')
  console.log(`# live: badge shown ${Math.round(badgeMs)} ms after the request entered the inbox`)
  await page.close()
})
