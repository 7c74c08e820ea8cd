import { test } from 'node:test'
import assert from 'node:assert/strict'
import { areaFromCircle } from '../../../protocol/geo/index.js'
import { LIMITS, checkRequestLimits, validateSignedRequest } from '../../../protocol/limits/index.js'
import { encodeSignedRequest } from '../../../protocol/messages/index.js'
import type { Request } from '../../../protocol/messages/index.js'
import { DOMAIN, NOW, sampleRequest, signedRequest } from '../../helpers/messages.js'

const HOUR = 3600
const DAY = 24 * HOUR

test('the table holds docs/design.md §4', () => {
  const r = LIMITS.request
  assert.equal(r.maxAreaKm2, 1.3)
  assert.equal(r.minWindowSeconds, 15 * 60)
  assert.equal(r.maxWindowSeconds, 12 * HOUR)
  assert.equal(r.maxWindowAgeSeconds, 30 * DAY)
  assert.equal(r.maxLifetimeSeconds, 72 * HOUR)
  assert.deepEqual([r.maxTitleChars, r.maxDetailsChars, r.maxCaseCodeChars], [120, 2000, 64])
  assert.equal(LIMITS.encodedBytes.request, 16 * 1024)
  assert.equal(r.maxRetentionDays, 365)
  assert.deepEqual([...r.categories].sort(), ['assault', 'burglary', 'hit-and-run', 'homicide', 'missing-person', 'other-violent', 'vehicle-crime'])
})

test('a request within every limit passes and is returned', () => {
  const request = sampleRequest()
  assert.equal(checkRequestLimits(request, NOW), request)
})

// Each case: a change to the sample request, the error it must raise, and the field it names.
const w = (start: number, end: number): Partial<Request> => ({ windowStart: start, windowEnd: end })
const cases: Array<[string, Partial<Request>, string, string, number?]> = [
  ['area over 1.3 km²', { cells: areaFromCircle(47.6062, -122.3321, 800) }, 'AreaTooLargeError', 'cells'],
  ['window over 12 h', w(NOW - 12 * HOUR - 1, NOW), 'WindowTooLongError', 'windowEnd'],
  ['window under 15 min', w(NOW - 899, NOW), 'WindowTooShortError', 'windowEnd'],
  ['window ending before it starts', w(NOW - HOUR, NOW - 2 * HOUR), 'WindowTooShortError', 'windowEnd'],
  ['window ending after issuedAt', w(NOW - HOUR, NOW + 1), 'WindowInFutureError', 'windowEnd'],
  ['window starting over 30 days back', w(NOW - 30 * DAY - 1, NOW - 30 * DAY + HOUR), 'WindowTooOldError', 'windowStart'],
  ['lifetime over 72 h', { expiresAt: NOW + 72 * HOUR + 1 }, 'LifetimeTooLongError', 'expiresAt'],
  ['expiring when issued', { expiresAt: NOW }, 'LifetimeTooShortError', 'expiresAt'],
  ['expired', {}, 'ExpiredError', 'expiresAt', NOW + 48 * HOUR],
  ['issued beyond the clock skew', {}, 'NotYetValidError', 'issuedAt', NOW - LIMITS.clockSkewSeconds - 1],
  ['retention over 365 days', { retentionDays: 366 }, 'RetentionTooLongError', 'retentionDays'],
  ['a category outside the list', { category: 'immigration' as Request['category'] }, 'UnknownCategoryError', 'category'],
  ['a long title', { title: 'x'.repeat(121) }, 'TextTooLongError', 'title'],
  ['a long case code', { caseCode: 'x'.repeat(65) }, 'TextTooLongError', 'caseCode'],
  ['long details', { details: 'x'.repeat(2001) }, 'TextTooLongError', 'details']
]

for (const [why, change, name, field, now] of cases) {
  test(`checkRequestLimits rejects ${why} with ${name}`, () => {
    assert.throws(() => checkRequestLimits(sampleRequest(change), now ?? NOW), (err: Error & { details: { field: string } }) => {
      assert.equal(err.name, name)
      assert.equal(err.details.field, field)
      return true
    })
  })
}

test('exact limits pass: 12 h and 15 min windows, 30 days back, 72 h, 365 days, skew, 120 code points', () => {
  const ok: Array<[Partial<Request>, number?]> = [
    [w(NOW - 12 * HOUR, NOW)],
    [w(NOW - 900, NOW)],
    [w(NOW - 30 * DAY, NOW - 30 * DAY + HOUR)],
    [{ expiresAt: NOW + 72 * HOUR }],
    [{ retentionDays: 365 }],
    [{}, NOW - LIMITS.clockSkewSeconds],
    [{}, NOW + 48 * HOUR - 1],
    // 120 emoji are 240 UTF-16 units but 120 characters.
    [{ title: '🏠'.repeat(120) }],
    [{ cells: areaFromCircle(47.6062, -122.3321, 600) }]
  ]
  for (const [change, now] of ok) assert.doesNotThrow(() => checkRequestLimits(sampleRequest(change), now ?? NOW), JSON.stringify(change))
})

test('validateSignedRequest decodes, checks limits and the signature, and returns the id', () => {
  const bytes = encodeSignedRequest(signedRequest())
  const result = validateSignedRequest(bytes, DOMAIN, NOW)
  assert.equal(result.agency, sampleRequest().agency)
  assert.match(result.id, /^bafyrei/)
  assert.throws(() => validateSignedRequest(bytes, DOMAIN, NOW + 72 * HOUR), { name: 'ExpiredError' })
  assert.throws(() => validateSignedRequest(bytes, { ...DOMAIN, chainId: 1 }, NOW), { name: 'InvalidSignatureError' })
  assert.throws(() => validateSignedRequest(bytes.subarray(1), DOMAIN, NOW), { code: 'MALFORMED_ENCODING' })
})
