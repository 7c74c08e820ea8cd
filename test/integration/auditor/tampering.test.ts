// The auditor against agency logs served over HTTP by a stand-in log (test/helpers/audit-log.ts) and anchors
// on the embedded chain: a clean log audits clean, and each kind of tampering is found, each its own test.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { Auditor, type AuditReport, type Finding } from '../../../node/auditor/index.js'
import { encodeLogEntry } from '../../../protocol/messages/index.js'
import { HASH_SIZE, TILE_WIDTH } from '../../../protocol/tlog/index.js'
import { buildEntries, encodeEntries, clipOf } from '../../helpers/audit-log.js'
import { startAuditChain, type AuditChainFixture, type TestAgency } from '../../helpers/audit-chain.js'

let fx: AuditChainFixture
type Agency = TestAgency

before(async () => { fx = await startAuditChain() })
after(async () => { await fx.stop() })

function auditorFor (...agencies: Agency[]): Auditor {
  return new Auditor({ chain: fx.reader, logs: Object.fromEntries(agencies.map((a) => [a.address, a.url]))})
}

function of (report: AuditReport, agency: Agency): Finding[] {
  return report.findings.filter((f) => f.agency === agency.address)
}

function rules (findings: Finding[]): string[] {
  return [...new Set(findings.map((f) => f.rule))].sort()
}

test('a valid log of thousands of entries, anchored, audits clean', async () => {
  const a = await fx.agencyWith(2100)
  await a.anchor(700)
  await a.anchor(1500)
  await a.anchor(2100)
  const report = await auditorFor(a).audit({ agency: a.address })
  assert.deepEqual(of(report, a), [])
  const mine = report.agencies.find((r) => r.agency === a.address)!
  assert.equal(mine.verifiedSize, 2100)
  assert.equal(mine.violations, 0)
  assert.equal(mine.requests.total, Math.ceil(2100 / 8))
  assert.equal(report.checkpoints.filter((c) => c.agency === a.address).length, 1)
})

test('a second pass reads only the new tiles and still audits clean', async () => {
  const a = await fx.agencyWith(600)
  await a.anchor(600)
  const auditor = auditorFor(a)
  await auditor.audit({ agency: a.address })
  await a.grow(400)
  await a.anchor(1000)
  a.log.requests.length = 0
  const report = await auditor.audit({ agency: a.address })
  assert.deepEqual(of(report, a), [])
  assert.equal(report.agencies.find((r) => r.agency === a.address)!.verifiedSize, 1000)
  // Bundles 0 and 1 were full and verified at 600: not read again.
  assert.ok(!a.log.requests.includes('tile/entries/000'), a.log.requests.join(' '))
  assert.ok(!a.log.requests.includes('tile/entries/001'), a.log.requests.join(' '))
  assert.ok(a.log.requests.includes('tile/entries/003.p/232'))
})

test('an entry changed in the agency database after anchoring is found', async () => {
  const a = await fx.agencyWith(300)
  await a.anchor(300)
  const changed = encodeLogEntry({ kind: 'access', clip: clipOf(1), actor: 'officer-x', purpose: 'edited later', at: (await fx.now()) + 5 })
  a.log.view = { ...a.log.view, servedEntries: new Map([[42, changed]]) }
  const found = of(await auditorFor(a).audit({ agency: a.address }), a)
  const mismatch = found.find((f) => f.rule === 'ENTRY_MISMATCH')
  assert.ok(mismatch, JSON.stringify(found))
  assert.equal(mismatch.entryIndex, 42)
  assert.equal(mismatch.severity, 'violation')
})

test('an entry rewritten with its tiles after anchoring breaks the anchored root', async () => {
  const a = await fx.agencyWith(300)
  await a.anchor(300)
  const entries = [...a.log.view.entries]
  entries[42] = encodeLogEntry({ kind: 'access', clip: clipOf(1), actor: 'officer-x', purpose: 'edited later', at: (await fx.now()) + 5 })
  a.log.view = { entries }
  const found = of(await auditorFor(a).audit({ agency: a.address }), a)
  const mismatch = found.find((f) => f.rule === 'ANCHOR_ROOT_MISMATCH')
  assert.ok(mismatch, JSON.stringify(found))
  assert.equal(mismatch.evidence.treeSize, 300)
  assert.ok(typeof mismatch.evidence.transactionHash === 'string')
})

/** Flips one byte of hash `i` of the tile at `path`. */
function flipHash (path: string, i: number): (p: string, bytes: Uint8Array) => Uint8Array {
  return (p, bytes) => {
    if (p !== path) return bytes
    const out = bytes.slice()
    out[i * HASH_SIZE] = out[i * HASH_SIZE]! ^ 1
    return out
  }
}

test('a level-1 tile served with one hash changed is found', async () => {
  const a = await fx.agencyWith(700)
  await a.anchor(700)
  a.log.view = { ...a.log.view, tamper: flipHash('tile/1/000.p/2', 1) }
  const found = of(await auditorFor(a).audit({ agency: a.address }), a)
  const mismatch = found.find((f) => f.rule === 'TILE_HASH_MISMATCH')
  assert.ok(mismatch, JSON.stringify(found))
  assert.equal(mismatch.evidence.level, 1)
  assert.equal(mismatch.evidence.nodeIndex, 1)
})

test('a level-0 tile changed under a level-1 hash (which roots never read) is found', async () => {
  const a = await fx.agencyWith(700)
  await a.anchor(700)
  a.log.view = { ...a.log.view, tamper: flipHash('tile/0/001', 17) }
  const found = of(await auditorFor(a).audit({ agency: a.address }), a)
  const mismatch = found.find((f) => f.rule === 'ENTRY_MISMATCH')
  assert.ok(mismatch, JSON.stringify(found))
  assert.equal(mismatch.entryIndex, TILE_WIDTH + 17)
  // The roots are right: only checking every tile finds this.
  assert.ok(!found.some((f) => f.rule === 'ANCHOR_ROOT_MISMATCH'))
})

test('two checkpoints of one size served to two auditors are a split view', async () => {
  const a = await fx.agencyWith(40)
  await a.anchor(20)
  const honest = a.log.view.entries
  const forked = [...honest.slice(0, 30), ...encodeEntries(buildEntries(a.key, fx.domain, (await fx.now()) + 100, 10))]
  const first = auditorFor(a)
  const reportA = await first.audit({ agency: a.address })
  assert.deepEqual(of(reportA, a), [])
  a.log.view = { entries: forked }
  const second = auditorFor(a)
  assert.deepEqual(of(await second.audit({ agency: a.address }), a), [], 'each view alone is consistent')
  second.addPeerCheckpoints(reportA.checkpoints)
  const found = of(await second.audit({ agency: a.address }), a)
  const split = found.find((f) => f.rule === 'SPLIT_VIEW')
  assert.ok(split, JSON.stringify(found))
  assert.equal(split.evidence.size, 40)
  const seen = split.evidence.seen as Array<{ root: string, source: string, note?: string }>
  assert.equal(new Set(seen.map((s) => s.root)).size, 2)
  assert.ok(seen.every((s) => s.note !== undefined), 'both roots come with the agency-signed note')
})

test('a log rewritten to a shorter one is found', async () => {
  const a = await fx.agencyWith(500)
  await a.anchor(500)
  const auditor = auditorFor(a)
  assert.deepEqual(of(await auditor.audit({ agency: a.address }), a), [])
  a.log.view = { entries: a.log.view.entries.slice(0, 300) }
  const found = of(await auditor.audit({ agency: a.address }), a)
  const truncated = found.filter((f) => f.rule === 'LOG_TRUNCATED')
  assert.ok(truncated.some((f) => f.evidence.anchoredSize === 500 && f.evidence.size === 300), JSON.stringify(found))
  assert.ok(truncated.some((f) => f.evidence.verifiedSize === 500), JSON.stringify(found))
  // A fresh auditor, without memory, finds it from the chain alone.
  const fresh = of(await auditorFor(a).audit({ agency: a.address }), a)
  assert.ok(fresh.some((f) => f.rule === 'LOG_TRUNCATED' && f.evidence.anchoredSize === 500))
})

test('an agency that stops anchoring while its log grows is flagged', async () => {
  const a = await fx.agencyWith(50)
  await a.anchor(50)
  const auditor = auditorFor(a)
  assert.deepEqual(of(await auditor.audit({ agency: a.address }), a), [])
  await a.grow(20)
  await fx.advance(2 * 3600) // the promised interval (600 s) passes many times over, with no anchor
  const found = of(await auditor.audit({ agency: a.address }), a)
  const stopped = found.find((f) => f.rule === 'LOG_NOT_ANCHORING')
  assert.ok(stopped, JSON.stringify(found))
  assert.equal(stopped.entryIndex, 50)
  assert.equal(stopped.evidence.latestAnchoredSize, 50)
  // When it anchors at last, that anchor came late.
  await a.anchor(70)
  const late = of(await auditor.audit({ agency: a.address }), a).find((f) => f.rule === 'ANCHOR_LATE')
  assert.ok(late)
  assert.equal(late.entryIndex, 50)
  assert.equal(late.evidence.treeSize, 70)
})

test('a delivery for a request never logged is a rule violation', async () => {
  const a = await fx.agencyWith(20)
  const entries = [...a.log.view.entries]
  const never = 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
  entries.push(encodeLogEntry({ kind: 'delivery', request: never, consent: never, clips: [{ cid: clipOf(999), size: 10 }], at: (await fx.now()) + 30 }))
  a.log.view = { entries }
  await a.anchor(21)
  const found = of(await auditorFor(a).audit({ agency: a.address }), a)
  assert.deepEqual(rules(found), ['DELIVERY_UNKNOWN_REQUEST'])
  assert.equal(found[0]!.entryIndex, 20)
})

test('an agency that anchors but whose log endpoint is unknown is reported, not skipped', async () => {
  const a = await fx.agencyWith(10)
  await a.anchor(10)
  const report = await new Auditor({ chain: fx.reader }).audit({ agency: a.address })
  const found = of(report, a)
  assert.deepEqual(rules(found), ['LOG_ENDPOINT_UNKNOWN'])
  assert.equal(found[0]!.severity, 'warning')
  assert.equal(report.violations, 0)
})

test('a malformed entry is ENTRY_MALFORMED at its index, and the pass goes on', async () => {
  const a = await fx.agencyWith(300)
  const entries = [...a.log.view.entries]
  entries[5] = Uint8Array.of(0xa1, 0x61, 0x78, 0x01) // dag-cbor {x: 1}: not a log entry
  a.log.view = { entries }
  await a.anchor(300)
  const report = await auditorFor(a).audit({ agency: a.address })
  assert.deepEqual(of(report, a).map((f) => `${f.rule}@${f.entryIndex}`), ['ENTRY_MALFORMED@5'])
  assert.equal(report.agencies.find((r) => r.agency === a.address)!.verifiedSize, 300)
})
