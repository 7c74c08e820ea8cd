// The three roles' pages against the real neighborhood (`porchlight demo`: chain, agencies, residents and an
// auditor, each its own process over libp2p). One demo for the file; the tests run in order and the last
// one tampers with an agency's stored log, so it stays last.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { Level } from 'level'
import type { Page } from 'playwright-core'
import { camerasInArea, demoSuite, type DemoNode, type DemoProcess } from './helpers/demo.js'
import { restartDemoNode, stopDemoNode } from './helpers/demo-node.js'
import { screenshot, unnamedControls, type Browser } from './helpers/browser.js'

const suite = demoSuite({ residents: 3, anchorIntervalSeconds: 2 })
const demo = (): DemoProcess => suite.demo()
const browser = (): Browser => suite.browser()

interface RequestSummary { id: string, title: string, caseCode: string, cells: string[] }
interface InboxSummary { id: string, title: string }

/** Lists come bare or as `{ items }` (node/footage's shares: `{ shares }`), as the UI's client takes them. */
async function list<T> (node: DemoNode, path: string): Promise<T[]> {
  const body = await demo().call<T[] | { items?: T[], shares?: T[] }>(node, 'GET', path)
  const items = Array.isArray(body) ? body : body.items ?? body.shares
  assert.ok(Array.isArray(items), `${path} on ${node.slug} is a list`)
  return items
}

/** The sample request the first agency published, as its own API lists it. */
async function sampleRequest (): Promise<RequestSummary> {
  // Newest first: the demo's is the oldest.
  const first = (await list<{ id: string, request: { title: string, caseCode: string, cells: string[] } }>(demo().node('agency-north'), '/api/requests')).at(-1)!
  return { id: first.id, title: first.request.title, caseCode: first.request.caseCode, cells: first.request.cells }
}

/** Residents in and outside the sample request's area, decided from their configured cameras. */
async function residents (): Promise<{ inside: DemoNode[], outside: DemoNode[] }> {
  const { cells } = await sampleRequest()
  const all = demo().nodes.filter((n) => n.role === 'resident')
  return { inside: all.filter((r) => camerasInArea(r.cameras, cells)), outside: all.filter((r) => !camerasInArea(r.cameras, cells)) }
}

async function open (node: DemoNode): Promise<Page> {
  const page = await browser().page()
  await page.goto(`${node.api}/#token=${node.token}`)
  await page.locator('[data-node-name]').filter({ hasText: node.name }).waitFor()
  return page
}

test('the demo placed residents on both sides of the sample request\'s area', async () => {
  const { inside, outside } = await residents()
  assert.ok(inside.length >= 1 && outside.length >= 1, `inside: ${inside.length}, outside: ${outside.length}`)
})

test('a resident in the area sees the sample request with every badge green, plays a clip, shares it, and the receipt turns logged, then publicly anchored', async () => {
  const request = await sampleRequest()
  const resident = (await residents()).inside[0]!
  const agency = demo().node('agency-north')
  const page = await open(resident)
  await page.getByRole('heading', { level: 2, name: request.title }).waitFor()
  const badges = page.getByRole('list', { name: 'Verification' }).locator('li')
  // Each badge is worked out in the browser as the item renders: all five are there at once, settled.
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('.badges li').length === 5, undefined, { timeout: 15_000 })
  const states = await badges.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-state')}: ${e.textContent}`))
  assert.deepEqual(states.map((s) => s.split(':')[0]), ['ok', 'ok', 'ok', 'ok', 'ok'], states.join('; '))
  const map = page.getByRole('img', { name: /Request area: \d+ hexagons?/ })
  assert.equal(await map.locator('polygon.cell-on').count(), request.cells.length)

  const clip = page.locator('li.clip').first()
  await clip.getByRole('button', { name: 'Play' }).click()
  await page.waitForFunction(() => {
    const video = (globalThis as any).document.querySelector('li.clip video')
    return video !== null && video.readyState >= 2 && video.currentTime > 0
  }, undefined, { timeout: 15_000 })
  await screenshot(page, 'demo-resident', { viewport: true })
  assert.deepEqual(await unnamedControls(page), [])

  await clip.getByRole('checkbox').check()
  await page.getByRole('button', { name: 'Share selected (1)' }).click()
  const dialog = page.getByRole('dialog', { name: 'Share these clips?' })
  const text = await dialog.innerText()
  assert.match(text, new RegExp(agency.name.replace(/[()]/g, '\\$&')), 'names to whom')
  assert.match(text, /BNP-/, 'names the case')
  assert.match(text, /porch|driveway/, 'names what: the clip\'s camera')
  // What is sent with the clip, before it is: its span, length, media type and label, the label editable.
  const sent = dialog.getByRole('table', { name: 'What is sent with each clip' })
  assert.match(await sent.innerText(), /video\/|image\//)
  await sent.getByRole('textbox').fill('Front of the house')
  await sent.getByText('sent as “Front of the house”').waitFor()
  await dialog.getByRole('button', { name: 'Send 1 clip' }).click()
  await page.getByRole('status').filter({ hasText: `Sharing 1 clip with ${agency.name}` }).waitFor()
  const [share] = await list<{ consent: { message: { clips: Array<{ camera: string }> } } }>(resident, '/api/shares')
  assert.equal(share!.consent.message.clips[0]!.camera, 'Front of the house', 'the consent carries the edited label')

  await page.getByRole('tab', { name: 'Shares' }).click()
  await page.locator('[data-receipt="logged"], [data-receipt="publicly anchored"]').waitFor({ timeout: 30_000 })
  await page.locator('[data-receipt-check="ok"]').waitFor({ timeout: 10_000 })
  await page.locator('[data-receipt="publicly anchored"]').waitFor({ timeout: 30_000 })
  await screenshot(page, 'demo-resident-shares')
  await page.close()
})

test('a resident outside the area never sees the sample request', async () => {
  const request = await sampleRequest()
  const { inside, outside } = await residents()
  // The in-area residents have it (the demo waited for that), so gossip has gone round.
  for (const r of inside) {
    const inbox = await list<InboxSummary>(r, '/api/inbox')
    assert.ok(inbox.some((i) => i.id === request.id), `${r.slug} has it`)
  }
  for (const r of outside) {
    const inbox = await list<InboxSummary>(r, '/api/inbox')
    assert.deepEqual(inbox.filter((i) => i.id === request.id), [], `${r.slug} does not`)
    const page = await open(r)
    await page.getByText('No request covers your cameras.').waitFor()
    assert.equal(await page.getByRole('heading', { name: request.title }).count(), 0)
    await page.close()
  }
})

test('the agency composes a request, is stopped when its area is too large, then views a delivered clip after giving a purpose, and the access is in its log', async () => {
  const agency = demo().node('agency-north')
  const request = await sampleRequest()
  // A delivery of its own, so this test does not depend on the resident's: the other in-area resident
  // consents through its API (what its Share button sends).
  const { inside } = await residents()
  const sharer = inside.at(-1)!
  const item = await demo().call<{ clips?: Array<{ cid: string }> }>(sharer, 'GET', `/api/inbox/${request.id}`)
  const cid = item.clips![0]!.cid
  await demo().call(sharer, 'POST', `/api/inbox/${request.id}/consent`, { clips: [cid], labels: { [cid]: 'Side gate' } })

  const page = await open(agency)
  await page.getByRole('tab', { name: 'New request' }).click()
  await page.getByLabel('Case code').fill('BNP-2026-0501')
  await page.getByLabel('Title').fill('Hit and run on Broadway')
  await page.getByLabel('Category').selectOption('hit-and-run')
  await page.getByLabel('Radius, m').fill('900')
  await page.getByRole('button', { name: 'Use center and radius' }).click()
  const problem = page.locator('#p-cells [data-code="AREA_TOO_LARGE"]')
  await problem.waitFor()
  assert.match(await problem.innerText(), /at most 1\.30 km²/)
  const sizeBefore = (await list(agency, '/api/requests')).length
  await page.getByRole('button', { name: 'Sign and publish request' }).click()
  await page.getByRole('alert').filter({ hasText: /Not sent: fix the \d+ problems? above\./ }).waitFor()
  await screenshot(page, 'demo-agency-compose-too-large')
  assert.equal((await list(agency, '/api/requests')).length, sizeBefore, 'nothing was sent')

  await page.getByLabel('Radius, m').fill('200')
  await page.getByRole('button', { name: 'Use center and radius' }).click()
  await page.waitForFunction(() => (globalThis as any).document.querySelector('#p-cells') === null)
  await page.getByRole('button', { name: 'Sign and publish request' }).click()
  await page.getByRole('heading', { level: 2, name: 'Hit and run on Broadway' }).waitFor()
  assert.equal((await list(agency, '/api/requests')).length, sizeBefore + 1)
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('.badges li[data-state=ok]').length === 2, undefined, { timeout: 15_000 })
  await page.getByRole('button', { name: 'Withdraw request' }).click()
  await page.getByRole('dialog', { name: 'Withdraw this request?' }).getByRole('button', { name: 'Withdraw' }).click()
  await page.getByRole('button', { name: /Hit and run on Broadway/ }).filter({ hasText: 'withdrawn' }).waitFor()

  await page.getByRole('button', { name: new RegExp(request.title) }).click()
  await page.getByRole('heading', { level: 2, name: request.title }).waitFor()
  const delivered = page.locator(`li.clip[data-cid="${cid}"]`)
  await delivered.waitFor({ timeout: 30_000 })
  // What the resident's consent says of the clip, and of its delivery the case and the time.
  assert.equal(await delivered.locator('[data-clip-label]').innerText(), 'Side gate')
  assert.match(await delivered.locator('[data-clip-media-type]').innerText(), /^(video|image)\/[a-z0-9.+-]+$/)
  assert.match(await delivered.locator('[data-clip-duration]').innerText(), /^\d+ (s|min)/)
  assert.match(await delivered.locator('[data-clip-span]').innerText(), /\d{1,2}:\d{2}.*–.*\d{1,2}:\d{2}.* [A-Z]{2,5}|GMT|UTC/)
  const delivery = page.locator('li.delivery').filter({ has: delivered })
  assert.equal(await delivery.locator('[data-case-code]').innerText(), request.caseCode)
  assert.match(await delivery.locator('[data-delivered-at]').innerText(), /\d{4}.*\d{1,2}:\d{2}:\d{2}/)
  await delivered.getByRole('button', { name: 'View…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Why are you viewing this footage?' })
  assert.match(await dialog.innerText(), /access.*entry in this agency's public log/s)
  assert.equal(await dialog.getByRole('button', { name: 'View and log access' }).isDisabled(), true, 'no purpose, no view')
  const purpose = 'identify the person on the bicycle, case BNP-2026-0417'
  await dialog.getByLabel('Purpose').fill(purpose)
  await dialog.getByRole('button', { name: 'View and log access' }).click()
  await page.waitForFunction(() => ((globalThis as any).document.querySelector('li.clip video')?.readyState ?? 0) >= 2, undefined, { timeout: 15_000 })
  await page.getByRole('status').filter({ hasText: 'Access logged with purpose' }).waitFor()
  await screenshot(page, 'demo-agency-footage')
  await page.evaluate(() => { (globalThis as any).scrollTo(0, 0) })
  await screenshot(page, 'demo-agency', { viewport: true })

  await page.getByRole('tab', { name: 'Public log' }).click()
  await page.getByText('✓ signature, root').waitFor({ timeout: 15_000 })
  await page.getByRole('cell', { name: new RegExp(`access to .*${purpose.slice(0, 20)}`) }).waitFor({ timeout: 15_000 })
  // Every row has its time; the delivery and the access rows their case code, from the log itself.
  const rows = page.locator('section[aria-labelledby="log-h"] table tbody tr')
  for (const what of ['delivery of', `access to`]) {
    const row = rows.filter({ hasText: what }).first()
    assert.equal(await row.locator('[data-entry-case]').innerText(), request.caseCode, what)
  }
  const times = await rows.locator('[data-entry-time]').allInnerTexts()
  assert.ok(times.length > 0 && times.every((t) => /\d{4}.*\d{1,2}:\d{2}:\d{2}/.test(t)), times.join('; '))
  await screenshot(page, 'demo-agency-log')
  await page.close()
})

test('the auditor page shows every agency verified with no findings', async () => {
  const page = await open(demo().node('auditor'))
  await page.getByRole('button', { name: 'Audit now' }).click()
  const agencies = demo().nodes.filter((n) => n.role === 'agency')
  await page.locator(`table[data-agencies="${agencies.length}"]`).waitFor()
  await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('tr[data-verified="true"]').length === n, agencies.length, { timeout: 30_000 })
  await page.getByRole('tab', { name: 'Findings' }).click()
  await page.locator('[data-findings="0"]').first().waitFor()
  await page.getByRole('tab', { name: 'Agencies' }).click()
  await screenshot(page, 'demo-auditor', { viewport: true })
  await page.close()
})

test('a resident\'s receipt, pasted on the auditor\'s page, is checked in the browser; a changed one is not', async () => {
  const { inside } = await residents()
  const shares = (await Promise.all(inside.map(async (r) => await list<{ receipt?: object, entry?: string }>(r, '/api/shares')))).flat()
  const share = shares.find((s) => s.receipt !== undefined && s.entry !== undefined)
  assert.ok(share !== undefined, 'a delivered share (the tests above share)')
  const page = await open(demo().node('auditor'))
  await page.getByRole('tab', { name: 'Check evidence' }).click()
  // The registry is the auditor's own (its report names it): nothing to type in.
  await page.getByLabel(/evidence \(JSON\)/i).fill(JSON.stringify({ receipt: share.receipt, entry: share.entry }))
  await page.getByRole('button', { name: 'Check', exact: true }).click()
  await page.locator('[data-ok="true"]').waitFor()
  assert.equal(await page.locator('.result li.ok').count(), 3)
  await screenshot(page, 'demo-auditor-check')
  assert.deepEqual(await unnamedControls(page), [])
  // One hex digit of the entry changed (past its first bytes, so it still decodes as an entry or fails to).
  const changed = share.entry!.slice(0, -2) + (share.entry!.endsWith('00') ? '01' : '00')
  await page.getByLabel(/evidence \(JSON\)/i).fill(JSON.stringify({ receipt: share.receipt, entry: changed }))
  await page.getByRole('button', { name: 'Check', exact: true }).click()
  await page.locator('[data-ok="false"]').waitFor()
  await page.close()
})

test('after an agency\'s stored log entry is changed behind its back, the auditor page shows the finding', async (t) => {
  const agency = demo().node('agency-north')
  const request = await sampleRequest()
  // A fresh entry the auditor has not verified yet: the agency views a delivered clip, which logs an
  // `access` with its purpose. (Entries an auditor already verified are not fetched again.)
  const [delivery] = await list<{ clips: Array<{ cid: string }> }>(agency, `/api/requests/${request.id}/deliveries`)
  const purpose = 'check the timestamp of the clip'
  const res = await fetch(`${agency.api}/api/footage/${delivery!.clips[0]!.cid}?purpose=${encodeURIComponent(purpose)}`, { headers: { authorization: `Bearer ${agency.token}` } })
  assert.equal(res.status, 200)
  await res.arrayBuffer()

  // What a dishonest operator would do: stop the node, rewrite the purpose in that entry in its database
  // (same length, still a well-formed entry) and start it again.
  await stopDemoNode(agency)
  const db = new Level<string, Uint8Array>(join(agency.dir, 'db'), { keyEncoding: 'utf8', valueEncoding: 'view' })
  const log = db.sublevel<string, Uint8Array>('log', { keyEncoding: 'utf8', valueEncoding: 'view' })
  const size = Number(new TextDecoder().decode(await log.get('size')))
  const key = 'e' + (size - 1).toString(16).padStart(14, '0')
  const entry = Buffer.from((await log.get(key))!)
  const at = entry.indexOf(purpose)
  assert.ok(at > 0, 'the newest entry is the access with its purpose')
  entry.write('crop the face of the passers-by', at)
  await log.put(key, Uint8Array.from(entry))
  await db.close()
  const restarted = await restartDemoNode(agency)
  t.after(async () => { await restarted.stop() })

  const page = await open(demo().node('auditor'))
  await page.getByRole('button', { name: 'Audit now' }).click()
  await page.locator(`tr[data-agency="${agency.address!}" i][data-verified="false"]`).waitFor({ timeout: 30_000 })
  await page.getByRole('tab', { name: 'Findings' }).click()
  const finding = page.locator('.finding[data-rule="ENTRY_MISMATCH"]')
  await finding.first().waitFor()
  await finding.first().locator('summary').click()
  assert.match(await finding.first().innerText(), /served/)
  await screenshot(page, 'demo-auditor-finding')
  await page.close()
})
