// A node whose config names no chain can check no announcement: it ignores every one (never forwards it,
// never blames its sender), whatever the bytes, and its inbox stays empty.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createNode, residentRole } from '../../../node/index.js'
import { parseConfig } from '../../../node/config/index.js'
import { TestAgency } from '../../helpers/announcements.js'
import { AGENCY_KEY, DOMAIN } from '../../helpers/messages.js'

test('without a chain every announcement is ignored as REGISTRY_UNAVAILABLE, garbage and well-signed alike', async (t) => {
  const node = await createNode({
    config: parseConfig({ version: 1, role: 'resident', name: 'offline', listen: ['/memory/no-chain'], cameras: [{ name: 'porch', lat: 47.6062, lng: -122.3321 }] }),
    services: residentRole(),
    listenApi: false,
    staticDir: false
  })
  t.after(async () => { await node.stop() })
  await node.start()
  assert.equal(node.services.chain.endpoint, undefined)
  assert.equal(node.services.network.validator, undefined)

  const signed = new TestAgency(AGENCY_KEY, DOMAIN).request()
  for (const bytes of [new Uint8Array([0xff, 0x00]), signed.bytes]) {
    const outcome = await node.services.network.ingest(bytes, { cells: node.services.network.cells() })
    assert.equal(outcome.result, 'ignore')
    assert.equal(outcome.result === 'ignore' ? outcome.error.code : undefined, 'REGISTRY_UNAVAILABLE')
  }
  assert.deepEqual(await node.services.inbox.list(), [])
})
