// What the auditor keeps between passes is bounded (node/auditor/sightings.ts), and so are the request topics
// it joins (gossip-cells.ts): anyone can sign notes with a key of their own, and a jurisdiction may be vast.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cellToChildrenSize, getRes0Cells, latLngToCell } from 'h3-js'
import { SightingBook, gossipCells, topicCellsOfJurisdiction, type Sighting } from '../../../node/auditor/index.js'

const seen = (agency: string, size: number, root = `0x${String(size % 10).repeat(64)}`): Sighting => ({ agency, size, root, note: `note ${size}`, source: 'gossip', from: 'peer' })

test('a sighting book keeps each (size, root) once, at most perAgency per agency and maxAgencies agencies, least recent out', () => {
  const book = new SightingBook({ maxAgencies: 2, perAgency: 3 })
  assert.equal(book.record(seen('0xA', 1)), true)
  assert.equal(book.record({ ...seen('0xA', 1), source: 'receipt' }), false, 'the same (size, root) from another source is not kept twice')
  assert.equal(book.record(seen('0xA', 1, `0x${'f'.repeat(64)}`)), true, 'another root at one size is kept: that is the evidence')
  for (const size of [2, 3]) book.record(seen('0xA', size))
  assert.deepEqual(book.pending('0xA').map((s) => s.size), [1, 2, 3], 'the oldest of four went')
  book.record(seen('0xB', 7))
  book.record(seen('0xC', 8))
  assert.deepEqual(book.pending('0xA'), [], 'a third agency pushes out the least recent one')
  assert.equal(book.size, 2)
  book.settle('0xB', book.pending('0xB'))
  assert.deepEqual(book.pending('0xB'), [])
  assert.equal(book.size, 1)
})

test('topics: a jurisdiction maps to the res-7 cells under it; beyond the bound, what does not fit is reported', () => {
  const res7 = latLngToCell(47.6062, -122.3321, 7)
  const res5 = latLngToCell(47.6062, -122.3321, 5)
  assert.deepEqual(topicCellsOfJurisdiction([res7, res7], 10), { cells: [res7], total: 1 })
  assert.equal(topicCellsOfJurisdiction([res5], 4096).cells.length, 49)
  const all = gossipCells(new Map([['0xA', [res7]], ['0xB', [res5]]]), 4096)
  assert.equal(all.cells.length, 49, "a's cell is one of b's")
  assert.deepEqual(all.capped, [])
  // A res-0 cell is ~800,000 topics: counted, never enumerated, and reported as capped.
  const huge = getRes0Cells()[10]!
  const capped = gossipCells(new Map([['0xA', [res7]], ['0xB', [huge]]]), 4096)
  assert.deepEqual(capped.cells, [res7])
  assert.deepEqual(capped.capped, [{ agency: '0xB', cells: cellToChildrenSize(huge, 7), joined: 0 }])
})
