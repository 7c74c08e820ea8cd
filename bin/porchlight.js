#!/usr/bin/env node
// The `porchlight` program. The sources are TypeScript run through tsx (Node 20 has no type stripping);
// the polyfill comes before anything that may load libp2p.
import { register } from 'tsx/esm/api'

register()
await import('../node/polyfill.ts')
const { main } = await import('../node/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
