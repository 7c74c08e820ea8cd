import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { main } from '../../../node/cli/main.js'
import { corner, startAgencyFixture, type AgencyFixture } from '../../helpers/agency-fixture.js'

let f: AgencyFixture
before(async () => { f = await startAgencyFixture() })
after(async () => { await f.stop() })

/** Runs the CLI in this process; returns its exit code and what it printed. */
async function cli (...argv: string[]): Promise<{ code: number, out: string, err: string }> {
  const out: string[] = []
  const err: string[] = []
  const saved = { log: console.log, error: console.error }
  console.log = (...a: unknown[]) => { out.push(a.join(' ')) }
  console.error = (...a: unknown[]) => { err.push(a.join(' ')) }
  try {
    return { code: await main(argv), out: out.join('\n'), err: err.join('\n') }
  } finally {
    Object.assign(console, saved)
  }
}

const hourAgo = (): string => new Date(Date.now() - 3_600_000).toISOString()
const minuteAgo = (): string => new Date(Date.now() - 60_000).toISOString()

function createArgs (...area: string[]): string[] {
  return [
    'request', 'create', '--dir', f.dir, '--case-code', 'CLI-7', '--title', 'Hit and run at 5th and Mission',
    '--details', 'A grey van, about 9 pm.', '--category', 'hit-and-run', ...area,
    '--window-start', hourAgo(), '--window-end', minuteAgo(), '--lifetime-hours', '48', '--retention-days', '30'
  ]
}

test('request create, list, show and withdraw go through the running node', { timeout: 30_000 }, async () => {
  const created = await cli(...createArgs('--center', `${corner.lat},${corner.lng}`, '--radius', '200'))
  assert.equal(created.code, 0, created.err)
  const view = JSON.parse(created.out)
  assert.equal(view.request.caseCode, 'CLI-7')
  assert.equal(view.request.category, 'hit-and-run')
  assert.equal(view.request.expiresAt - view.request.issuedAt, 48 * 3600)

  const byCells = await cli(...createArgs('--cells', view.request.cells.slice(0, 2).join(',')))
  assert.equal(byCells.code, 0, byCells.err)
  assert.deepEqual(JSON.parse(byCells.out).request.cells, view.request.cells.slice(0, 2))

  const list = await cli('request', 'list', '--dir', f.dir)
  assert.deepEqual(JSON.parse(list.out).map((r: { id: string }) => r.id).sort(), [view.id, JSON.parse(byCells.out).id].sort())
  const show = await cli('request', 'show', '--dir', f.dir, '--id', view.id)
  assert.equal(JSON.parse(show.out).id, view.id)
  const withdrawn = await cli('request', 'withdraw', '--dir', f.dir, '--id', view.id)
  assert.equal(JSON.parse(withdrawn.out).status, 'withdrawn')
})

test('a refusal exits 1 naming the API code; bad flags exit 2; nothing is logged', { timeout: 30_000 }, async () => {
  const size = f.log.tree.size
  const far = await cli(...createArgs('--center', '40.7128,-74.006', '--radius', '200'))
  assert.equal(far.code, 1)
  assert.match(far.err, /OUTSIDE_JURISDICTION/)
  for (const args of [
    createArgs('--center', 'north', '--radius', '200'),
    createArgs('--cells', 'a', '--center', '1,2', '--radius', '3'),
    createArgs('--center', '37.7,-122.4'),
    ['request', 'create', '--dir', f.dir],
    ['request', 'shred', '--dir', f.dir],
    ['request', 'list']
  ]) {
    const res = await cli(...args)
    assert.equal(res.code, 2, `${args.join(' ')}: ${res.err}`)
  }
  assert.equal(f.log.tree.size, size)
})
