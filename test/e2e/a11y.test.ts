// Accessibility of every page against the demo (`porchlight demo`): axe-core in the browser on each tab of
// the resident, agency and auditor pages and the wrong-token page, at 1366 and 390 px (no serious or
// critical violation, no horizontal overflow, a screenshot of each kept under test/artifacts), and a request
// composed with the keyboard alone.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { camerasInArea, demoSuite, type DemoNode, type DemoProcess } from './helpers/demo.js'
import { screenshot, type Browser } from './helpers/browser.js'

const suite = demoSuite({ residents: 3, anchorIntervalSeconds: 2 })
const demo = (): DemoProcess => suite.demo()
const browser = (): Browser => suite.browser()
const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const WIDTHS = [1366, 390] as const

interface Violation { id: string, impact: string | null, help: string, nodes: Array<{ target: unknown[] }> }

/** axe-core's serious and critical violations on the page as it is (evaluated, so the page's CSP allows it). */
async function axeViolations (page: Page): Promise<Violation[]> {
  if (!await page.evaluate(() => 'axe' in globalThis)) await page.evaluate(AXE)
  const result = await page.evaluate(async () => await (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] })) as { violations: Violation[] }
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** How far the page is wider than its window (0: no horizontal scrolling), and the elements that stick out. */
async function overflow (page: Page): Promise<{ px: number, culprits: string[] }> {
  return await page.evaluate(() => {
    const doc = (globalThis as any).document.documentElement
    const width = doc.clientWidth
    // The innermost elements past the right edge: those whose children all stay inside.
    const out = [...doc.querySelectorAll('body *')].filter((el: any) => el.getBoundingClientRect().right > width + 1)
    const innermost = out.filter((el: any) => !out.some((o: any) => o !== el && el.contains(o)))
    return { px: doc.scrollWidth - width, culprits: innermost.slice(0, 4).map((el: any) => `${el.tagName.toLowerCase()}${el.className === '' || typeof el.className !== 'string' ? '' : '.' + el.className.split(' ').join('.')}`) }
  })
}

/** Waits until no "Loading …" note is left (each tab loads its data), or 15 s. */
async function settled (page: Page): Promise<void> {
  await page.waitForFunction(() => ![...(globalThis as any).document.querySelectorAll('[role=status]')].some((el: any) => /^Loading /.test(el.textContent ?? '')), undefined, { timeout: 15_000 }).catch(() => {})
}

/** A page opened at `width` px from the start, as a phone or a laptop opens it (a chart sizes itself once). */
async function open (node: DemoNode, token = node.token, width = 1366): Promise<Page> {
  const page = await browser().page()
  await page.setViewportSize({ width, height: 900 })
  await page.goto(`${node.api}/#token=${token}`)
  return page
}

/** axe, overflow and a screenshot of what the page shows now: its findings. */
async function check (page: Page, name: string, width: number): Promise<string[]> {
  const problems: string[] = []
  await settled(page)
  for (const v of await axeViolations(page)) problems.push(`${name} @${width}: ${v.impact ?? ''} ${v.id} (${v.help}) at ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(', ')}`)
  const over = await overflow(page)
  if (over.px > 0) problems.push(`${name} @${width}: ${over.px} px of horizontal overflow (${over.culprits.join(', ')})`)
  await screenshot(page, `a11y-${name}-${width}`)
  return problems
}

/** Every tab of a role's page, at each width: the findings, and the tabs seen. */
async function checkEveryTab (node: DemoNode, name: string): Promise<{ problems: string[], tabs: string[] }> {
  const problems: string[] = []
  let tabs: string[] = []
  for (const width of WIDTHS) {
    const page = await open(node, node.token, width)
    await page.locator('[data-node-name]').waitFor()
    tabs = await page.getByRole('tab').allInnerTexts()
    for (const tab of tabs.length === 0 ? [''] : tabs) {
      if (tab !== '') await page.getByRole('tab', { name: tab, exact: true }).click()
      problems.push(...await check(page, `${name}${tab === '' ? '' : '-' + tab.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/-$/, '')}`, width))
    }
    await page.close()
  }
  return { problems, tabs }
}

test('every tab of the resident, agency and auditor pages has no serious or critical axe violation and no horizontal overflow at 1366 and 390 px', async () => {
  const request = (await demo().call<Array<{ request: { cells: string[] } }>>(demo().node('agency-north'), 'GET', '/api/requests')).at(-1)!
  const resident = demo().nodes.find((n) => n.role === 'resident' && camerasInArea(n.cameras, request.request.cells))!
  const all: string[] = []
  for (const [node, name] of [[resident, 'resident'], [demo().node('agency-north'), 'agency'], [demo().node('auditor'), 'auditor']] as const) {
    const { problems, tabs } = await checkEveryTab(node, name)
    assert.ok(tabs.length > 0 || name === 'auditor', `${name} has tabs`)
    all.push(...problems)
  }
  for (const width of WIDTHS) {
    const wrong = await open(demo().node('agency-north'), 'not-the-token', width)
    all.push(...await check(wrong, 'wrong-token', width))
    await wrong.close()
  }
  assert.deepEqual(all, [])
})

/** Presses Tab until the focused element passes `is` (at most `max` presses); fails the test otherwise. */
async function tabTo (page: Page, what: string, is: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    // `is` is a function body over `el`, the focused element (evaluated in the page).
    if (await page.evaluate(`(() => { const el = document.activeElement; return ${is} })()`) === true) return
  }
  assert.fail(`Tab never reached ${what}`)
}

const focused = async (page: Page): Promise<string | null> => await page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('data-cell') ?? null)

test('a request composed and published with the keyboard alone, its cells chosen with the arrow keys', async () => {
  const agency = demo().node('agency-north')
  const before = (await demo().call<unknown[]>(agency, 'GET', '/api/requests')).length
  const page = await open(agency)
  await page.locator('[data-node-name]').waitFor()
  await tabTo(page, 'the tabs', "el.getAttribute('role') === 'tab'")
  // The tabs are one stop; the arrow keys move between them (ArrowRight from Requests: New request).
  await page.keyboard.press('ArrowRight')
  await page.getByRole('tab', { name: 'New request', selected: true }).waitFor()
  await page.getByText('Loading the map settings…').waitFor({ state: 'detached' })
  await tabTo(page, 'the case code', "el.labels?.[0]?.textContent.startsWith('Case code') === true")
  await page.keyboard.type('BNP-2026-KEYS')
  await tabTo(page, 'the title', "el.labels?.[0]?.textContent.startsWith('Title') === true")
  await page.keyboard.type('Stolen bicycle, keyboard report')
  // The times are the agency's zone's, said beside them.
  assert.match(await page.locator('#window-span').innerText(), /M[SD]T/)
  assert.equal(await page.locator('#window-span').getAttribute('data-zone'), 'America/Denver')

  await tabTo(page, 'a cell of the map', "el.hasAttribute('data-cell')")
  const first = await focused(page)
  await page.keyboard.press('Space')
  await page.keyboard.press('ArrowRight')
  const second = await focused(page)
  assert.notEqual(second, first, 'ArrowRight moved to another cell')
  await page.keyboard.press('Enter')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press(' ')
  const cells = await page.locator('[data-cell][aria-checked=true]').count()
  assert.equal(cells, 3)
  assert.match(await page.locator('.meter').innerText(), /· 3 of at most 64 cells/)
  // One tab stop for the whole map: the next Tab leaves it.
  await page.keyboard.press('Tab')
  assert.equal(await focused(page), null, 'Tab left the map')
  await screenshot(page, 'a11y-agency-compose-keyboard-1366')

  await tabTo(page, 'the publish button', "el.textContent === 'Sign and publish request'")
  await page.keyboard.press('Enter')
  await page.getByRole('heading', { level: 2, name: 'Stolen bicycle, keyboard report' }).waitFor({ timeout: 60_000 })
  assert.equal((await demo().call<unknown[]>(agency, 'GET', '/api/requests')).length, before + 1)
  await page.close()
})

test('the composer marks cells outside the jurisdiction, and names every broken limit at once, before anything is sent', async () => {
  const agency = demo().node('agency-north')
  const before = (await demo().call<unknown[]>(agency, 'GET', '/api/requests')).length
  const page = await open(agency)
  await page.getByRole('tab', { name: 'New request' }).click()
  assert.equal(await page.locator('[data-jurisdiction=unknown]').count(), 0, 'the jurisdiction is known')
  assert.match(await page.locator('.basemap-state').innerText(), /no base map configured/)
  assert.equal(await page.getByLabel('Case code').getAttribute('maxlength'), '64')
  // 30 km north of Boulder: every cell there is outside the northern agency's jurisdiction.
  const lat = page.getByLabel('Center latitude')
  await lat.fill(String(Number(await lat.inputValue()) + 0.3))
  const outside = page.locator('[data-cell][data-outside=true]').first()
  await outside.waitFor()
  await outside.click()
  await page.locator('#p-cells [data-code=OUTSIDE_JURISDICTION]').waitFor()
  await page.getByLabel('Radius, m').fill('9000')
  await page.getByRole('button', { name: 'Use center and radius' }).click()
  assert.match(await page.locator('[data-code=RADIUS]').innerText(), /at most 1\.3 km²/)
  await page.getByLabel('Radius, m').fill('3000')
  await page.getByRole('button', { name: 'Use center and radius' }).click()
  await page.getByLabel(/Keep footage at most/).fill('400')
  await page.getByRole('button', { name: 'Sign and publish request' }).click()
  const summary = page.getByRole('list', { name: 'Every problem at once' })
  await summary.waitFor()
  const codes = await summary.locator('li').evaluateAll((els) => els.map((el) => el.getAttribute('data-code')))
  for (const code of ['REQUIRED', 'TOO_MANY_CELLS', 'AREA_TOO_LARGE', 'OUTSIDE_JURISDICTION', 'RETENTION_TOO_LONG']) assert.ok(codes.includes(code), `${code} in ${codes.join(', ')}`)
  assert.match(await summary.innerText(), /at most 64 cells/)
  assert.ok(Number(await page.locator('.meter').getAttribute('data-area')) > 20, 'the meter shows the real area past the cap')
  await screenshot(page, 'a11y-agency-compose-problems-1366')
  assert.equal((await demo().call<unknown[]>(agency, 'GET', '/api/requests')).length, before, 'nothing was sent')
  await page.close()
})
