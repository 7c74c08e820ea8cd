#!/usr/bin/env node
// Runs Node's test runner on an explicit list of files: Node 20 expands no globs, and a shell glob in an
// npm script silently runs fewer files. Fails when it finds no test file.
//   npm test                 every test/**/*.test.ts except the browser tests (test/e2e)
//   npm test -- test/unit    only the files under the given paths
//   npm run test:e2e         the browser tests (test/e2e), after building ui/dist
import { spawn } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const args = process.argv.slice(2)
const e2e = args[0] === '--e2e'
const roots = (e2e ? args.slice(1) : args).length > 0 ? (e2e ? args.slice(1) : args) : [e2e ? 'test/e2e' : 'test']

function collect (path, out) {
  const full = join(root, path)
  const st = statSync(full)
  if (st.isFile()) { if (path.endsWith('.test.ts')) out.push(path); return out }
  for (const name of readdirSync(full).sort()) {
    const child = join(path, name)
    if (!e2e && relative('test/e2e', child).startsWith('..') === false) continue
    if (name === 'node_modules' || name === 'artifacts' || name.startsWith('.')) continue
    collect(child, out)
  }
  return out
}

const files = roots.flatMap((r) => collect(r, []))
if (files.length === 0) {
  console.error(`no test files found under ${roots.join(', ')}`)
  process.exit(1)
}

// The browser tests against the demo use ui/dist, which its nodes serve: built here once, before the test
// files run (in parallel processes that must not build it at the same time).
if (e2e) {
  const { build } = await import('vite')
  await build({ configFile: join(root, 'ui', 'vite.config.ts'), logLevel: 'warn' })
}

const child = spawn(process.execPath, [
  '--import', 'tsx', '--import', './node/polyfill.ts',
  '--test', '--test-reporter', process.env.TEST_REPORTER ?? 'spec',
  ...files
], {
  cwd: root,
  stdio: 'inherit',
  // Every `porchlight` process a test starts (bin/porchlight.js) runs the sources under test, not dist/.
  env: { ...process.env, PORCHLIGHT_FROM_SOURCES: '1' }
})
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
