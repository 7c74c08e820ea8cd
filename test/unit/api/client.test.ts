// NodeApiClient against a bare HTTP server that answers what a node (or something else on its port) might.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { NodeApiClient } from '../../../node/api/client.js'

interface Seen { method: string, url: string, headers: IncomingMessage['headers'], body: string }

async function serve (t: { after: (fn: () => Promise<void>) => void }, answer: (seen: Seen, res: ServerResponse) => void): Promise<{ url: string, seen: Seen[] }> {
  const seen: Seen[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
      const s = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() }
      seen.push(s)
      answer(s, res)
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(async () => { server.closeAllConnections(); server.close(); await once(server, 'close') })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

test('a call sends the token, fills the path, sends JSON and returns the answer', async (t) => {
  const { url, seen } = await serve(t, (_, res) => { json(res, 200, { logIndex: 7 }) })
  const api = new NodeApiClient({ url, token: 'tok' })
  assert.deepEqual(await api.call('POST /api/footage/:cid/share', { params: { cid: 'b a/c' }, body: { recipient: 'DA', legalBasis: 'subpoena' } }), { logIndex: 7 })
  assert.equal(seen[0]!.url, '/api/footage/b%20a%2Fc/share')
  assert.equal(seen[0]!.headers.authorization, 'Bearer tok')
  assert.equal(seen[0]!.headers['content-type'], 'application/json')
  assert.deepEqual(JSON.parse(seen[0]!.body), { recipient: 'DA', legalBasis: 'subpoena' })
  await api.call('GET /api/requests')
  assert.equal(seen[1]!.headers['content-type'], undefined, 'no body, no content type')
})

test('a refusal is a NodeApiError with the node\'s code and the status', async (t) => {
  const { url } = await serve(t, (_, res) => { json(res, 404, { error: { code: 'FOOTAGE_NOT_FOUND', message: 'no such clip' } }) })
  await assert.rejects(new NodeApiClient({ url, token: 't' }).call('DELETE /api/footage/:cid', { params: { cid: 'x' } }),
    { name: 'NodeApiError', code: 'FOOTAGE_NOT_FOUND', httpStatus: 404 })
})

test('an answer that is not the API\'s JSON is an UnexpectedAnswerError', async (t) => {
  const { url } = await serve(t, (s, res) => {
    if (s.url === '/api/requests') res.writeHead(200, { 'content-type': 'text/html' }).end('<html>')
    else res.writeHead(502).end('bad gateway')
  })
  const api = new NodeApiClient({ url, token: 't' })
  await assert.rejects(api.call('GET /api/requests'), { name: 'UnexpectedAnswerError', code: 'UNEXPECTED_ANSWER' })
  await assert.rejects(api.call('GET /api/inbox'), { name: 'UnexpectedAnswerError', code: 'UNEXPECTED_ANSWER' })
})

test('a node that does not answer is a NodeUnreachableError', async () => {
  // A port that was just listening and is closed now: the connection is refused.
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const closed = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  server.close()
  await once(server, 'close')
  await assert.rejects(new NodeApiClient({ url: closed, token: 't' }).call('GET /api/node'), { name: 'NodeUnreachableError', code: 'NODE_UNREACHABLE' })
})

test('a streamed body goes out with its content type and length', async (t) => {
  const { url, seen } = await serve(t, (_, res) => { json(res, 201, { cid: 'c' }) })
  const res = await new NodeApiClient({ url, token: 't' }).fetch('POST /api/clips', {
    query: { camera: 'porch', start: 10, duration: 5 },
    body: { data: Readable.from([Buffer.from('abc'), Buffer.from('def')]), contentType: 'video/mp4', length: 6 }
  })
  assert.equal(res.status, 201)
  assert.deepEqual([seen[0]!.url, seen[0]!.body, seen[0]!.headers['content-type'], seen[0]!.headers['content-length']], ['/api/clips?camera=porch&start=10&duration=5', 'abcdef', 'video/mp4', '6'])
})

test('has() reads the routes from the node\'s OpenAPI document', async (t) => {
  const { url } = await serve(t, (_, res) => { json(res, 200, { paths: { '/api/inbox/{id}': { get: {} } } }) })
  const api = new NodeApiClient({ url, token: 't' })
  assert.equal(await api.has('GET', '/api/inbox/{id}'), true)
  assert.equal(await api.has('POST', '/api/inbox/{id}'), false)
})

test('forDir: no node.json, or one a dead process left, is NodeNotRunningError', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-client-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  await assert.rejects(NodeApiClient.forDir(dir), { name: 'NodeNotRunningError', code: 'NODE_NOT_RUNNING' })
  // A pid above the kernel's pid_max (at most 2^22) names no process.
  await writeFile(join(dir, 'node.json'), JSON.stringify({ pid: 2 ** 22 + 1, api: { host: '127.0.0.1', port: 1, url: 'http://127.0.0.1:1' } }))
  await assert.rejects(NodeApiClient.forDir(dir), { name: 'NodeNotRunningError' })
})
