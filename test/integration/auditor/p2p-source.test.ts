// The auditor reads a log over /porchlight/audit/1.0.0 from a multiaddr endpoint, as it does over HTTP.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createPorchlightLibp2p, handleRequests, type PorchlightLibp2p } from '../../../node/p2p/index.js'
import { AUDIT_PROTOCOL, Auditor } from '../../../node/auditor/index.js'
import { PorchlightError } from '../../../protocol/errors.js'
import { startAuditChain, type AuditChainFixture } from '../../helpers/audit-chain.js'

class TileNotFoundError extends PorchlightError {
  constructor () { super('TILE_NOT_FOUND', 'no such tile'); this.name = 'TileNotFoundError' }
}

let fx: AuditChainFixture
let server: PorchlightLibp2p
let client: PorchlightLibp2p

before(async () => {
  fx = await startAuditChain(3)
  server = await createPorchlightLibp2p()
  client = await createPorchlightLibp2p()
})
after(async () => {
  await Promise.all([server.stop(), client.stop()])
  await fx.stop()
})

test('a log served over libp2p audits clean, and a tile it refuses is LOG_UNAVAILABLE', async () => {
  const a = await fx.agencyWith(300)
  await a.anchor(300)
  let refuse = ''
  await handleRequests<string, Uint8Array>(server, AUDIT_PROTOCOL, async (path) => {
    const bytes = path === refuse ? undefined : a.log.resource(path)
    if (bytes === undefined) throw new TileNotFoundError()
    return bytes
  })
  const logs = { [a.address]: server.getMultiaddrs()[0]!.toString() }
  const report = await new Auditor({ chain: fx.reader, libp2p: client, logs }).audit({ agency: a.address })
  assert.deepEqual(report.findings, [])
  assert.equal(report.agencies[0]!.verifiedSize, 300)

  refuse = 'tile/entries/001.p/44'
  const auditor = new Auditor({ chain: fx.reader, libp2p: client, logs })
  const refused = await auditor.audit({ agency: a.address })
  assert.deepEqual(refused.findings.map((f) => [f.rule, f.severity, f.evidence.path]), [['LOG_UNAVAILABLE', 'warning', 'tile/entries/001.p/44']])
  assert.equal(refused.agencies[0]!.verifiedSize, 0, 'a pass that could not read everything keeps the previous state')

  refuse = ''
  const recovered = await auditor.audit({ agency: a.address })
  assert.deepEqual(recovered.findings, [], 'a warning lasts only while its cause does')
  assert.equal(recovered.agencies[0]!.verifiedSize, 300)
})
