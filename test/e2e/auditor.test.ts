// The auditor's drill-down against the real neighborhood (`porchlight demo`): a resident shares a clip, the
// agency views, shares with the other agency and deletes it; the auditor's page then shows "Audit now" with
// its result, every entry of the agency verified and filterable, the request's history with its retention
// met, the transparency report and its CSV and JSON files, charts over the data with every series, a
// receipt file checked against the auditor's own chain, and all of it on a 390 px phone screen.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import type { AuditedEntryList, DeliveryList, ReceiptFile, SignedReceipt } from '../../protocol/index.js'
import { camerasInArea, demoSuite, type DemoNode } from './helpers/demo.js'
import { screenshot, unnamedControls } from './helpers/browser.js'

const suite = demoSuite({ residents: 3, anchorIntervalSeconds: 2 })
const demo = suite.demo
const PHONE = { width: 390, height: 844 }

async function open (node: DemoNode, viewport?: { width: number, height: number }): Promise<Page> {
  const page = await suite.browser().page()
  if (viewport !== undefined) await page.setViewportSize(viewport)
  await page.goto(`${node.api}/#token=${node.token}`)
  await page.locator('[data-node-name]').filter({ hasText: node.name }).waitFor()
  return page
}

/** Asks again until `ready` holds of the answer; the nodes' work here has no event a test process can await. */
async function until<T> (ask: () => Promise<T>, ready: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const value = await ask()
    if (ready(value)) return value
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

interface Shared { caseCode: string, request: string, cid: string, receipt: SignedReceipt, entry: string }
let shared: Shared | undefined

/** Once for the file: a delivery, then an access, a share to the other agency and a deletion of that clip. */
async function share (): Promise<Shared> {
  if (shared !== undefined) return shared
  const agency = demo().node('agency-north')
  const other = demo().node('agency-south')
  const requests = await demo().call<Array<{ id: string, request: { caseCode: string, cells: string[] } }>>(agency, 'GET', '/api/requests')
  const sample = requests.at(-1)!
  const resident = demo().nodes.find((n) => n.role === 'resident' && camerasInArea(n.cameras, sample.request.cells))!
  const item = await demo().call<{ clips?: Array<{ cid: string }> }>(resident, 'GET', `/api/inbox/${sample.id}`)
  const cid = item.clips![0]!.cid
  await demo().call(resident, 'POST', `/api/inbox/${sample.id}/consent`, { clips: [cid] })
  await until(async () => await demo().call<DeliveryList>(agency, 'GET', `/api/requests/${sample.id}/deliveries`), (d) => d.items.some((x) => x.clips.some((c) => c.cid === cid)), 'the delivery')
  const res = await fetch(`${agency.api}/api/footage/${cid}?purpose=${encodeURIComponent('compare with the witness statement')}`, { headers: { authorization: `Bearer ${agency.token}` } })
  assert.equal(res.status, 200)
  await res.arrayBuffer()
  await demo().call(agency, 'POST', `/api/footage/${cid}/share`, { recipient: other.address })
  const { logIndex } = await demo().call<{ logIndex: number }>(agency, 'DELETE', `/api/footage/${cid}`)
  // The agency serves a checkpoint once its witnesses cosigned it: until then an audit sees the log before these.
  await until(async () => Number((await (await fetch(`${agency.api}/checkpoint`)).text()).split('\n')[1]), (size) => size > logIndex, "the agency's checkpoint over the deletion")
  const shares = await until(async () => await demo().call<{ shares: Array<{ receipt?: SignedReceipt, entry?: string }> }>(resident, 'GET', '/api/shares'),
    (s) => s.shares.some((x) => x.receipt !== undefined && x.entry !== undefined), "the resident's receipt")
  const mine = shares.shares.find((x) => x.receipt !== undefined && x.entry !== undefined)!
  shared = { caseCode: sample.request.caseCode, request: sample.id, cid, receipt: mine.receipt!, entry: mine.entry! }
  return shared
}

async function auditNow (page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Audit now' }).click()
  await page.locator('[data-audit-done]').waitFor({ timeout: 60_000 })
}

/** The page is no wider than the screen, and no two of these boxes overlap. */
async function fitsAndApart (page: Page, selectors: string[], where: string): Promise<void> {
  const { overflow, wide } = await page.evaluate(() => {
    const doc = (globalThis as any).document
    const d = doc.documentElement
    // The outermost elements that reach past the screen's right edge, to name in the failure.
    const past = [...doc.querySelectorAll('body *')].filter((e: any) => e.getBoundingClientRect().right > d.clientWidth + 0.5 && e.closest('.scroll') === null)
    const outer = past.filter((e: any) => !past.includes(e.parentElement)).slice(0, 5)
    return { overflow: d.scrollWidth - d.clientWidth, wide: outer.map((e: any) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (${Math.round(e.getBoundingClientRect().right)} px)`) }
  })
  assert.ok(overflow <= 0, `${where}: the page overflows the screen by ${overflow} px: ${wide.join(', ')}`)
  const boxes = (await Promise.all(selectors.map(async (s) => await page.locator(s).evaluateAll((els) => els.map((e) => {
    const r = e.getBoundingClientRect()
    return { what: (e.textContent ?? '').trim().slice(0, 20), x: r.x, y: r.y, w: r.width, h: r.height }
  }))))).flat()
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!; const b = boxes[j]!
      const apart = a.x + a.w <= b.x + 0.5 || b.x + b.w <= a.x + 0.5 || a.y + a.h <= b.y + 0.5 || b.y + b.h <= a.y + 0.5
      assert.ok(apart, `"${a.what}" overlaps "${b.what}"`)
    }
  }
}

test('"Audit now" shows the pass under way and its result; every entry of the agency is listed verified and filters by kind, user and request', async () => {
  const s = await share()
  const agency = demo().node('agency-north')
  const page = await open(demo().node('auditor'))
  const polled: string[] = []
  page.on('request', (r) => { if (r.url().endsWith('/api/audit/progress')) polled.push(r.url()) })
  await auditNow(page)
  assert.ok(polled.length >= 1, 'the page asked how far the pass was')
  assert.match(await page.locator('[data-audit-done]').innerText(), /Pass done.*\d+ agencies, \d+ new entries verified, \d+ new findings?/)

  await page.getByRole('button', { name: new RegExp(`^Open ${agency.name.replace(/[()]/g, '\\$&')}`) }).click()
  await page.locator(`[data-drill="${agency.address!}" i]`).waitFor()
  const total = Number(await page.locator('[data-total]').getAttribute('data-total'))
  const served = await (await fetch(`${demo().node('auditor').api}/api/agencies/${agency.address!}/entries?limit=500`)).json() as AuditedEntryList
  assert.equal(total, served.total)
  assert.ok(total >= 5, 'request, delivery, access, share and delete at least')
  assert.equal(await page.locator('li.entry[data-verified="false"]').count(), 0, 'every entry verified')
  assert.equal(await page.locator('li.entry').count(), Math.min(total, 50))

  await page.getByLabel('Kind').selectOption('access')
  await page.getByRole('button', { name: 'Filter' }).click()
  await page.waitForFunction(() => {
    const items = [...(globalThis as any).document.querySelectorAll('li.entry')]
    return items.length > 0 && items.every((e: any) => e.getAttribute('data-kind') === 'access')
  })
  const actor = served.entries.find((e) => e.kind === 'access')!.users[0]!
  await page.getByLabel('Kind').selectOption('')
  await page.getByLabel('User').fill(actor)
  await page.getByRole('button', { name: 'Filter' }).click()
  await page.waitForFunction((n) => Number((globalThis as any).document.querySelector('[data-total]')?.getAttribute('data-total')) === n,
    served.entries.filter((e) => e.users.includes(actor)).length)
  assert.ok(await page.locator('li.entry').count() >= 1)

  await page.getByLabel('User').fill('')
  await page.getByLabel('Request or case code').fill(s.caseCode)
  await page.getByRole('button', { name: 'Filter' }).click()
  // The request's own entry: the user filter's list before it holds access, share and delete entries (all by
  // the operator) but never a request, so this waits for the new list, not the old one.
  await page.waitForFunction(() => (globalThis as any).document.querySelector('li.entry[data-kind="request"]') !== null)
  const kinds = await page.locator('li.entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))
  for (const k of ['request', 'delivery', 'access', 'share', 'delete']) assert.ok(kinds.includes(k), `${k} among ${kinds.join(', ')}`)
  assert.deepEqual(await unnamedControls(page), [])
  await screenshot(page, 'auditor-drill')
  await page.close()
})

test("a request's history shows its deliveries, uses, and the deleted clip's retention deadline met", async () => {
  const s = await share()
  const agency = demo().node('agency-north')
  const page = await open(demo().node('auditor'))
  await auditNow(page)
  await page.getByRole('button', { name: new RegExp(`^Open ${agency.name.replace(/[()]/g, '\\$&')}`) }).click()
  await page.getByLabel('Kind').selectOption('delete')
  await page.getByRole('button', { name: 'Filter' }).click()
  await page.locator('li.entry[data-kind="delete"]').first().waitFor()
  await page.locator('li.entry[data-kind="delete"]').first().getByRole('button', { name: /History of request/ }).click()
  await page.locator(`[data-request="${s.request}"] [data-clip="${s.cid}"]`).waitFor()
  assert.equal(await page.locator(`[data-clip="${s.cid}"]`).getAttribute('data-retention'), 'met')
  assert.match(await page.locator('[data-history-counts]').innerText(), /[1-9]\d* deliver(y|ies) · [1-9]\d* access(es)? · [1-9]\d* shares? · [1-9]\d* deletions?/)
  await screenshot(page, 'auditor-request-history')
  await page.close()
})

test('the transparency report: per category and month, shares to the other agency, deletions on time; CSV and JSON files', async () => {
  await share()
  const agency = demo().node('agency-north')
  const other = demo().node('agency-south')
  const page = await open(demo().node('auditor'))
  await auditNow(page)
  await page.getByRole('tab', { name: 'Report' }).click()
  const figures = page.locator(`[data-figures="${agency.address!}" i]`)
  await figures.waitFor()
  assert.ok(Number(await figures.locator('[data-count="deletedOnTime"]').innerText()) >= 1)
  assert.equal(await figures.locator(`[data-table="shares"] li[data-registered="true"]`).filter({ hasText: other.address! }).count(), 1)
  assert.ok(await figures.locator('[data-table="categories"] tbody tr').count() >= 1)
  assert.ok(await figures.locator('[data-table="months"] tbody tr').count() >= 1)

  const [csvFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()])
  const csv = await readFile((await csvFile.path()), 'utf8')
  const rows = csv.trim().split('\r\n').map((r) => r.split(','))
  assert.deepEqual(rows[0]!.slice(0, 4), ['agency', 'name', 'section', 'key'])
  assert.ok(rows.some((r) => r[0] === agency.address && r[2] === 'share' && r[3] === other.address && r[10] === 'true'), 'the share to the other agency')
  assert.ok(rows.some((r) => r[0] === agency.address && r[2] === 'month' && Number(r[8]) >= 1), 'a month with a deletion')
  const [jsonFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()])
  const json = JSON.parse(await readFile((await jsonFile.path()), 'utf8')) as { format: string, registry: string, agencies: Array<{ agency: string, retention: { deletedOnTime: number } }> }
  assert.equal(json.format, 'porchlight-transparency/1')
  assert.equal(json.registry, demo().info.chain.contracts.AgencyRegistry)
  assert.ok(json.agencies.find((a) => a.agency === agency.address)!.retention.deletedOnTime >= 1)
  await screenshot(page, 'auditor-report')
  await page.close()
})

test('the charts cover the data with every series, deletions too, side by side', async () => {
  await share()
  const agency = demo().node('agency-north')
  const page = await open(demo().node('auditor'))
  const report = await (await fetch(`${demo().node('auditor').api}/api/report`)).json() as { agencies: Array<{ agency: string, activity: Record<string, unknown> }> }
  const days = Object.keys(report.agencies.find((a) => a.agency === agency.address)!.activity)
  const chart = page.locator(`[data-chart="${agency.address!}" i] svg.bars`)
  await chart.waitFor()
  assert.equal(await chart.getAttribute('data-first'), days[0])
  assert.equal(await chart.getAttribute('data-last'), days.at(-1))
  const bars = await chart.locator('rect.bar').evaluateAll((els) => els.map((e) => {
    const r = e.getBoundingClientRect()
    return { series: e.getAttribute('data-series')!, bucket: e.getAttribute('data-bucket')!, x: r.x, w: r.width, h: r.height }
  }))
  const box = await chart.boundingBox()
  for (const series of ['requests', 'deliveries', 'accesses', 'shares', 'deletions']) assert.ok(bars.some((b) => b.series === series && b.h >= 2), `a visible ${series} bar`)
  for (const b of bars) assert.ok(b.x >= box!.x && b.x + b.w <= box!.x + box!.width + 0.5, 'inside the chart')
  for (const a of bars) {
    for (const b of bars) if (a !== b && a.bucket === b.bucket) assert.ok(a.x + a.w <= b.x + 0.5 || b.x + b.w <= a.x + 0.5, `${a.series} and ${b.series} side by side`)
  }
  await page.close()
})

test("a resident's receipt file, opened on the auditor's page, is checked against the auditor's own chain and registry; one naming another registry is not", async () => {
  const s = await share()
  const page = await open(demo().node('auditor'))
  await page.getByRole('tab', { name: 'Check evidence' }).click()
  await page.locator('[data-domain="known"]').waitFor()
  const file: ReceiptFile = { format: 'porchlight-receipt/1', receipt: s.receipt, entry: s.entry, chainId: demo().info.chain.chainId, registry: demo().info.chain.contracts.AgencyRegistry }
  await page.getByLabel(/A receipt file a resident exported/).setInputFiles({ name: 'receipt.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) })
  await page.locator('[data-ok="true"]').waitFor()
  assert.equal(await page.locator('.result li.ok').count(), 4)
  assert.equal(await page.locator('.result li.bad').count(), 0)
  await screenshot(page, 'auditor-check-file')
  const elsewhere = { ...file, registry: '0x' + '12'.repeat(20) }
  await page.getByLabel(/Or paste evidence/).fill(JSON.stringify(elsewhere))
  await page.getByRole('button', { name: 'Check', exact: true }).click()
  await page.locator('[data-ok="false"]').waitFor()
  assert.match(await page.locator('.result li.bad').first().innerText(), /names registry/)
  await page.close()
})

test('on a 390 px phone screen every auditor page fits with nothing overlapping', async () => {
  await share()
  const agency = demo().node('agency-north')
  const page = await open(demo().node('auditor'), PHONE)
  await auditNow(page)
  const apart = ['.audit-bar button', '.tabs button', '.audit-state']
  for (const tab of ['Agencies', 'Report', 'Findings', 'Witnesses', 'Check evidence']) {
    await page.getByRole('tab', { name: tab }).click()
    await page.locator(`[role=tab][aria-selected=true]`).filter({ hasText: tab }).waitFor()
    await fitsAndApart(page, apart, tab)
    await screenshot(page, `auditor-390-${tab.toLowerCase().replace(' ', '-')}`)
  }
  await page.getByRole('tab', { name: 'Agencies' }).click()
  await page.getByRole('button', { name: new RegExp(`^Open ${agency.name.replace(/[()]/g, '\\$&')}`) }).click()
  await page.locator('li.entry').first().waitFor()
  await page.locator('li.entry details summary').first().click()
  await fitsAndApart(page, apart, 'an agency opened')
  await screenshot(page, 'auditor-390-drill')
  await page.close()
})
