import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { AgencyReport, DayActivity, Finding } from '../../../ui/src/api/types.js'
import { activityOf, agencyStatus, bucketsOf, MAX_DAYS_CHARTED } from '../../../ui/src/auditor/status.js'

const A = '0x00000000000000000000000000000000000000aa'
const report = (over: Partial<AgencyReport> = {}): AgencyReport => ({
  agency: A, name: 'PD', status: 'active', verifiedSize: 10, checkpoint: { size: 10, root: '0x' }, violations: 0, warnings: 0,
  requests: { total: 3, last24h: 1, last7d: 2, last30d: 3, perDay: { '2026-11-25': 2, '2026-11-24': 1 } }, activity: {},
  transparency: { categories: {}, months: {}, withdrawn: 0, shares: [], retention: { deletedOnTime: 0, deletedLate: 0, overdue: 0, pending: 0, unknown: 0 } }, ...over
})
const day = (v: Partial<DayActivity>): DayActivity => ({ requests: 0, deliveries: 0, accesses: 0, shares: 0, deletions: 0, ...v })
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
  const full = activityOf(report({ activity: { '2026-11-26': day({ requests: 1, deliveries: 2, accesses: 3 }), '2026-11-20': day({ deliveries: 1 }) } }))
  assert.deepEqual(full.map((p) => [p.day, p.deliveries, p.accesses]), [['2026-11-20', 1, 0], ['2026-11-26', 2, 3]])
})

test('the chart covers the data: every day from the first to the last (gaps are zero), per month past MAX_DAYS_CHARTED days', () => {
  assert.deepEqual(bucketsOf(report()), { unit: 'day', buckets: [] })
  const one = bucketsOf(report({ activity: { '2026-11-26': day({ requests: 1, deletions: 1 }) } }))
  assert.deepEqual(one.buckets, [{ label: '2026-11-26', requests: 1, deliveries: 0, accesses: 0, shares: 0, deletions: 1 }], 'one day of data is the whole axis')
  const gap = bucketsOf(report({ activity: { '2026-11-20': day({ deliveries: 1 }), '2026-11-23': day({ shares: 2 }) } }))
  assert.deepEqual(gap.buckets.map((b) => [b.label, b.deliveries, b.shares]), [['2026-11-20', 1, 0], ['2026-11-21', 0, 0], ['2026-11-22', 0, 0], ['2026-11-23', 0, 2]])
  const first = Date.parse('2026-01-15T00:00:00Z')
  const last = new Date(first + (MAX_DAYS_CHARTED + 10) * 86_400_000).toISOString().slice(0, 10)
  const long = bucketsOf(report({ activity: { '2026-01-15': day({ requests: 1 }), '2026-02-01': day({ requests: 2 }), [last]: day({ accesses: 4 }) } }))
  assert.equal(long.unit, 'month')
  assert.deepEqual(long.buckets.map((b) => [b.label, b.requests, b.accesses]), [['2026-01', 1, 0], ['2026-02', 2, 0], ['2026-03', 0, 0], ['2026-04', 0, 4]])
})
