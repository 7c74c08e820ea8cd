// Test-only loader hook for the real-NAT test (test/integration/network/nat.test.ts, bench/nat.ts): its
// "internet" is 203.0.113.0/24, a documentation range that libp2p counts as private (@libp2p/utils'
// private-ip.js lists all three), so identify would drop the addresses peers observe there, AutoNAT would
// not test them and DCUtR would not dial them. Loaded with `--import` into the node processes of that test
// only, it takes 203.0.113.0/24 off the list; the home LANs (192.0.2.0/24, 198.51.100.0/24) stay private,
// as real home LANs are. A library whose list no longer has that entry fails loudly here rather than
// leaving the test to measure something else.
import { register } from 'node:module'

if (import.meta.url.includes('?hooks') === false) {
  register(`${import.meta.url}?hooks`)
}

const target = /\/@libp2p\/utils\/dist\/src\/private-ip\.js$/
const entry = "'203.0.113.0/24',"

export async function load (url, context, nextLoad) {
  const result = await nextLoad(url, context)
  if (!target.test(new URL(url).pathname)) return result
  const source = String(result.source)
  if (!source.includes(entry)) throw new Error(`public-internet-range: ${entry} is not in ${url}; the test's internet range would stay private`)
  return { ...result, source: source.replace(entry, '') }
}
