import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { Wallet, randomBytes } from 'ethers'
import { devAccounts, toDeployment } from '../../../node/chain/index.js'
import { encodeVerifierKey } from '../../../protocol/tlog/cosignature.js'

const bin = new URL('../../../bin/porchlight.js', import.meta.url).pathname

interface Run { code: number, stdout: string, stderr: string }

async function porchlight (args: string[], cwd: string): Promise<Run> {
  return await new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : (err as { code?: number }).code ?? 1, stdout, stderr })
    })
  })
}

describe('porchlight chain and council, as processes', () => {
  let dir: string
  let chain: ChildProcess
  let deploymentPath: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'porchlight-cli-'))
    deploymentPath = join(dir, 'chain.json')
    chain = spawn(process.execPath, [bin, 'chain', '--port', '0', '--out', deploymentPath], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] })
    const lines = createInterface({ input: chain.stdout! })
    for await (const line of lines) if (line.includes('deployment')) break
  })
  after(async () => {
    if (chain.exitCode === null) { chain.kill('SIGKILL'); await once(chain, 'exit') }
    await rm(dir, { recursive: true, force: true })
  })

  test('`chain` writes a deployment file with the RPC, chain id and the three contracts', async () => {
    const deployment = toDeployment(JSON.parse(await readFile(deploymentPath, 'utf8')))
    assert.equal(deployment.chainId, 31337)
    // The same on every start: account 0 deploys Safe, the two Safes, the timelock, then the contracts.
    assert.equal(deployment.contracts.WitnessRegistry, '0x610178dA211FEF7D417bC0e6FeD39F05609AD788', 'deployed last, at a fixed nonce')
    assert.equal(deployment.council?.noticeSeconds, 0)
    assert.match(deployment.rpc, /^http:\/\/127\.0\.0\.1:\d+$/)
  })

  test('`council` registers, shows, suspends and reinstates an agency; reverts exit 1 with the error name', async () => {
    const agency = Wallet.createRandom().address
    const d = ['--chain', deploymentPath, '--address', agency]
    const validUntil = Math.floor(Date.now() / 1000) + 365 * 86400
    const registered = await porchlight(['council', 'register-agency', ...d, '--name', 'Test PD', '--cells', '872830828ffffff,87283082effffff', '--valid-until', String(validUntil)], dir)
    assert.equal(registered.code, 0, registered.stderr)
    assert.ok(JSON.parse(registered.stdout).gasUsed > 21_000)

    const shown = JSON.parse((await porchlight(['council', 'show-agency', ...d], dir)).stdout)
    assert.deepEqual([shown.name, shown.cells, shown.validUntil, shown.status], ['Test PD', ['872830828ffffff', '87283082effffff'], validUntil, 'active'])

    assert.equal((await porchlight(['council', 'suspend-agency', ...d, '--reason', 'audit'], dir)).code, 0)
    assert.equal(JSON.parse((await porchlight(['council', 'show-agency', ...d], dir)).stdout).status, 'suspended')
    const twice = await porchlight(['council', 'suspend-agency', ...d], dir)
    assert.equal(twice.code, 1)
    assert.match(twice.stderr, /AgencyRegistryInvalidStatus/)
    assert.equal((await porchlight(['council', 'reinstate-agency', ...d], dir)).code, 0)
    assert.equal(JSON.parse((await porchlight(['council', 'show-agency', ...d], dir)).stdout).status, 'active')
  })

  test('`council` manages the witness set and its quorum; `witnesses` prints it as nodes trust it', async () => {
    const c = ['--chain', deploymentPath]
    const vkey = (name: string): string => encodeVerifierKey(name, randomBytes(32))
    const [a, b] = [vkey('witness.a'), vkey('witness.b')]
    const peer = '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN'
    const added = await porchlight(['council', 'add-witness', ...c, '--name', 'witness.a', '--vkey', a, '--url', 'http://a.example'], dir)
    assert.equal(added.code, 0, added.stderr)
    assert.equal(JSON.parse(added.stdout).action, 'add-witness')
    assert.equal((await porchlight(['council', 'add-witness', ...c, '--name', 'witness.b', '--vkey', b, '--multiaddr', peer], dir)).code, 0)
    assert.equal((await porchlight(['council', 'set-witness-quorum', ...c, '--quorum', '2'], dir)).code, 0)
    assert.equal((await porchlight(['council', 'update-witness', ...c, '--name', 'witness.b', '--url', 'http://b.example'], dir)).code, 0)
    const shown = JSON.parse((await porchlight(['council', 'witnesses', ...c], dir)).stdout)
    assert.deepEqual(shown, {
      action: 'witnesses',
      quorum: 2,
      witnesses: [{ name: 'witness.a', vkey: a, url: 'http://a.example', multiaddr: '' }, { name: 'witness.b', vkey: b, url: 'http://b.example', multiaddr: peer }],
      ignored: []
    })
    const below = await porchlight(['council', 'remove-witness', ...c, '--name', 'witness.a'], dir)
    assert.equal(below.code, 1)
    assert.match(below.stderr, /WitnessRegistryBelowQuorum/)
    assert.equal((await porchlight(['council', 'set-witness-quorum', ...c, '--quorum', '1'], dir)).code, 0)
    assert.equal((await porchlight(['council', 'remove-witness', ...c, '--name', 'witness.a', '--reason', 'retired'], dir)).code, 0)
    assert.deepEqual(JSON.parse((await porchlight(['council', 'witnesses', ...c], dir)).stdout).witnesses.map((w: { name: string }) => w.name), ['witness.b'])
    const mismatched = await porchlight(['council', 'add-witness', ...c, '--name', 'witness.c', '--vkey', a, '--url', 'http://c.example'], dir)
    assert.equal(mismatched.code, 1)
    assert.match(mismatched.stderr, /INVALID_WITNESS_RECORD/)
    assert.equal((await porchlight(['council', 'update-witness', ...c, '--name', 'witness.b'], dir)).code, 2, 'nothing to update')
  })

  test('on a chain with a council, one key acts only by proposing: one-step verbs refuse it, a non-member cannot propose', async () => {
    const keyFile = join(dir, 'key')
    await writeFile(keyFile, devAccounts(4)[3]!.privateKey + '\n')
    const agency = Wallet.createRandom().address
    const oneStep = await porchlight(['council', 'revoke-agency', '--chain', deploymentPath, '--key-file', keyFile, '--address', agency], dir)
    assert.equal(oneStep.code, 2, 'a usage error: the verb names `council propose`')
    const vkey = encodeVerifierKey('witness.z', randomBytes(32))
    const proposed = await porchlight(['council', 'propose', 'add-witness', '--chain', deploymentPath, '--key-file', keyFile, '--name', 'witness.z', '--vkey', vkey, '--url', 'http://z.example', '--out', join(dir, 'p.json')], dir)
    assert.equal(proposed.code, 1)
    assert.match(proposed.stderr, /COUNCIL_NOT_OWNER/)
    assert.equal(existsSync(join(dir, 'p.json')), false)
  })

  test('bad flags exit 2 with the usage', async () => {
    const missing = await porchlight(['council', 'register-agency', '--chain', deploymentPath, '--address', Wallet.createRandom().address], dir)
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /--name/)
    assert.equal((await porchlight(['council', 'no-such-action', '--address', Wallet.createRandom().address], dir)).code, 2)
    assert.equal((await porchlight(['chain', '--port', 'x'], dir)).code, 2)
  })

  test('`chain` stops cleanly on SIGTERM and removes its deployment file', async () => {
    chain.kill('SIGTERM')
    const [code] = await once(chain, 'exit') as [number | null]
    assert.equal(code, 0)
    assert.equal(existsSync(deploymentPath), false)
  })
})
