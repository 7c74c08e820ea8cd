// Issue 15 item 6: an announcement may name any agency address, so the registry cache must stay at its bound
// however many a peer makes up. The chain here is a minimal JSON-RPC endpoint on 127.0.0.1 that answers every
// `agencyInfo` with "not registered" (what the real registry answers for a made-up address), so 20,000
// reads take seconds rather than the embedded chain's minutes; the client, its provider and its HTTP are real.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getAddress } from 'ethers'
import { ChainClient, agencyRegistryInterface } from '../../../node/chain/index.js'

const notRegistered = agencyRegistryInterface.encodeFunctionResult('agencyInfo', [['', [], 0, 0]])

interface RpcCall { id: number, method: string }

test('20,000 distinct agency addresses leave the registry cache at its bound, least recently used out', async (t) => {
  let calls = 0
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => { body += c.toString() })
    req.on('end', () => {
      const answer = (c: RpcCall): unknown => {
        if (c.method === 'eth_call') calls++
        return { jsonrpc: '2.0', id: c.id, result: c.method === 'eth_call' ? notRegistered : c.method === 'eth_blockNumber' ? '0x1' : '0x7a69' }
      }
      const parsed = JSON.parse(body) as RpcCall | RpcCall[]
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(Array.isArray(parsed) ? parsed.map(answer) : answer(parsed)))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => { server.closeAllConnections(); server.close() })
  const { port } = server.address() as AddressInfo
  const contract = getAddress('0x' + 'c0'.repeat(20))
  const client = await ChainClient.connect({
    deployment: { rpc: `http://127.0.0.1:${port}`, chainId: 31337, contracts: { AgencyRegistry: contract, AuditAnchor: contract, WitnessRegistry: contract } },
    pollingIntervalMs: 0
  })
  t.after(async () => { await client.close() })

  const addresses = Array.from({ length: 20_000 }, (_, i) => getAddress('0x' + (i + 1).toString(16).padStart(40, '0')))
  for (let i = 0; i < addresses.length; i += 200) {
    const infos = await Promise.all(addresses.slice(i, i + 200).map(async (a) => await client.agencyInfo(a)))
    assert.ok(infos.every((x) => x.status === 'none'))
  }
  assert.equal(calls, 20_000)
  assert.equal(client.registryCacheEntries, 1024)

  // The newest are held (no call), the oldest were dropped (a call again).
  await client.agencyInfo(addresses.at(-1)!)
  assert.equal(calls, 20_000)
  await client.agencyInfo(addresses[0]!)
  assert.equal(calls, 20_001)
  assert.equal(client.registryCacheEntries, 1024)
})
