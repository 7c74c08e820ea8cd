import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cellToLatLng, cellToParent, gridDisk } from 'h3-js'
import { parseConfig } from '../../../node/config/index.js'
import { camerasInArea, cameraTopicCells, mergePolicies, policyIgnores, toInboxPolicy } from '../../../node/resident/index.js'
import { AGENCY, sampleRequest } from '../../helpers/messages.js'

const request = sampleRequest()

test('policies ignore by category or agency, and only those', () => {
  assert.equal(policyIgnores(toInboxPolicy({ ignoreCategories: [], ignoreAgencies: [] }), request), undefined)
  assert.equal(policyIgnores(toInboxPolicy({ ignoreCategories: ['burglary'], ignoreAgencies: [] }), request), 'category')
  assert.equal(policyIgnores(toInboxPolicy({ ignoreCategories: ['assault'], ignoreAgencies: [AGENCY.toLowerCase()] }), request), 'agency')
  assert.deepEqual(mergePolicies({ ignoreCategories: ['assault'], ignoreAgencies: [] }, { ignoreCategories: ['assault', 'homicide'], ignoreAgencies: [] }).ignoreCategories, ['assault', 'homicide'])
  assert.throws(() => toInboxPolicy({ ignoreCategories: ['immigration'], ignoreAgencies: [] }), { name: 'InvalidInboxPolicyError' })
  assert.throws(() => toInboxPolicy({ ignoreCategories: [], ignoreAgencies: ['0x1234'] }), { name: 'InvalidInboxPolicyError' })
})

test('config.json: inboxPolicy is for residents, with known categories and checksummed addresses', () => {
  const base = { version: 1, role: 'resident', name: 'r' }
  assert.deepEqual(parseConfig({ ...base, inboxPolicy: { ignoreCategories: ['assault'] } }).inboxPolicy, { ignoreCategories: ['assault'], ignoreAgencies: [] })
  assert.equal(parseConfig(base).inboxPolicy, undefined)
  assert.throws(() => parseConfig({ ...base, inboxPolicy: { ignoreCategories: ['immigration'] } }), (e: any) => e.name === 'InvalidConfigError' && e.details.field === '/inboxPolicy/ignoreCategories/0')
  assert.throws(() => parseConfig({ ...base, inboxPolicy: { ignoreAgencies: [AGENCY.toLowerCase().replace('0x', '0X')] } }), { name: 'InvalidConfigError' })
  assert.throws(() => parseConfig({ ...base, role: 'agency', inboxPolicy: {} }), (e: any) => e.name === 'InvalidConfigError' && e.details.field === '/inboxPolicy')
})

test('a camera matches only when its exact res-9 cell is in the area; topics reveal only res-7 cells', () => {
  const inArea = cellToLatLng(request.cells[0]!)
  const outside = gridDisk(request.cells[0]!, 5).find((c) => !request.cells.includes(c) && cellToParent(c, 7) === cellToParent(request.cells[0]!, 7))!
  const cameras = [{ name: 'porch', lat: inArea[0], lng: inArea[1] }, { name: 'garage', lat: cellToLatLng(outside)[0], lng: cellToLatLng(outside)[1] }]
  assert.deepEqual(camerasInArea(request, cameras).map((c) => c.name), ['porch'])
  assert.deepEqual(cameraTopicCells(cameras), [cellToParent(request.cells[0]!, 7)])
})
