// The real neighborhood for browser tests: `porchlight demo` as a child process, exactly as `npm start` runs
// it (its chain, agencies, residents and auditor each in their own process, over real libp2p). Readiness is
// the demo's own "ready" line (printed once demo.json is written), never a sleep; stopping is Ctrl-C
// (SIGINT), after which no process of the demo may be left.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { after, before } from 'node:test'
import { build } from 'vite'
import { latLngToCell } from 'h3-js'
import type { DemoInfo, DemoNodeInfo } from '../../../node/demo/index.js'
import type { Camera } from '../../../node/config/index.js'
import { AREA_RESOLUTION } from '../../../protocol/geo/index.js'
import { launchBrowser, type Browser } from './browser.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const uiDist = join(root, 'ui', 'dist')

export interface DemoOptions {
  /** @default 3 (two in the sample request's area, one outside) */
  residents?: number
  /** The agencies' anchoring interval, so that "publicly anchored" comes within a test's patience. @default 2 */
  anchorIntervalSeconds?: number
  /** How long the demo may take to say it is ready. @default 180000 */
  readyTimeoutMs?: number
}

export interface DemoNode extends DemoNodeInfo {
  /** Its folder's name under `<dir>/nodes/`. */
  slug: string
  /** Residents: their cameras, from their config. */
  cameras: Camera[]
}

export interface DemoProcess {
  dir: string
  info: DemoInfo
  nodes: DemoNode[]
  /** The one node of that folder name (`agency-north`, `resident-2`, `auditor` …). */
  node: (slug: string) => DemoNode
  /** Calls a node's API with its token; rejects on a non-2xx answer with the API's error. */
  call: <T = unknown>(node: DemoNode, method: string, path: string, body?: unknown) => Promise<T>
  /** Pids of every live process whose command line names the demo's folder (the demo, its chain, its nodes). */
  processes: () => Promise<number[]>
  /** Ctrl-C, then waits for the demo to exit; rejects if it fails to, or if any of its processes is left. */
  stop: () => Promise<void>
}

async function newestMtime (path: string): Promise<number> {
  const st = await stat(path)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const name of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, name)))
  return newest
}

/**
 * Builds `ui/dist` (what every demo node serves) when it is missing or older than its sources.
 * `npm run test:e2e` builds it once before any test file runs, so parallel files never build it at once.
 */
export async function ensureUiBuilt (): Promise<void> {
  const built = await stat(join(uiDist, 'index.html')).then((s) => s.mtimeMs, () => 0)
  const sources = Math.max(...await Promise.all(['ui/src', 'ui/index.html', 'ui/vite.config.ts', 'protocol'].map(async (p) => await newestMtime(join(root, p)))))
  if (built > sources) return
  await build({ configFile: join(root, 'ui', 'vite.config.ts'), logLevel: 'error' })
}

/** Every live process whose command line contains `text` (Linux /proc). */
async function processesNaming (text: string): Promise<number[]> {
  const pids: number[] = []
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '')
    if (cmdline.includes(text)) pids.push(Number(name))
  }
  return pids
}

async function untilReady (child: ChildProcess, output: string[], timeoutMs: number): Promise<void> {
  const lines = createInterface({ input: child.stdout! })
  const stderr = createInterface({ input: child.stderr! })
  stderr.on('line', (line) => { output.push(line) })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { fail(`not ready within ${timeoutMs} ms`) }, timeoutMs)
    const fail = (why: string): void => {
      clearTimeout(timer)
      reject(new Error(`porchlight demo ${why}:\n${output.join('\n')}`))
    }
    lines.on('line', (line) => {
      output.push(line)
      if (/^demo: ready; /.test(line)) { clearTimeout(timer); resolve() }
    })
    child.once('exit', (code, signal) => { fail(`exited (${code ?? signal})`) })
  })
}

/** Starts `porchlight demo` in a fresh folder and resolves once it is ready (demo.json written). */
export async function startDemo (opts: DemoOptions = {}): Promise<DemoProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-demo-'))
  const residents = opts.residents ?? 3
  // An IPC channel: if this test process dies, the demo sees it close and stops everything itself.
  const child = spawn(process.execPath, [
    join(root, 'bin', 'porchlight.js'), 'demo', '--dir', dir,
    '--residents', String(residents), '--anchor-interval', String(opts.anchorIntervalSeconds ?? 2)
  ], { cwd: root, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  const output: string[] = []
  try {
    await untilReady(child, output, opts.readyTimeoutMs ?? 180_000)
  } catch (err) {
    child.kill('SIGINT')
    await exited
    await rm(dir, { recursive: true, force: true })
    throw err
  }
  const info = JSON.parse(await readFile(join(dir, 'demo.json'), 'utf8')) as DemoInfo
  const nodes = await Promise.all(info.nodes.map(async (n): Promise<DemoNode> => {
    const config = JSON.parse(await readFile(join(n.dir, 'config.json'), 'utf8')) as { cameras?: Camera[] }
    return { ...n, slug: n.dir.split('/').at(-1)!, cameras: config.cameras ?? [] }
  }))
  const call = async <T>(node: DemoNode, method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(new URL(path, node.api), {
      method,
      headers: { authorization: `Bearer ${node.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path} on ${node.slug}: ${res.status} ${text}`)
    return (text === '' ? undefined : JSON.parse(text)) as T
  }
  let stopped: Promise<void> | undefined
  const demo: DemoProcess = {
    dir,
    info,
    nodes,
    node: (slug) => {
      const found = nodes.find((n) => n.slug === slug)
      if (found === undefined) throw new Error(`no demo node '${slug}' (${nodes.map((n) => n.slug).join(', ')})`)
      return found
    },
    call,
    processes: async () => await processesNaming(dir),
    stop: async () => {
      stopped ??= (async () => {
        // The scan below must see the demo while it runs, or its "nothing left" would prove nothing.
        const seen = child.exitCode !== null || (await processesNaming(dir)).includes(child.pid!)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT')
        const timer = setTimeout(() => { child.kill('SIGKILL') }, 60_000)
        const [code, signal] = await exited
        clearTimeout(timer)
        const left = await processesNaming(dir)
        for (const pid of left) { try { process.kill(pid, 'SIGKILL') } catch { /* already exited: the check below reports it all the same */ } }
        await rm(dir, { recursive: true, force: true })
        if (code !== 0) throw new Error(`porchlight demo exited with ${code ?? signal} at Ctrl-C:\n${output.slice(-30).join('\n')}`)
        if (left.length > 0) throw new Error(`processes of the demo left after it stopped: ${left.join(', ')}`)
        if (!seen) throw new Error(`the process scan did not see the running demo (pid ${child.pid!}): it cannot tell what is left`)
      })()
      await stopped
    }
  }
  return demo
}

/** Whether any of the cameras lies in one of the area's cells (res-9 H3, as requests name them). */
export function camerasInArea (cameras: Camera[], cells: readonly string[]): boolean {
  const area = new Set(cells)
  return cameras.some((c) => area.has(latLngToCell(c.lat, c.lng, AREA_RESOLUTION)))
}

/**
 * One demo and one browser for a test file: the UI built if needed, the demo started, the browser launched;
 * at the end the browser closed first (its keep-alive sockets would hold the nodes' servers), then Ctrl-C
 * to the demo, which must leave no process behind.
 */
export function demoSuite (opts: DemoOptions = {}): { demo: () => DemoProcess, browser: () => Browser } {
  let demo: DemoProcess | undefined
  let browser: Browser | undefined
  before(async () => {
    await ensureUiBuilt()
    demo = await startDemo(opts)
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await demo?.stop()
  })
  return { demo: () => demo!, browser: () => browser! }
}
