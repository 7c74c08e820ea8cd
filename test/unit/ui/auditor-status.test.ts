import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { AgencyReport, Finding } from '../../../ui/src/api/types.js'
import { activityOf, agencyStatus } from '../../../ui/src/auditor/status.js'

const A = '0x00000000000000000000000000000000000000aa'
const report = (over: Partial<AgencyReport> = {}): AgencyReport => ({
  agency: A, name: 'PD', status: 'active', verifiedSize: 10, checkpoint: { size: 10, root: '0x' }, violations: 0, warnings: 0,
  requests: { total: 3, last24h: 1, last7d: 2, last30d: 3, perDay: { '2026-11-25': 2, '2026-11-24': 1 } }, activity: {}, ...over
})
const finding = (severity: Finding['severity']): Finding => ({ agency: A.toUpperCase().replace('0X', '0x'), rule: 'X', severity, evidence: {}, message: '', foundAt: 0 })

test('verified only when the whole signed log was checked with no finding', () => {
  assert.equal(agencyStatus(report(), []).state, 'ok')
  assert.equal(agencyStatus(report({ verifiedSize: 9 }), []).state, 'unknown')
  const { checkpoint: _, ...noCheckpoint } = report()
  assert.equal(agencyStatus(noCheckpoint as AgencyReport, []).state, 'unknown')
  assert.equal(agencyStatus(report({ warnings: 1 }), []).state, 'unknown')
  assert.equal(agencyStatus(report(), [finding('violation')]).state, 'fail', 'a finding counts even before the counters say so')
  assert.equal(agencyStatus(report(), [finding('warning')]).state, 'unknown')
})

test('activity is per day, oldest first', () => {
  assert.deepEqual(activityOf(report()), [])
  const full = activityOf(report({ activity: { '2026-11-26': { requests: 1, deliveries: 2, accesses: 3 }, '2026-11-20': { requests: 0, deliveries: 1, accesses: 0 } } }))
  assert.deepEqual(full.map((p) => [p.day, p.deliveries, p.accesses]), [['2026-11-20', 1, 0], ['2026-11-26', 2, 3]])
})
