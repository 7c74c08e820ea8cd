// The node's UI from a phone on the home network (issue 18, part 3), on a real network: two Linux network
// namespaces joined by a veth pair, the home box at 192.0.2.2 and the phone at 192.0.2.3 (RFC 5737
// documentation addresses; test/support/netns.ts makes and removes them). A real `porchlight` resident with
// `api.host` 192.0.2.2 serves HTTPS only with the certificate `init` made; `porchlight pair` prints the link,
// the QR code and the fingerprint; the phone (test/support/phone-client.mjs) checks the fingerprint, trusts
// that certificate and reads the inbox with the link's token. Without the token, over plain HTTP, or after
// `devices revoke`, it is refused. Needs root (as in CI); where the kernel refuses namespaces the test is
// skipped with the reason and a warning, never passed silently.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readNodeInfo } from '../../../node/node-info.js'
import { namespaceExists, namespaces, netnsSkipReason, stopChild, type Namespace, type NamespaceSet } from '../../support/netns.js'
import { bin, exitOf, porchlight } from '../../helpers/cli.js'

const phoneClient = fileURLToPath(new URL('../../support/phone-client.mjs', import.meta.url))
const homeAddress = '192.0.2.2'
const phoneAddress = '192.0.2.3'

let unavailable: string | undefined
let set: NamespaceSet | undefined
let home: Namespace | undefined
let phone: Namespace | undefined
let node: ChildProcess | undefined
let dir: string | undefined
/** What `init` printed as the certificate's fingerprint. */
let initFingerprint: string | undefined

/** Resolves once the child says it is ready over IPC; rejects with its log's end if it exits first. */
async function ready (child: ChildProcess, log: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null): void => {
      readFile(log, 'utf8').then((text) => { reject(new Error(`porchlight start exited (${String(code)}):\n${text.split('\n').slice(-20).join('\n')}`)) }, reject)
    }
    child.once('exit', onExit)
    child.on('message', (message) => {
      if ((message as { type?: string } | null)?.type === 'porchlight:ready') { child.off('exit', onExit); resolve() }
    })
  })
}

before(async () => {
  unavailable = await netnsSkipReason('phone.test.ts')
  if (unavailable !== undefined) return
  set = await namespaces()
  home = await set.create()
  phone = await set.create()
  await set.link(home, 'eth0', phone, 'eth0')
  await home.addAddress('eth0', `${homeAddress}/24`)
  await phone.addAddress('eth0', `${phoneAddress}/24`)
  dir = await mkdtemp(join(tmpdir(), 'porchlight-phone-'))
  const init = await exitOf(porchlight({ after: () => {} }, ['init', '--role', 'resident', '--dir', join(dir, 'node'), '--api-host', homeAddress, '--camera', 'porch:40.7128,-74.0060']))
  assert.equal(init.code, 0, init.stderr)
  initFingerprint = /SHA-256: ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})/.exec(init.stdout)?.[1]
  const log = join(dir, 'node.log')
  node = home.spawn(process.execPath, [bin, 'start', '--dir', join(dir, 'node')], { log, env: { ...process.env, PORCHLIGHT_FROM_SOURCES: '1' } })
  await ready(node, log)
}, { timeout: 120_000 })

after(async () => {
  const names = [home?.name, phone?.name].filter((n): n is string => n !== undefined)
  if (node !== undefined) await stopChild(node)
  await set?.destroy()
  if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  for (const name of names) assert.equal(await namespaceExists(name), false, `namespace ${name} removed`)
})

/** `porchlight ARGS --dir <node>` run inside the home box's namespace (the node's API is on its address). */
async function cli (...args: string[]): Promise<string> {
  return await home!.exec(process.execPath, bin, ...args, '--dir', join(dir!, 'node'))
}

interface PhoneAnswer { fingerprint: string, results: Array<{ status: number, code?: string, items?: number, body?: string }> }

/** The phone's requests, from its own namespace. */
async function fromPhone (base: string, fingerprint: string, steps: Array<{ method: string, path: string, token?: string, plain?: boolean, body?: boolean }>): Promise<PhoneAnswer> {
  return JSON.parse(await phone!.exec(process.execPath, phoneClient, base, fingerprint, JSON.stringify(steps))) as PhoneAnswer
}

test('a phone in another namespace pairs with the printed link, checks the fingerprint, and reads the inbox; without the token, over plain HTTP, or revoked, it is refused', { timeout: 120_000 }, async (t) => {
  if (unavailable !== undefined) { t.skip(unavailable); return }
  const info = await readNodeInfo(join(dir!, 'node'))
  assert.equal(info?.api?.url, `https://${homeAddress}:${info?.api?.port}`)
  assert.equal(info?.api?.fingerprint, initFingerprint, 'the certificate init made is the one served')

  const printed = await cli('pair', '--name', 'kitchen phone')
  const link = /https:\/\/\S+#token=\S+/.exec(printed)?.[0]
  const fingerprint = /((?:[0-9A-F]{2}:){31}[0-9A-F]{2})/.exec(printed)?.[1]
  assert.ok(link !== undefined, printed)
  assert.equal(fingerprint, initFingerprint)
  assert.match(printed, /[▀▄█]/, 'a QR code in the terminal')
  const url = new URL(link)
  assert.equal(url.origin, `https://${homeAddress}:${info.api.port}`)
  const token = new URLSearchParams(url.hash.slice(1)).get('token')!
  const base = url.origin

  // A fingerprint other than the printed one: the phone stops before sending anything.
  const wrong = await phone!.exec(process.execPath, phoneClient, base, 'AA:'.repeat(31) + 'AA', '[]').then(() => 'went on', (err: Error) => err.message)
  assert.match(wrong, /FINGERPRINT_MISMATCH/)

  const answer = await fromPhone(base, fingerprint!, [
    { method: 'GET', path: '/api/inbox', token },
    { method: 'GET', path: '/api/cameras', token },
    { method: 'GET', path: '/api/inbox' },
    { method: 'GET', path: '/api/inbox', token: `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` },
    { method: 'GET', path: '/api/inbox', token, plain: true },
    // A device manages no devices, not even its own pairing.
    { method: 'GET', path: '/api/devices', token }
  ])
  assert.deepEqual(answer.results, [
    { status: 200, items: 0 },
    // The resident's own camera: the private part of the API, to a paired phone.
    { status: 200, items: 1 },
    { status: 401, code: 'UNAUTHORIZED' },
    { status: 401, code: 'UNAUTHORIZED' },
    { status: 400, code: 'HTTPS_REQUIRED' },
    { status: 403, code: 'NODE_TOKEN_REQUIRED' }
  ])

  const listed = await cli('devices', 'list')
  const id = /^([0-9a-f]{16}) {2}kitchen phone/m.exec(listed)?.[1]
  assert.ok(id !== undefined, listed)
  assert.match(listed, /last used \d{4}-/, 'its use was recorded')
  await cli('devices', 'revoke', id)
  const revoked = await fromPhone(base, fingerprint!, [{ method: 'GET', path: '/api/inbox', token }])
  assert.deepEqual(revoked.results, [{ status: 401, code: 'UNAUTHORIZED' }])

  // Every refusal counted (the node's own token reads its figures).
  const own = (await readFile(join(dir!, 'node', 'api-token'), 'utf8')).trim()
  const [figures] = (await fromPhone(base, fingerprint!, [{ method: 'GET', path: '/metrics', token: own, body: true }])).results
  const count = (code: string): number => Number(new RegExp(`porchlight_api_requests_refused_total\\{code="${code}"\\} (\\d+)`).exec(figures?.body ?? '')?.[1] ?? 0)
  assert.equal(count('HTTPS_REQUIRED'), 1)
  assert.equal(count('NODE_TOKEN_REQUIRED'), 1)
  assert.equal(count('UNAUTHORIZED'), 3)

  // The node's log names the device, never its token.
  const log = await readFile(join(dir!, 'node.log'), 'utf8')
  assert.match(log, /devices: paired/)
  assert.ok(!log.includes(token), 'no device token in the log')
})
