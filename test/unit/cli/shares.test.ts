// `porchlight shares …` and `porchlight ui-link` against a stand-in node: an HTTP server behind a node.json and
// api-token, as a running node leaves them. Checked: the calls each verb makes, what `list` prints (state and
// what is possible), and that a refusal exits 1 naming the node's code and what is possible instead.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cliInProcess } from '../../helpers/cli.js'
import { shareLine } from '../../../node/cli/shares.js'
import { ShareStateError } from '../../../node/footage/errors.js'
import { signedConsent, signedRequest } from '../../helpers/messages.js'
import type { ShareView } from '../../../protocol/index.js'

const base = (over: Partial<ShareView>): ShareView => ({
  id: 'share-1', request: signedRequest(), consent: signedConsent(), state: 'delivered', createdAt: 1, updatedAt: 2, progress: { sent: 5, total: 5 }, actions: ['delete-request'], ...over
})

test('shares list prints each share\'s state and what is possible; the verbs post to the share; a refusal exits 1 with what is possible', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-shares-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const calls: Array<{ method: string, url: string, auth: string | undefined }> = []
  const refusal = new ShareStateError({ id: 'share-1', state: 'delivered', action: 'withdraw', possible: ['delete-request'] })
  const server = createServer((req, res) => {
    req.resume().on('end', () => {
      calls.push({ method: req.method!, url: req.url!, auth: req.headers.authorization })
      const json = (status: number, body: unknown): void => { res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)) }
      if (req.url === '/api/shares') json(200, { shares: [base({}), base({ id: 'share-2', state: 'failed', actions: ['retry', 'withdraw'] }), base({ id: 'share-3', deletion: { entries: [4], requestedAt: 3, deletedAt: 1_800_000_000 }, actions: [] })] })
      else if (req.url!.endsWith('/withdraw')) json(409, { error: { code: refusal.code, message: refusal.message } })
      else json(200, base({}))
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(async () => { server.closeAllConnections(); server.close(); await once(server, 'close') })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  assert.equal((await cliInProcess(['ui-link', '--dir', dir])).code, 1, 'no node.json: NODE_NOT_RUNNING')
  await writeFile(join(dir, 'node.json'), JSON.stringify({ pid: process.pid, api: { host: '127.0.0.1', port: 0, url } }))
  await writeFile(join(dir, 'api-token'), 'tok/1\n')

  const listed = await cliInProcess(['shares', 'list', '--dir', dir])
  assert.equal(listed.code, 0, listed.err)
  const lines = listed.out.trim().split('\n')
  assert.equal(lines.length, 3)
  assert.match(lines[0]!, /^share-1 {2}delivered .*possible: delete-request$/)
  assert.match(lines[1]!, /^share-2 {2}failed .*possible: retry, withdraw$/)
  assert.match(lines[2]!, /^share-3 {2}deleted by the agency at 2027-01-15T08:00:00.000Z .*no action possible$/)

  for (const verb of ['retry', 'delete-request']) {
    const done = await cliInProcess(['shares', verb, 'share-1', '--dir', dir])
    assert.equal(done.code, 0, done.err)
    assert.deepEqual(calls.at(-1), { method: 'POST', url: `/api/shares/share-1/${verb}`, auth: 'Bearer tok/1' })
  }
  const refused = await cliInProcess(['shares', 'withdraw', 'share-1', '--dir', dir])
  assert.equal(refused.code, 1)
  assert.match(refused.err, /\(SHARE_STATE\).*possible now: delete-request/)

  const link = await cliInProcess(['ui-link', '--dir', dir])
  assert.equal(link.code, 0, link.err)
  assert.equal(link.out.trim(), `${url}/#token=tok%2F1`)
})

test('a share line says deletion requested, and sending with its bytes', () => {
  assert.match(shareLine(base({ deletion: { entries: [], requestedAt: 3 } })), /^share-1 {2}deletion requested /)
  assert.match(shareLine(base({ state: 'sending', progress: { sent: 3, total: 9 }, actions: ['withdraw'] })), /sending 3\/9 bytes .*possible: withdraw$/)
})
