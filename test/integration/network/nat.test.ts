// Porchlight behind real home NAT (issue 16, "Real NAT in the tests"): Linux network namespaces make an
// "internet" (203.0.113.0/24) holding the chain, a witness and the agency, and two home routers that
// MASQUERADE their LANs (192.0.2.0/24, 198.51.100.0/24), one resident behind each; every node a real
// `porchlight` process (test/support/nat-world.ts). Needs root (as in CI); where the kernel refuses network
// namespaces every test is skipped with the reason, and a warning says so — it never passes silently.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { assertNetnsAvailable, namespaceExists, NetnsUnavailableError, natAddresses } from '../../support/netns.js'
import { p2pPort, startNatWorld, until, type NatWorld } from '../../support/nat-world.js'

let unavailable: string | undefined
let world: NatWorld | undefined

before(async () => {
  try {
    await assertNetnsAvailable()
  } catch (err) {
    if (!(err instanceof NetnsUnavailableError)) throw err
    unavailable = err.message
    console.warn(`nat.test.ts: SKIPPED, ${unavailable}`)
    return
  }
  world = await startNatWorld()
}, { timeout: 180_000 })

after(async () => {
  const names = world === undefined ? [] : Object.values(world.topology).filter((v): v is { name: string } => typeof v === 'object' && v !== null && 'name' in v).map((ns) => ns.name)
  await world?.stop()
  for (const name of names) assert.equal(await namespaceExists(name), false, `namespace ${name} removed`)
})

/** The world, or a skip naming why there is none. */
function started (t: { skip: (reason: string) => void }): NatWorld | undefined {
  if (unavailable !== undefined) t.skip(unavailable)
  return world
}

test('the agency sees each resident at its router\'s public address, never its LAN address', { timeout: 90_000 }, async (t) => {
  const w = started(t)
  if (w === undefined) return
  const a = w.residentA!
  const b = w.residentB!
  const peers = async (): Promise<Map<string, string>> => new Map((await w.agency.api.call('GET /api/peers')).map((p) => [p.peerId, p.addr]))
  await until('both residents connected to the agency', async () => { const p = await peers(); return p.has(a.peerId) && p.has(b.peerId) })
  const seen = await peers()
  assert.match(seen.get(a.peerId)!, new RegExp(`^/ip4/${natAddresses.routerA.replaceAll('.', '\\.')}/tcp/\\d+`), 'resident A through router A')
  assert.match(seen.get(b.peerId)!, new RegExp(`^/ip4/${natAddresses.routerB.replaceAll('.', '\\.')}/tcp/\\d+`), 'resident B through router B')
  for (const addr of seen.values()) assert.doesNotMatch(addr, /\/ip4\/(192\.0\.2|198\.51\.100)\./, 'no LAN address crosses a router')
  // And the way in is closed: the internet has no route to a LAN, and a router forwards no port by itself.
  assert.equal(await w.topology.homeA.canConnect(natAddresses.agency, p2pPort), true, 'a home box reaches the internet')
  assert.equal(await w.topology.internet.canConnect(natAddresses.homeA.resident, p2pPort), false, 'no route into home A')
  assert.equal(await w.topology.internet.canConnect(natAddresses.routerA, p2pPort), false, 'router A forwards nothing')
  assert.equal(await w.topology.homeA.canConnect(natAddresses.homeB.resident, p2pPort), false, 'nor from one home into the other')
})
