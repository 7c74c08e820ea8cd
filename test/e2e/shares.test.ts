// The resident's share lifecycle against the running demo (issue 20 items 1, 2, 6, 7; issue 19 item 6): the
// households line, a share whose state changes in the inbox without a reload and whose clip cannot be shared
// again, the receipt exported as a file, a deletion request the agency honours and the resident sees as
// "deleted by the agency at …" (also after its node restarts, and in `porchlight shares list`), what the
// agency logged about the footage checked in the browser, and the page a refused token shows. The tests run
// in order (each builds on the share the one before made); the last restarts the resident's node.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { Page } from 'playwright-core'
import { camerasInArea, demoSuite, type DemoNode, type DemoProcess } from './helpers/demo.js'
import { restartDemoNode, stopDemoNode } from './helpers/demo-node.js'
import { screenshot, type Browser } from './helpers/browser.js'
import type { ReceiptFile, ShareList } from '../../protocol/index.js'

const suite = demoSuite({ residents: 3, anchorIntervalSeconds: 2 })
const demo = (): DemoProcess => suite.demo()
const browser = (): Browser => suite.browser()
const bin = fileURLToPath(new URL('../../bin/porchlight.js', import.meta.url))

/** `porchlight ARGS…` as its own process (the sources: the test runner sets PORCHLIGHT_FROM_SOURCES). */
async function porchlight (...args: string[]): Promise<{ code: number, out: string, err: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env: process.env })
    return { code: 0, out: stdout, err: stderr }
  } catch (err) {
    const e = err as { code?: number, stdout?: string, stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, out: e.stdout ?? '', err: e.stderr ?? '' }
  }
}

/** The API's answer with its status and error code, for refusals (demo().call throws on them). */
async function raw (node: DemoNode, method: string, path: string, body?: unknown): Promise<{ status: number, code?: string }> {
  const res = await fetch(new URL(path, node.api), {
    method,
    headers: { authorization: `Bearer ${node.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const json = await res.json().catch(() => undefined) as { error?: { code?: string } } | undefined
  return { status: res.status, ...(json?.error?.code === undefined ? {} : { code: json.error.code }) }
}

async function sample (): Promise<{ id: string, title: string, cells: string[] }> {
  const list = await demo().call<Array<{ id: string, request: { title: string, cells: string[] } }>>(demo().node('agency-north'), 'GET', '/api/requests')
  const first = list.at(-1)!
  return { id: first.id, title: first.request.title, cells: first.request.cells }
}

async function inside (): Promise<DemoNode> {
  const { cells } = await sample()
  return demo().nodes.find((n) => n.role === 'resident' && camerasInArea(n.cameras, cells))!
}

async function open (node: DemoNode, token = node.token): Promise<Page> {
  const page = await browser().page()
  await page.goto(`${node.api}/#token=${token}`)
  return page
}

let sharedCid: string
let shareId: string

test('the demo says which households are inside the sample request\'s area, as their cameras are', async () => {
  const { id, cells } = await sample()
  const info = demo().info.sampleRequest
  assert.ok(info !== undefined, 'demo.json names the sample request')
  assert.equal(info.id, id)
  const residents = demo().nodes.filter((n) => n.role === 'resident')
  assert.deepEqual(info.households, residents.filter((r) => camerasInArea(r.cameras, cells)).map((r) => r.name))
  assert.deepEqual(info.outside, residents.filter((r) => !camerasInArea(r.cameras, cells)).map((r) => r.name))
  assert.ok(info.households.length >= 1 && info.outside.length >= 1)
})

test('share → the clip\'s state changes in the inbox without a reload → the same clip cannot be shared again', async () => {
  const request = await sample()
  const resident = await inside()
  const page = await open(resident)
  await page.getByRole('heading', { level: 2, name: request.title }).waitFor()
  const clip = page.locator('li.clip').first()
  sharedCid = (await clip.getAttribute('data-cid'))!
  assert.equal(await clip.getAttribute('data-shared'), null, 'not shared yet')
  await clip.getByRole('checkbox').check()
  await page.getByRole('button', { name: 'Share selected (1)' }).click()
  await page.getByRole('dialog', { name: 'Share these clips?' }).getByRole('button', { name: 'Send 1 clip' }).click()
  // Live: the share's events move the clip from pending/delivering to delivered on the same page.
  await clip.locator('[data-clip-share-state="delivered"]').waitFor({ timeout: 30_000 })
  assert.match(await clip.locator('[data-clip-share-state]').innerText(), /Already shared: delivered/)
  assert.equal(await clip.getByRole('checkbox').isDisabled(), true, 'a shared clip cannot be ticked again')
  assert.equal(await clip.getByRole('checkbox').isChecked(), false)
  assert.equal(await page.getByRole('button', { name: /Share selected/ }).isDisabled(), true)
  assert.match(await page.locator('[data-item-status]').innerText(), /shared: 1 clip delivered/)
  await screenshot(page, 'shares-inbox-shared', { viewport: true })

  // The node refuses the duplicate whatever sends it (here its API, as an older page or the CLI would).
  const again = await raw(resident, 'POST', `/api/inbox/${request.id}/consent`, { clips: [sharedCid] })
  assert.deepEqual(again, { status: 409, code: 'CLIP_ALREADY_SHARED' })
  const { shares } = await demo().call<ShareList>(resident, 'GET', '/api/shares')
  const mine = shares.filter((s) => s.consent.message.request === request.id && s.consent.message.clips.some((c) => c.cid === sharedCid))
  assert.equal(mine.length, 1, 'one share of the clip')
  shareId = mine[0]!.id
  assert.deepEqual(mine[0]!.actions, ['delete-request'])
  await page.close()
})

test('the Shares tab exports the receipt as a file naming the chain and the registry', async () => {
  const resident = await inside()
  const page = await open(resident)
  await page.getByRole('tab', { name: 'Shares' }).click()
  const row = page.locator(`tr[data-share="${shareId}"]`)
  await row.locator('[data-receipt-check="ok"]').waitFor({ timeout: 15_000 })
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Export receipt' }).click()])
  const file = JSON.parse(await readFile((await download.path()), 'utf8')) as ReceiptFile
  assert.equal(file.format, 'porchlight-receipt/1')
  assert.equal(file.chainId, demo().info.chain.chainId)
  assert.equal(file.registry.toLowerCase(), demo().info.chain.contracts.AgencyRegistry.toLowerCase())
  assert.equal(file.receipt.message.consent, shareId)
  assert.match(file.entry, /^0x[0-9a-f]+$/)
  // On a phone the table becomes one card per share, within the screen (the page's own width, tabs and
  // header included, is part F's 390 px check over every page).
  await page.setViewportSize({ width: 390, height: 844 })
  await row.getByRole('button', { name: 'Export receipt' }).waitFor()
  await screenshot(page, 'shares-390', { viewport: true })
  const wide = await page.evaluate(() => [...(globalThis as any).document.querySelectorAll('table.shares, table.shares td')]
    .filter((e: any) => e.getBoundingClientRect().right > 390 || e.scrollWidth > e.clientWidth + 1).map((e: any) => e.getAttribute('data-label') ?? e.tagName))
  assert.deepEqual(wide, [], 'nothing of the shares table wider than 390 px')
  await page.close()
})

test('a wrong token shows what to do; `porchlight ui-link` prints a link that opens the page', async () => {
  const resident = await inside()
  const page = await open(resident, 'not-the-token')
  const rejected = page.locator('[data-token-page="rejected"]')
  await rejected.waitFor()
  assert.match(await rejected.innerText(), /porchlight ui-link --dir/)
  assert.equal(await page.getByText('UNAUTHORIZED').count(), 0, 'no developer message')
  assert.equal(await page.locator('#inbox-h').count(), 0, 'no inbox behind it')
  await screenshot(page, 'shares-wrong-token', { viewport: true })
  // The refused token is forgotten: a reload asks for one rather than trying it again.
  await page.reload()
  await page.locator('[data-token-page="missing"]').waitFor()

  await page.close()

  const link = await porchlight('ui-link', '--dir', resident.dir)
  assert.equal(link.code, 0, link.err)
  // A fresh page: on the same one, an address differing only in its fragment would not load the page again.
  const signedIn = await browser().page()
  await signedIn.goto(link.out.trim())
  await signedIn.locator('[data-node-name]').filter({ hasText: resident.name }).waitFor()
  await signedIn.locator('#inbox-h').waitFor()
  await signedIn.close()
})

test('the agency opens the clip, the resident asks it to delete: "deleted by the agency at …", the log\'s entries checked in the browser, also after a restart', async (t) => {
  const resident = await inside()
  const agency = demo().node('agency-north')
  // An access the resident should see: the agency watches the clip with a purpose.
  const watched = await fetch(new URL(`/api/footage/${sharedCid}?purpose=${encodeURIComponent('identify the cyclist')}`, agency.api), { headers: { authorization: `Bearer ${agency.token}` } })
  assert.equal(watched.status, 200)
  await watched.arrayBuffer()

  const page = await open(resident)
  await page.getByRole('tab', { name: 'Shares' }).click()
  const row = page.locator(`tr[data-share="${shareId}"]`)
  await row.getByRole('button', { name: 'What happened to my footage' }).click()
  const history = page.locator(`[data-history="${shareId}"]`)
  await history.locator('li[data-entry-kind="access"][data-entry-check="ok"]').waitFor({ timeout: 15_000 })
  assert.match(await history.locator('li[data-entry-kind="access"]').innerText(), /identify the cyclist/)
  assert.match(await history.locator('[data-countdown]').innerText(), /^89 d 23 h \d+ min \d+ s left$|^90 d 0 h 0 min 0 s left$/)
  await screenshot(page, 'shares-history')

  await row.getByRole('button', { name: 'Ask the agency to delete' }).click()
  await page.getByRole('dialog', { name: 'Ask the agency to delete this footage?' }).getByRole('button', { name: 'Ask the agency to delete' }).click()
  // Requested, then deleted once the node read the agency's delete entry under a signed checkpoint: no reload.
  const state = row.locator('[data-share-state]')
  await row.locator('[data-share-state="deleted"]').waitFor({ timeout: 30_000 })
  assert.match(await state.innerText(), /^deleted by the agency at .+\d{1,2}:\d{2}:\d{2}/)
  assert.equal(await row.getByRole('button', { name: 'Ask the agency to delete' }).count(), 0, 'nothing more to ask')
  await history.locator('li[data-entry-kind="delete"][data-entry-check="ok"]').waitFor({ timeout: 15_000 })
  assert.match(await history.locator('li[data-entry-kind="delete"]').innerText(), /at your request/)
  await screenshot(page, 'shares-deleted')
  await page.close()

  // The CLI says the same, and what is (not) possible now.
  const listed = await porchlight('shares', 'list', '--dir', resident.dir)
  assert.equal(listed.code, 0, listed.err)
  assert.match(listed.out, new RegExp(`${shareId}  deleted by the agency at \\S+  1 clip\\(s\\).*no action possible`))
  const refused = await porchlight('shares', 'withdraw', shareId, '--dir', resident.dir)
  assert.equal(refused.code, 1)
  assert.match(refused.err, /\(SHARE_STATE\)/)

  // After a restart the share still shows the deletion: it is stored, not worked out again.
  await stopDemoNode(resident)
  const restarted = await restartDemoNode(resident)
  t.after(async () => { await restarted.stop() })
  const again = await open(resident)
  await again.getByRole('tab', { name: 'Shares' }).click()
  await again.locator(`tr[data-share="${shareId}"] [data-share-state="deleted"]`).waitFor({ timeout: 15_000 })
  await again.close()
})
