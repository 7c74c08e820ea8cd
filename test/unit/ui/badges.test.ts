import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addressOfPrivateKey, toEip712Json } from '../../../protocol/index.js'
import { requestBadges } from '../../../ui/src/verify/badges.js'
import { AGENCY, DOMAIN, FixtureLog, logRequest, nowSeconds } from '../../helpers/ui-world.js'

const verification = (over: Partial<{ status: string, insideJurisdiction: boolean }> = {}) => ({
  signer: AGENCY,
  agency: { name: 'Seattle PD', status: over.status ?? 'active', validUntil: nowSeconds() + 86400 },
  insideJurisdiction: over.insideJurisdiction ?? true,
  log: { origin: '', logIndex: 0, treeSize: 1, root: '' },
  checkedAt: nowSeconds()
})

function setup () {
  const log = new FixtureLog()
  log.append({ kind: 'access', clip: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy', actor: 'a', purpose: 'p', at: 1 })
  const req = logRequest(log)
  log.append({ kind: 'access', clip: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy', actor: 'b', purpose: 'q', at: 2 })
  const domain = toEip712Json('Request', req.signed.message, DOMAIN).domain
  return { log, req, domain }
}

test('a logged request signed by its agency gets four green badges', () => {
  const { log, req, domain } = setup()
  const b = requestBadges({ request: req.signed, domain, verification: verification(), evidence: log.evidence(req.logIndex), now: nowSeconds() })
  assert.deepEqual([b.signature.state, b.registered.state, b.jurisdiction.state, b.logged.state], ['ok', 'ok', 'ok', 'ok'])
})

test('a changed field breaks the signature badge; a suspended agency or an outside area turns theirs red', () => {
  const { log, req, domain } = setup()
  const forged = { ...req.signed, message: { ...req.signed.message, title: 'Something else' } }
  const b = requestBadges({ request: forged, domain, verification: verification({ status: 'suspended', insideJurisdiction: false }), evidence: log.evidence(req.logIndex), now: nowSeconds() })
  assert.equal(b.signature.state, 'fail')
  assert.equal(b.registered.state, 'fail')
  assert.equal(b.jurisdiction.state, 'fail')
  assert.equal(b.logged.state, 'fail', 'the forged request is not the logged entry')
})

test('the registration badge follows the agency\'s status now: red once suspended, though it was active at arrival', () => {
  const { log, req, domain } = setup()
  const at = nowSeconds()
  const badge = (agencyStatus?: { status: string, validUntil: number, active: boolean, checkedAt: number }) =>
    requestBadges({ request: req.signed, domain, verification: verification(), ...(agencyStatus === undefined ? {} : { agencyStatus }), evidence: log.evidence(req.logIndex), now: at }).registered
  assert.equal(badge().state, 'ok', 'without the status now, the verification at arrival')
  assert.equal(badge({ status: 'active', validUntil: at + 86400, active: true, checkedAt: at }).state, 'ok')
  const suspended = badge({ status: 'suspended', validUntil: at + 86400, active: false, checkedAt: at })
  assert.equal(suspended.state, 'fail')
  assert.equal(badge({ status: 'active', validUntil: at - 1, active: false, checkedAt: at }).state, 'fail', 'past its validity')
})

test('the log badge fails for a wrong index, a flipped proof bit or another agency\'s checkpoint; unknown without proof', () => {
  const { log, req, domain } = setup()
  const ev = log.evidence(req.logIndex)
  const run = (evidence?: typeof ev) => requestBadges({ request: req.signed, domain, verification: verification(), ...(evidence === undefined ? {} : { evidence }), now: nowSeconds() }).logged
  assert.equal(run({ ...ev, logIndex: 2 }).state, 'fail')
  const flipped = ev.proof[0]!.slice(0, -1) + (ev.proof[0]!.endsWith('0') ? '1' : '0')
  assert.equal(run({ ...ev, proof: [flipped, ...ev.proof.slice(1)] }).state, 'fail')
  const other = new FixtureLog(DOMAIN, '0x' + '11'.repeat(32), addressOfPrivateKey('0x' + '11'.repeat(32)))
  assert.equal(run({ ...ev, checkpoint: other.checkpoint() }).state, 'fail')
  assert.equal(run(undefined).state, 'unknown')
})
