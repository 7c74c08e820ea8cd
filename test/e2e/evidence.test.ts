// The agency's "Export evidence package" in Chromium on real nodes (the embedded chain, a witness, an agency
// node serving the built UI, a resident that delivered two clips): the button asks first, the export is
// logged as an `access` with purpose `export` per clip, the browser downloads the zip, and the zip verifies
// offline.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { decodeLogEntry, type AccessEntry } from '../../protocol/index.js'
import { verifyEvidence } from '../../node/evidence/index.js'
import { addClip, call, draft, issueRequest, shareWhere, startFootageWorld, type FootageWorld } from '../helpers/footage-world.js'
import { randomClip } from '../support/byte-streams.js'
import { buildUi } from './helpers/build-ui.js'
import { launchBrowser, screenshot, type Browser } from './helpers/browser.js'

let world: FootageWorld
let browser: Browser
let uiDir: string
let request: string
let consent: string

before(async () => {
  uiDir = await buildUi()
  world = await startFootageWorld({ agencyStaticDir: uiDir })
  const ann = await world.resident('ann')
  request = (await issueRequest(world, draft({ caseCode: 'EV-UI-1', title: 'Package theft on Oak Street' }))).id
  const start = Math.floor(Date.now() / 1000) - 1800
  const cids = [await addClip(ann, randomClip(30_000), start), await addClip(ann, randomClip(500), start)]
  const consented = await call(ann, 'POST', `/api/inbox/${request}/consent`, { clips: cids })
  consent = consented.json.id
  assert.equal((await shareWhere(ann, consent, (s) => s.state === 'delivered' || s.state === 'failed')).state, 'delivered')
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await world?.stop()
  if (uiDir !== undefined) await rm(uiDir, { recursive: true, force: true })
})

test('the export button: asks, logs an access (export) per clip, downloads a package that verifies', { timeout: 180_000 }, async () => {
  const page = await browser.page()
  await page.goto(`${world.agency.info().api!.url}/#token=${world.agency.keys.apiToken}`)
  await page.getByRole('button', { name: /Package theft on Oak Street/ }).click()
  await page.getByRole('heading', { level: 2, name: 'Package theft on Oak Street' }).waitFor()
  const exporter = page.locator(`.evidence-export[data-subject="${consent}"]`)
  const log = world.agency.services.log.log!
  const size = log.size
  await exporter.getByRole('button', { name: 'Export evidence package…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Export an evidence package?' })
  await dialog.waitFor()
  // Asking is not exporting: nothing is logged before the confirmation.
  assert.equal(log.size, size)
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), dialog.getByRole('button', { name: 'Export and log access' }).click()])
  assert.match(download.suggestedFilename(), /^evidence-EV-UI-1-[a-z2-7]{12}\.zip$/)
  const file = join(uiDir, 'downloaded.zip')
  await download.saveAs(file)
  await exporter.getByRole('status').filter({ hasText: 'purpose “export”' }).waitFor()
  await screenshot(page, 'evidence-agency-export')

  const verified = verifyEvidence(new Uint8Array(await readFile(file)))
  assert.equal(verified.manifest.caseCode, 'EV-UI-1')
  assert.deepEqual(verified.manifest.deliveries.map((d) => d.consent), [consent])
  assert.equal(verified.manifest.exportAccess.length, 2)
  for (const index of verified.manifest.exportAccess) {
    const entry = decodeLogEntry(await log.entry(index)) as AccessEntry
    assert.deepEqual([entry.kind, entry.purpose, entry.actor], ['access', 'export', 'operator'])
  }
  // The page names the entries the node logged.
  assert.match(await exporter.getByRole('status').innerText(), new RegExp(verified.manifest.exportAccess.join(', ')))
})
