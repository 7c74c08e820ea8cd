// What a household does with the release (docs/operations.md): `npm pack`, a global install of the tarball
// into a prefix of its own, then `porchlight init` and `start` from a folder outside the repository, with no
// source tree and no development dependency. The install is the Dockerfile's own line and the health check its
// HEALTHCHECK command, run here as written there (no Docker engine on the test machines: the image itself is
// not built). Uses the npm cache first (`--prefer-offline`); skipped, loudly, when neither the cache nor the
// registry can serve a dependency.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { once } from 'node:events'
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readNodeInfo } from '../../../node/index.js'
import { exitOf, readyLine } from '../../helpers/cli.js'

const repo = fileURLToPath(new URL('../../../', import.meta.url))
const offline = /npm error code (ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH)/

/** The Dockerfile's instructions, continuation lines joined. */
async function dockerfile (): Promise<string[]> {
  return (await readFile(join(repo, 'Dockerfile'), 'utf8')).replace(/\\\n/g, ' ').split('\n')
}

/** Where `name` resolves from `dir`, as Node looks for it: `node_modules/<name>` here or in a parent folder. */
async function packageDir (dir: string, name: string, top: string): Promise<string | undefined> {
  for (let at = dir; at.startsWith(top); at = dirname(at)) {
    const candidate = join(at, 'node_modules', name)
    if (await stat(join(candidate, 'package.json')).then(() => true, () => false)) return candidate
  }
  return undefined
}

async function versionOf (dir: string): Promise<string> {
  return (JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version: string }).version
}

test('the npm tarball installs globally and runs nodes and the chain from a folder outside the repository', { timeout: 10 * 60_000 }, async (t) => {
  const work = await mkdtemp(join(tmpdir(), 'porchlight-package-'))
  const children: ChildProcess[] = []
  t.after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await rm(work, { recursive: true, force: true })
  })
  const start = (command: string, args: string[], options: SpawnOptions = {}): ChildProcess => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options })
    children.push(child)
    return child
  }

  // npm pack runs prepack (the build, which rewrites this checkout's dist/ and ui/dist/) and writes the
  // tarball outside the repository.
  const packed = await exitOf(start('npm', ['pack', '--json', '--pack-destination', work], { cwd: repo }))
  assert.equal(packed.code, 0, packed.stderr)
  const [made] = JSON.parse(packed.stdout) as Array<{ filename: string, files: Array<{ path: string, mode: number }>, bundled: string[] }>
  assert.ok(made !== undefined)
  const tarball = join(work, made.filename)
  // Only what the program runs: no sources, tests, bench, simulator, docs or contract sources.
  const own = made.files.filter((f) => !f.path.startsWith('node_modules/'))
  const stray = own.map((f) => f.path).filter((p) => !/^(package\.json|README\.md|bin\/porchlight\.js|dist\/(node|protocol)\/.+\.js|ui\/dist\/.+|contracts\/artifacts\/[A-Za-z]+\.json)$/.test(p))
  assert.deepEqual(stray, [])
  for (const path of ['dist/node/cli/main.js', 'ui/dist/index.html', 'contracts/artifacts/AgencyRegistry.json']) assert.ok(own.some((f) => f.path === path), path)
  assert.equal(own.find((f) => f.path === 'bin/porchlight.js')!.mode & 0o111, 0o111, 'the bin is executable')
  const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { bundleDependencies: string[], devDependencies: Record<string, string>, overrides: Record<string, string | Record<string, string>> }
  for (const name of pkg.bundleDependencies) assert.ok(made.bundled.includes(name), `${name} is bundled`)

  // What the image's build copies from the checkout exists, and .dockerignore does not leave it out (either
  // would fail `docker build` at that COPY).
  const ignored = (await readFile(join(repo, '.dockerignore'), 'utf8')).split('\n').filter((l) => l !== '' && !l.startsWith('#'))
  for (const line of (await dockerfile()).filter((l) => l.startsWith('COPY ') && !l.includes('--from='))) {
    for (const source of line.split(/\s+/).slice(1, -1).filter((w) => !w.startsWith('--') && w !== '.')) {
      assert.ok(await stat(join(repo, source)).then(() => true, () => false), `${line}: ${source} exists`)
      assert.ok(!ignored.includes(source), `${line}: ${source} is not in .dockerignore`)
    }
  }

  // The Dockerfile's install line, with the test's prefix and tarball in place of the image's.
  const install = (await dockerfile()).find((l) => l.startsWith('RUN npm install --global '))
  assert.ok(install !== undefined, 'the Dockerfile installs the tarball with npm install --global')
  const prefix = join(work, 'prefix')
  const args = install.replace(/^RUN npm /, '').trim().split(/\s+/)
    .map((a) => a === '/opt/porchlight' ? prefix : /porchlight-\*\.tgz$/.test(a) ? tarball : a)
  assert.ok(args.includes(prefix) && args.includes(tarball), install)
  assert.ok(args.includes('--engine-strict'), 'a dependency that needs a newer Node fails the install, as .npmrc makes it fail in the repository')
  const installed = await exitOf(start('npm', [...args, '--prefer-offline'], { cwd: work }))
  if (installed.code !== 0 && offline.test(installed.stderr)) {
    const reason = `npm could not fetch the dependencies from the cache or the registry (${offline.exec(installed.stderr)![1]}): the global install was not tested`
    console.warn(`package.test.ts: ${reason}`)
    t.skip(reason)
    return
  }
  assert.equal(installed.code, 0, installed.stderr)

  // npm honours overrides only in the root project: each held-back version must arrive bundled (package.json).
  const root = join(prefix, 'lib', 'node_modules', 'porchlight')
  for (const [parent, pins] of Object.entries(pkg.overrides)) {
    // A pin under a build-time tool (the UI's map library, bundled into ui/dist) installs with nothing.
    if (typeof pins !== 'string' && pkg.devDependencies[parent] !== undefined) continue
    // `"name": "version"` pins it everywhere; `"parent": { "name": "version" }` under that parent only.
    const parentDir = typeof pins === 'string' ? root : await packageDir(root, parent, root)
    assert.ok(parentDir !== undefined, parent)
    for (const [name, version] of Object.entries(typeof pins === 'string' ? { [parent]: pins } : pins)) {
      const dir = await packageDir(parentDir, name, root)
      assert.equal(dir === undefined ? undefined : await versionOf(dir), version, `${parent} gets ${name} ${version} (add ${parent}, or the dependency that brings it, to bundleDependencies)`)
    }
  }

  // The installed program, from a folder outside the repository, running its compiled JavaScript (the test
  // runner's PORCHLIGHT_FROM_SOURCES would make it look for tsx, which a global install does not have).
  const home = join(work, 'home')
  await mkdir(home)
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}` }
  delete env.PORCHLIGHT_FROM_SOURCES
  const porchlight = join(prefix, 'bin', 'porchlight')
  const [healthcheck] = (await dockerfile()).filter((l) => l.startsWith('HEALTHCHECK ')).map((l) => JSON.parse(l.slice(l.indexOf('CMD ') + 4)) as string[])
  assert.ok(healthcheck !== undefined && healthcheck[0] === 'node')
  const healthy = async (dir: string): Promise<number | null> =>
    (await exitOf(start(process.execPath, healthcheck.slice(1), { cwd: home, env: { ...env, PORCHLIGHT_DIR: dir } }))).code

  const resident = join(home, 'resident')
  const made1 = await exitOf(start(porchlight, ['init', '--role', 'resident', '--dir', 'resident', '--listen', '/ip4/127.0.0.1/tcp/0'], { cwd: home, env }))
  assert.equal(made1.code, 0, made1.stderr)
  const node = start(porchlight, ['start', '--dir', 'resident'], { cwd: home, env })
  const stderr: string[] = []
  node.stderr?.on('data', (d: Buffer) => { stderr.push(d.toString()) })
  await readyLine(node, AbortSignal.timeout(60_000))
  const info = await readNodeInfo(resident)
  assert.ok(info !== undefined)
  assert.equal(info.pid, node.pid)
  assert.equal(info.role, 'resident')
  // The API, and the UI from the package's own ui/dist (found from the installed package, not the repository).
  assert.equal((await fetch(`${info.api!.url}/healthz`)).status, 200)
  const page = await fetch(`${info.api!.url}/`)
  assert.equal(page.status, 200)
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/)
  // Its native code is the prefix's: LevelDB's binding mapped from the installed classic-level.
  const natives = (await readFile(`/proc/${node.pid}/maps`, 'utf8')).split('\n').map((l) => l.split(/\s+/)[5] ?? '').filter((p) => p.endsWith('.node'))
  assert.ok(natives.some((p) => p.includes('/classic-level/')), natives.join('\n'))
  assert.deepEqual(natives.filter((p) => !p.startsWith(root)), [])
  assert.equal(await healthy(resident), 0)
  const exit = once(node, 'exit')
  node.kill('SIGTERM')
  assert.deepEqual(await exit, [0, null], stderr.join(''))
  assert.equal(await readNodeInfo(resident), undefined)
  assert.equal(await healthy(resident), 1, 'no node.json: unhealthy')

  // The image's entrypoint: the first start makes the node from the environment, then execs porchlight, so
  // SIGTERM reaches the node (a shell in between would die of it and leave the node running).
  const relay = join(home, 'relay')
  const entry = start('sh', [join(repo, 'packaging', 'docker-entrypoint.sh'), 'start', '--dir', relay], {
    cwd: home,
    env: { ...env, PORCHLIGHT_DIR: relay, PORCHLIGHT_ROLE: 'relay', PORCHLIGHT_LISTEN: '/ip4/127.0.0.1/tcp/0', PORCHLIGHT_API_HOST: '127.0.0.1', PORCHLIGHT_API_PORT: '0' }
  })
  await readyLine(entry, AbortSignal.timeout(60_000))
  const config = JSON.parse(await readFile(join(relay, 'config.json'), 'utf8')) as { role: string, listen: string[], api: { host: string } }
  assert.deepEqual([config.role, config.listen, config.api.host], ['relay', ['/ip4/127.0.0.1/tcp/0'], '127.0.0.1'])
  assert.equal((await readNodeInfo(relay))?.pid, entry.pid, 'the shell became porchlight')
  assert.equal(await healthy(relay), 0)
  const entryExit = once(entry, 'exit')
  entry.kill('SIGTERM')
  assert.deepEqual(await entryExit, [0, null])
  const noRole = await exitOf(start('sh', [join(repo, 'packaging', 'docker-entrypoint.sh'), 'start', '--dir', join(home, 'none')], { cwd: home, env: { ...env, PORCHLIGHT_DIR: join(home, 'none') } }))
  assert.equal(noRole.code, 2, 'an empty volume and no PORCHLIGHT_ROLE: refused, nothing made')
  await assert.rejects(stat(join(home, 'none')))
  // What the entrypoint's default needs: `init --api-host` (only written here; nothing listens on it).
  const wide = await exitOf(start(porchlight, ['init', '--role', 'auditor', '--dir', 'wide', '--api-host', '0.0.0.0'], { cwd: home, env }))
  assert.equal(wide.code, 0, wide.stderr)
  assert.equal((JSON.parse(await readFile(join(home, 'wide', 'config.json'), 'utf8')) as { api: { host: string } }).api.host, '0.0.0.0')

  // The embedded chain from the install: Hardhat's native EVM and the contracts' artifacts, found from the
  // installed package (node/package-root.ts), deploy.
  const deployment = join(home, 'chain.json')
  const chain = start(porchlight, ['chain', '--port', '0', '--out', deployment], { cwd: home, env })
  await readyLine(chain, AbortSignal.timeout(120_000), (line) => line.startsWith('chain ready: '))
  const deployed = JSON.parse(await readFile(deployment, 'utf8')) as { contracts: Record<string, string> }
  assert.deepEqual(Object.keys(deployed.contracts).sort(), ['AgencyRegistry', 'AnchorRelay', 'AuditAnchor', 'WitnessRegistry'])
  const chainExit = once(chain, 'exit')
  chain.kill('SIGTERM')
  assert.deepEqual(await chainExit, [0, null])

  // The systemd unit, pointed at this install (systemd-analyze checks its syntax and that ExecStart runs).
  const analyze = await exitOf(start('systemd-analyze', ['--version'])).catch(() => undefined)
  if (analyze?.code !== 0) {
    console.warn('package.test.ts: systemd-analyze is missing: packaging/porchlight.service was not verified')
    return
  }
  const unit = join(work, 'porchlight.service')
  await copyFile(join(repo, 'packaging', 'porchlight.service'), unit)
  await writeFile(unit, (await readFile(unit, 'utf8')).replace('/usr/local/bin/porchlight', porchlight))
  const verified = await exitOf(start('systemd-analyze', ['verify', unit]))
  assert.equal(verified.code, 0, verified.stderr)
  assert.equal(verified.stderr.trim(), '')
})
