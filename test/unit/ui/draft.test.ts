import { test } from 'node:test'
import assert from 'node:assert/strict'
import { areaFromCircle } from '../../../protocol/index.js'
import { cellToParent } from 'h3-js'
import { checkDraft, draftArea, draftBody, type Draft } from '../../../ui/src/compose/draft.js'
import { outsideCells } from '../../../ui/src/map/jurisdiction.js'
import { fromLocalInput, toLocalInput } from '../../../ui/src/components/local-input.js'

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

test('every broken limit shows at once, each with its limit\'s value', () => {
  const all = checkDraft(good({ title: 'x'.repeat(121), retentionDays: 400, lifetimeHours: 80, windowStart: now - 14 * 3600, cells: areaFromCircle(47.6062, -122.3321, 5000) }), now)
  const byCode = new Map(all.map((p) => [p.code, p]))
  for (const code of ['TEXT_TOO_LONG', 'RETENTION_TOO_LONG', 'LIFETIME_TOO_LONG', 'WINDOW_TOO_LONG', 'TOO_MANY_CELLS', 'AREA_TOO_LARGE']) assert.ok(byCode.has(code), code)
  assert.match(byCode.get('TOO_MANY_CELLS')!.message, /at most 64 cells/, 'the cell cap is named with its value')
  assert.match(byCode.get('LIFETIME_TOO_LONG')!.message, /at most 72 h\.$/)
  assert.doesNotMatch(byCode.get('LIFETIME_TOO_LONG')!.message, /\(72 h\)/)
  assert.match(byCode.get('RETENTION_TOO_LONG')!.message, /at most 365 days/)
})

test('the area meter is right past the cell cap (a 5 km radius is far over 1.3 km², not 0)', () => {
  const cells = areaFromCircle(47.6062, -122.3321, 5000)
  assert.ok(cells.length > 64)
  assert.ok(draftArea({ cells }) > 70, String(draftArea({ cells })))
})

test('window words: a window that ends before it starts, one that starts 40 days back', () => {
  const backwards = checkDraft(good({ windowStart: now - 3600, windowEnd: now - 7200 }), now)
  assert.deepEqual(backwards.map((p) => p.code), ['WINDOW_TOO_SHORT'])
  assert.match(backwards[0]!.message, /ends before it starts/)
  const old = checkDraft(good({ windowStart: now - 40 * 86400, windowEnd: now - 40 * 86400 + 3600 }), now)
  assert.deepEqual(old.map((p) => p.code), ['WINDOW_TOO_OLD'])
  assert.match(old[0]!.message, /40 days before now; it may start at most 30 days back/)
})

test('cells outside the agency\'s jurisdiction are a problem of the map, naming how many', () => {
  const cells = areaFromCircle(47.6062, -122.3321, 250)
  const home = cellToParent(cells[0]!, 7)
  const inside = cells.filter((c) => cellToParent(c, 7) === home)
  assert.deepEqual(checkDraft(good({ cells: inside }), now, { jurisdiction: [home] }), [])
  const far = areaFromCircle(47.7, -122.3321, 100)
  const problems = checkDraft(good({ cells: [...inside, ...far].sort() }), now, { jurisdiction: [home] })
  assert.deepEqual(problems.map((p) => `${p.field}:${p.code}`), ['cells:OUTSIDE_JURISDICTION'])
  assert.match(problems[0]!.message, new RegExp(`^${far.length} cells? (is|are) outside`))
  assert.deepEqual(outsideCells([...inside, ...far], [home]).sort(), [...far].sort())
})

test('datetime inputs read and written in the agency\'s zone, also across a DST change', () => {
  const t = Date.UTC(2026, 2, 4, 16, 41) / 1000 // 9:41 MST
  assert.equal(toLocalInput(t, false, 'America/Denver'), '2026-03-04T09:41')
  assert.equal(fromLocalInput('2026-03-04T09:41', 'America/Denver'), t)
  assert.equal(toLocalInput(t, false, 'UTC'), '2026-03-04T16:41')
  // 8 March 2026, 03:30 MDT is just after the change (02:00 MST → 03:00 MDT).
  const after = Date.UTC(2026, 2, 8, 9, 30) / 1000
  assert.equal(fromLocalInput('2026-03-08T03:30', 'America/Denver'), after)
  assert.equal(toLocalInput(after, false, 'America/Denver'), '2026-03-08T03:30')
  assert.ok(Number.isNaN(fromLocalInput('', 'America/Denver')))
})
