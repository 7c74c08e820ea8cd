import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cellToLatLng, cellToParent } from 'h3-js'
import { createNode } from '../../../node/index.js'
import { initNode } from '../../../node/config/index.js'
import { announcementMessageId } from '../../../node/network/index.js'
import { residentRole } from '../../../node/index.js'
import { stubChain } from '../../helpers/stub-chain.js'
import { TestAgency } from '../../helpers/announcements.js'
import { AGENCY_KEY, DOMAIN, sampleRequest } from '../../helpers/messages.js'

const bin = fileURLToPath(new URL('../../../bin/porchlight.js', import.meta.url))
const run = promisify(execFile)

async function porchlight (args: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args])
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number, stdout: string, stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

test('porchlight requests --dir lists the running resident\'s inbox', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-requests-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const now = Math.floor(Date.now() / 1000)
  const agency = new TestAgency(AGENCY_KEY, DOMAIN)
  const cells = sampleRequest().cells
  const [lat, lng] = cellToLatLng(cells[0]!)
  await initNode(dir, { role: 'resident', cameras: [{ name: 'porch', lat, lng }] })

  const stopped = await porchlight(['requests', '--dir', dir])
  assert.equal(stopped.code, 1)
  assert.match(stopped.stderr, /NODE_NOT_RUNNING/)
  assert.equal((await porchlight(['requests'])).code, 2)

  // The registry is a stub here: what this test checks is the command, not the validator.
  const jurisdiction = [...new Set(cells.map((c) => cellToParent(c, 5)))]
  const node = await createNode({
    dir,
    services: residentRole({ chain: stubChain(async (a) => ({ address: a, name: 'Seattle PD', cells: jurisdiction, validUntil: now + 86400, status: 'active' })) }),
    libp2p: { messageId: announcementMessageId },
    staticDir: false
  })
  await node.start()
  t.after(async () => { await node.stop() })
  const empty = await porchlight(['requests', '--dir', dir])
  assert.equal(empty.code, 0)
  assert.match(empty.stdout, /inbox is empty/)

  const a = agency.request({ issuedAt: now, windowStart: now - 7200, windowEnd: now - 3600, expiresAt: now + 3600 })
  const added = new Promise((resolve) => { node.services.inbox.once('inbox:added', resolve) })
  assert.equal((await node.services.network.ingest(a.bytes, { cells: node.services.network.cells() })).result, 'accept')
  await added
  const listed = await porchlight(['requests', '--dir', dir])
  assert.equal(listed.code, 0)
  assert.deepEqual(listed.stdout.trim().split('\t').slice(0, 4), [a.id, 'new', 'burglary', 'Seattle PD'])
  const json = JSON.parse((await porchlight(['requests', '--dir', dir, '--json'])).stdout) as { items: Array<{ id: string }> }
  assert.deepEqual(json.items.map((i) => i.id), [a.id])
})
