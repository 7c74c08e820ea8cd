// Debian's headless Chromium driven by playwright-core (browser tools' own downloads fail here), with a
// fresh profile per run. Close the browser before the servers it talks to.
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before } from 'node:test'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { buildUi } from './build-ui.js'

export const ARTIFACTS = new URL('../../artifacts/', import.meta.url).pathname

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'
]

export interface Browser {
  context: BrowserContext
  page: () => Promise<Page>
  close: () => Promise<void>
}

/** `args`: Chromium flags besides the usual ones (a certificate to trust: `--ignore-certificate-errors-spki-list`). */
export async function launchBrowser (opts: { args?: string[] } = {}): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'porchlight-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...FLAGS, ...opts.args ?? []],
    viewport: { width: 1280, height: 800 },
    timeout: 60_000
  })
  return {
    context,
    page: async () => await context.newPage(),
    close: async () => {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    }
  }
}

/**
 * Writes `test/artifacts/<name>.png`: the whole page, or with `viewport` what a 1280×800 window shows (the
 * size of the README's pictures; docs/screenshots/ holds copies of the role pages).
 */
export async function screenshot (page: Page, name: string, opts: { viewport?: boolean } = {}): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: opts.viewport !== true })
}

/**
 * Registers the suite's setup: the UI built, `start(uiDir)` run (the servers the pages talk to), a browser
 * launched; and its teardown, browser first (keep-alive sockets would hold a server's stop).
 */
export function browserSuite<T extends { stop: () => Promise<void> }> (start: (uiDir: string) => Promise<T>): { browser: () => Browser, server: () => T } {
  let browser: Browser | undefined
  let server: T | undefined
  let uiDir: string | undefined
  before(async () => {
    uiDir = await buildUi()
    server = await start(uiDir)
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
    if (uiDir !== undefined) await rm(uiDir, { recursive: true, force: true })
  })
  return { browser: () => browser!, server: () => server! }
}

/** Form controls and buttons on the page that a screen reader could not name (none, in a passing test). */
export async function unnamedControls (page: Page): Promise<string[]> {
  return await page.evaluate(() => {
    const doc = (globalThis as any).document
    const out: string[] = []
    for (const el of doc.querySelectorAll('input, select, textarea, button, [role=checkbox], [role=tab]')) {
      const named = (el.labels?.length ?? 0) > 0 || el.getAttribute('aria-label') !== null || el.getAttribute('aria-labelledby') !== null ||
        (el.tagName === 'BUTTON' && el.textContent.trim() !== '') || (el.getAttribute('role') === 'tab' && el.textContent.trim() !== '')
      if (!named) out.push(el.outerHTML.slice(0, 120))
    }
    return out
  })
}
