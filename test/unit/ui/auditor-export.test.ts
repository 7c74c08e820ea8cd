import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { AuditReport } from '../../../ui/src/api/types.js'
import { transparencyCsv, transparencyJson } from '../../../ui/src/auditor/export.js'

const A = '0x00000000000000000000000000000000000000Aa'
const report = {
  chainId: 31337, registry: '0x' + '11'.repeat(20), auditedAt: 1_800_000_000, findings: [], violations: 0, checkpoints: [], pendingCheckpoints: 0,
  agencies: [{
    agency: A, name: 'Police, "North"', status: 'active', verifiedSize: 9, violations: 0, warnings: 0, activity: {},
    requests: { total: 2, last24h: 0, last7d: 0, last30d: 2, perDay: {} },
    transparency: {
      categories: { burglary: 2 },
      months: { '2026-11': { requests: 2, deliveries: 3, accesses: 1, shares: 1, deletions: 1 } },
      withdrawn: 1,
      shares: [{ recipient: 'County Court, Dept. 4', registered: false, count: 1 }],
      retention: { deletedOnTime: 1, deletedLate: 0, overdue: 0, pending: 2, unknown: 0 }
    }
  }]
} satisfies AuditReport

test('the CSV has one row per agency, section and key, quoted per RFC 4180', () => {
  const rows = transparencyCsv(report).split('\r\n')
  assert.equal(rows[0], 'agency,name,section,key,requests,deliveries,accesses,shares,deletions,count,registered')
  assert.equal(rows[1], `${A},"Police, ""North""",month,2026-11,2,3,1,1,1,,`)
  assert.ok(rows.includes(`${A},"Police, ""North""",share,"County Court, Dept. 4",,,,,,1,false`))
  assert.ok(rows.includes(`${A},"Police, ""North""",withdrawn,requests,,,,,,1,`))
  assert.ok(rows.includes(`${A},"Police, ""North""",retention,pending,,,,,,2,`))
  assert.equal(rows.at(-1), '', 'ends with a line break')
})

test('the JSON names its format, chain and registry, and carries every figure', () => {
  const json = transparencyJson(report)
  assert.equal(json.format, 'porchlight-transparency/1')
  assert.equal(json.registry, report.registry)
  assert.deepEqual(json.agencies[0]!.retention, report.agencies[0]!.transparency.retention)
  assert.equal(json.agencies[0]!.withdrawn, 1)
})
