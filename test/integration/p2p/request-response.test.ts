import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  createPorchlightLibp2p, sendRequest, handleRequests, framed, type PorchlightLibp2p
} from '../../../node/p2p/index.js'
import { PorchlightError } from '../../../protocol/errors.js'
import type { Stream } from '@libp2p/interface'

const protocol = '/porchlight/test-echo/1.0.0'

class NoSuchThingError extends PorchlightError {
  constructor () { super('NO_SUCH_THING', 'no such thing'); this.name = 'NoSuchThingError' }
}

async function pair (t: { after: (fn: () => Promise<void>) => void }): Promise<[PorchlightLibp2p, PorchlightLibp2p]> {
  const server = await createPorchlightLibp2p()
  const client = await createPorchlightLibp2p()
  t.after(async () => { await Promise.all([server.stop(), client.stop()]) })
  return [server, client]
}

/** Resolves with what the server's handler saw happen to the stream (the error name it ended with). */
function rawHandler (server: PorchlightLibp2p, opts: { maxFrameBytes?: number, timeoutMs?: number }): Promise<string> {
  return new Promise((resolve) => {
    void server.handle(protocol, async (stream: Stream) => {
      const frames = framed(stream, { protocol, ...opts })
      try {
        await frames.read()
        resolve('none')
      } catch (err) {
        resolve((err as Error).name)
      }
    })
  })
}

test('a request and its response round-trip as dag-cbor, bytes included', async (t) => {
  const [server, client] = await pair(t)
  await handleRequests<{ cells: string[], blob: Uint8Array }, { count: number, blob: Uint8Array, from: string }>(server, protocol, async (req, ctx) => ({
    count: req.cells.length, blob: req.blob, from: ctx.peer.toString()
  }))
  const res = await sendRequest<unknown, { count: number, blob: Uint8Array, from: string }>(
    client, server.getMultiaddrs(), protocol, { cells: ['a', 'b'], blob: new Uint8Array([9, 8, 7]) })
  assert.equal(res.count, 2)
  assert.deepEqual(res.blob, new Uint8Array([9, 8, 7]))
  assert.equal(res.from, client.peerId.toString())
})

test("a handler's typed error reaches the caller as RemoteError with its code; other errors stay opaque", async (t) => {
  const [server, client] = await pair(t)
  await handleRequests(server, protocol, async (req: { kind: string }) => {
    if (req.kind === 'typed') throw new NoSuchThingError()
    throw new Error('database password is hunter2')
  })
  await assert.rejects(sendRequest(client, server.getMultiaddrs(), protocol, { kind: 'typed' }),
    (err: PorchlightError) => err.name === 'RemoteError' && err.details.code === 'NO_SUCH_THING')
  await assert.rejects(sendRequest(client, server.getMultiaddrs(), protocol, { kind: 'other' }),
    (err: PorchlightError) => err.details.code === 'INTERNAL' && !err.message.includes('hunter2'))
})

test('an oversize request is refused before its body is read', async (t) => {
  const [server, client] = await pair(t)
  const seen = rawHandler(server, { maxFrameBytes: 1024 })
  const stream = await client.dialProtocol(server.getMultiaddrs(), protocol)
  const frames = framed(stream, { maxFrameBytes: 1 << 20 })
  await frames.writeBytes(new Uint8Array(4096)).catch(() => {})
  assert.equal(await seen, 'FrameTooLargeError')
  // Our own side refuses to send past its limit, too.
  await assert.rejects(framed(stream, { maxFrameBytes: 10 }).writeBytes(new Uint8Array(11)), { name: 'FrameTooLargeError' })
})

test('a response bigger than the caller allows fails with FrameTooLargeError', async (t) => {
  const [server, client] = await pair(t)
  await handleRequests(server, protocol, async () => new Uint8Array(5000), { maxFrameBytes: 10_000 })
  await assert.rejects(sendRequest(client, server.getMultiaddrs(), protocol, {}, { maxFrameBytes: 1000 }), { name: 'FrameTooLargeError' })
})

test('garbage is refused: bytes that are not dag-cbor, and a length prefix that never ends', async (t) => {
  const [server, client] = await pair(t)
  const notCbor = rawHandler(server, {})
  let stream = await client.dialProtocol(server.getMultiaddrs(), protocol)
  await framed(stream).writeBytes(new Uint8Array([0xff, 0xfe, 0xfd]))
  assert.equal(await notCbor, 'MalformedFrameError')
  await server.unhandle(protocol)

  const endlessPrefix = rawHandler(server, { maxFrameBytes: 1024 })
  stream = await client.dialProtocol(server.getMultiaddrs(), protocol)
  stream.send(new Uint8Array(16).fill(0xff))
  assert.equal(await endlessPrefix, 'MalformedFrameError')
})

test('a peer that hangs up mid-frame, or says nothing, is reported as such', async (t) => {
  const [server, client] = await pair(t)
  const hungUp = rawHandler(server, {})
  let stream = await client.dialProtocol(server.getMultiaddrs(), protocol)
  stream.send(new Uint8Array([100, 1, 2, 3])) // announces 100 bytes, sends 3
  await stream.close()
  assert.equal(await hungUp, 'PeerHungUpError')
  await server.unhandle(protocol)

  const silent = rawHandler(server, { timeoutMs: 200 })
  stream = await client.dialProtocol(server.getMultiaddrs(), protocol)
  assert.equal(await silent, 'StreamTimeoutError')
  stream.abort(new Error('done'))
})

test('a caller whose handler never answers gets StreamTimeoutError', async (t) => {
  const [server, client] = await pair(t)
  const never = Promise.withResolvers<void>()
  t.after(() => { never.resolve() })
  await handleRequests(server, protocol, async () => { await never.promise })
  await assert.rejects(sendRequest(client, server.getMultiaddrs(), protocol, {}, { timeoutMs: 300 }), { name: 'StreamTimeoutError' })
})
