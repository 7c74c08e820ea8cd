// What `porchlight start` loads is what every node pays for in memory and start time, so the embedded
// chain's Hardhat must not be in its static import graph (the `chain` and `demo` commands import it when they
// run). esbuild walks the graph the way tsx compiles it (same type-import elision, same tsconfig); a dynamic
// `import()` is where the walk stops, a package is recorded by name and not entered.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'

const root = fileURLToPath(new URL('../../../', import.meta.url))

/** The packages `entries` import statically, through our own files, and which of our files import each. */
async function staticPackages (entries: string[]): Promise<Map<string, Set<string>>> {
  const packages = new Map<string, Set<string>>()
  const record: Plugin = {
    name: 'record-packages',
    setup (b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined
        if (args.kind === 'dynamic-import') return { path: args.path, external: true }
        if (args.path.startsWith('.') || args.path.startsWith('/')) return undefined
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0]!
        const from = packages.get(name) ?? new Set<string>()
        from.add(args.importer.slice(root.length))
        packages.set(name, from)
        return { path: args.path, external: true }
      })
    }
  }
  await build({
    entryPoints: entries.map((e) => `${root}${e}`),
    absWorkingDir: root,
    tsconfig: `${root}tsconfig.json`,
    bundle: true,
    write: false,
    outdir: 'out',
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    plugins: [record]
  })
  return packages
}

// bin/porchlight.js imports these two (dynamically, after registering tsx): everything `start` can reach.
const startEntries = ['node/polyfill.ts', 'node/cli/main.ts']

test('porchlight start (the CLI and node/index.ts) does not import hardhat, solc, or the notification channels\' clients', async () => {
  const packages = await staticPackages(startEntries)
  // mqtt and nodemailer load when a resident's channel needs them (node/notify): ~0.2 s on every command otherwise.
  for (const heavy of ['hardhat', 'solc', 'mqtt', 'nodemailer']) {
    assert.equal(packages.has(heavy), false, `${heavy} is imported by ${[...packages.get(heavy) ?? []].join(', ')}`)
  }
  assert.ok(packages.has('libp2p'), 'the walk reached the node (else the check proves nothing)')
})

test('the walk sees hardhat where it is imported statically', async () => {
  const packages = await staticPackages(['node/chain/embedded-chain.ts'])
  assert.ok(packages.get('hardhat')?.has('node/chain/embedded-chain.ts'))
})
