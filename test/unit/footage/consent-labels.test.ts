// The camera label a clip goes with (issue 19): the camera's name unless the resident edits or drops it,
// always one a consent can carry; and each clip's media type and length as the consent names them.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { consentLabel, encodeConsent, isPorchlightError } from '../../../protocol/index.js'
import { checkLabels, clipRefOf } from '../../../node/shares/consent-labels.js'
import { CLIP_CIDS, sampleConsent } from '../../helpers/messages.js'

const stored = { cid: CLIP_CIDS[0]!, size: 1000, camera: 'porch', start: 100, end: 130, contentType: 'video/mp4' }

test('a label is the camera\'s name by default, the resident\'s text trimmed, or none', () => {
  assert.equal(consentLabel(undefined, 'Back door'), 'Back door')
  assert.equal(consentLabel('  Side gate ', 'Back door'), 'Side gate')
  assert.equal(consentLabel(null, 'Back door'), '')
  // A camera's name may hold what no label may: the default leaves it out, and still encodes.
  const name = ' Garage\u007f\u0085 '
  assert.equal(consentLabel(undefined, name), 'Garage')
  const ref = clipRefOf({ ...stored, camera: name }, undefined)
  assert.doesNotThrow(() => encodeConsent(sampleConsent({ clips: [ref] })))
})

test('a clip\'s reference: the store\'s media type, its span in milliseconds unless the cut knew better', () => {
  assert.deepEqual(clipRefOf(stored, undefined), { cid: stored.cid, size: 1000, start: 100, end: 130, mediaType: 'video/mp4', durationMs: 30_000, camera: 'porch' })
  assert.equal(clipRefOf({ ...stored, durationMs: 29_480 }, null).durationMs, 29_480)
  assert.equal(clipRefOf({ ...stored, end: 100, contentType: 'image/jpeg' }, 'x').durationMs, 0)
})

test('labels naming no consented clip, too long, or with control characters are refused with their field', () => {
  const fieldOf = (fn: () => void): unknown => {
    try { fn() } catch (err) { assert.ok(isPorchlightError(err, 'ClipLabelError')); return err.details.field }
    return undefined
  }
  assert.equal(fieldOf(() => { checkLabels({ [CLIP_CIDS[1]!]: 'x' }, [CLIP_CIDS[0]!], []) }), `labels.${CLIP_CIDS[1]!}`)
  assert.equal(fieldOf(() => { checkLabels({ [CLIP_CIDS[0]!]: '🚪'.repeat(65) }, [CLIP_CIDS[0]!], []) }), `labels.${CLIP_CIDS[0]!}`)
  assert.equal(fieldOf(() => { checkLabels({}, [], [{ camera: 'porch', from: 1, to: 2, label: 'a\tb' }]) }), 'ranges[0].label')
  // At the limit, padded (the padding goes), or dropped: fine.
  assert.equal(fieldOf(() => { checkLabels({ [CLIP_CIDS[0]!]: ` ${'🚪'.repeat(64)} ` }, [CLIP_CIDS[0]!], [{ camera: 'porch', from: 1, to: 2, label: null }]) }), undefined)
})
