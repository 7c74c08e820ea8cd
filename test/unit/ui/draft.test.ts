import { test } from 'node:test'
import assert from 'node:assert/strict'
import { areaFromCircle } from '../../../protocol/index.js'
import { checkDraft, draftBody, type Draft } from '../../../ui/src/compose/draft.js'

const now = 1_800_000_000
const good = (over: Partial<Draft> = {}): Draft => ({
  caseCode: 'C-1', title: 'Hit and run', details: '', category: 'hit-and-run',
  cells: areaFromCircle(47.6062, -122.3321, 250), windowStart: now - 7200, windowEnd: now - 3600,
  lifetimeHours: 48, retentionDays: 90, ...over
})
const codes = (d: Draft) => checkDraft(d, now).map((p) => `${p.field}:${p.code}`)

test('a draft within every limit has no problem, and its body is what the API takes', () => {
  assert.deepEqual(checkDraft(good(), now), [])
  const body = draftBody(good({ caseCode: ' C-1 ' }))
  assert.equal(body.caseCode, 'C-1')
  assert.equal(body.lifetimeHours, 48)
  assert.equal(body.windowStart, new Date((now - 7200) * 1000).toISOString())
})

test('an area over 1.3 km² is a problem of the map field, explained with the number', () => {
  const problems = checkDraft(good({ cells: areaFromCircle(47.6062, -122.3321, 900) }), now)
  const area = problems.find((p) => p.code === 'AREA_TOO_LARGE')
  assert.equal(area?.field, 'cells')
  assert.match(area.message, /1\.30 km²/)
  assert.equal(problems.filter((p) => p.code === 'AREA_TOO_LARGE').length, 1)
})

test('each broken limit is tied to its field', () => {
  assert.deepEqual(codes(good({ windowStart: now - 14 * 3600 })), ['windowEnd:WINDOW_TOO_LONG'])
  assert.deepEqual(codes(good({ windowEnd: now + 600, windowStart: now - 600 })), ['windowEnd:WINDOW_IN_FUTURE'])
  assert.deepEqual(codes(good({ lifetimeHours: 80 })), ['lifetimeHours:LIFETIME_TOO_LONG'])
  assert.deepEqual(codes(good({ retentionDays: 400 })), ['retentionDays:RETENTION_TOO_LONG'])
  assert.deepEqual(codes(good({ title: 'x'.repeat(121) })), ['title:TEXT_TOO_LONG'])
  assert.deepEqual(codes(good({ caseCode: '', cells: [] })), ['caseCode:REQUIRED', 'cells:REQUIRED'])
})
