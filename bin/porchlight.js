#!/usr/bin/env node
// The `porchlight` program: the compiled JavaScript in dist/ (`npm run build`), so a running node loads no
// TypeScript compiler. With PORCHLIGHT_FROM_SOURCES=1 it runs the TypeScript sources through tsx instead
// (a development dependency): the test runner sets it, so the tests, and every `porchlight` process they or
// a demo start (the variable is inherited), run the code under test rather than the last build.
// The polyfill comes before anything that may load libp2p.
import { existsSync } from 'node:fs'

const fromSources = process.env.PORCHLIGHT_FROM_SOURCES === '1'
const base = new URL(fromSources ? '../' : '../dist/', import.meta.url)
const ext = fromSources ? 'ts' : 'js'
if (fromSources) {
  const { register } = await import('tsx/esm/api')
  register()
} else if (!existsSync(new URL('node/cli/main.js', base))) {
  console.error('porchlight: no build in dist/; run `npm run build` (or set PORCHLIGHT_FROM_SOURCES=1 to run the sources through tsx)')
  process.exit(1)
}
await import(new URL(`node/polyfill.${ext}`, base).href)
const { main } = await import(new URL(`node/cli/main.${ext}`, base).href)
process.exitCode = await main(process.argv.slice(2))
