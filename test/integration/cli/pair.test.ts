// `porchlight pair` and `porchlight devices` against a running node (in this process), on loopback: the link
// with the device's token, its QR code, the warning that a phone cannot reach 127.0.0.1, listing and
// revoking. The HTTPS side, from another network namespace, is test/integration/network/phone.test.ts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initNode } from '../../../node/config/index.js'
import { createNode } from '../../../node/node.js'
import type { PairedDevice } from '../../../protocol/index.js'
import { cliInProcess } from '../../helpers/cli.js'

test('porchlight pair prints a link with a device token and a QR code; devices list and revoke manage it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-pair-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  await initNode(dir, { role: 'resident' })
  const node = await createNode({ dir, staticDir: false })
  await node.start()
  t.after(async () => { await node.stop() })

  const printed = await cliInProcess(['pair', '--name', 'tablet', '--dir', dir])
  assert.equal(printed.code, 0, printed.err)
  const link = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]{43})/.exec(printed.out)
  assert.ok(link !== null, printed.out)
  assert.equal(Number(link[1]), node.info().api?.port)
  assert.ok(node.devices.deviceFor(link[2]!) !== undefined, 'the printed token is a paired device\'s')
  assert.match(printed.out, /[▀▄█]/, 'a QR code')
  assert.match(printed.out, /which a phone cannot reach/)
  assert.doesNotMatch(printed.out, /fingerprint/, 'no certificate on plain HTTP')

  const json = await cliInProcess(['pair', '--json', '--name', 'phone', '--dir', dir])
  const paired = JSON.parse(json.out) as PairedDevice
  assert.equal(paired.device.name, 'phone')

  const listed = await cliInProcess(['devices', 'list', '--dir', dir])
  assert.deepEqual(listed.out.split('\n').map((l) => l.split('  ')[1]), ['tablet', 'phone'])
  const revoked = await cliInProcess(['devices', 'revoke', paired.device.id, '--dir', dir])
  assert.equal(revoked.code, 0, revoked.err)
  assert.equal(node.devices.deviceFor(paired.token), undefined)
  const again = await cliInProcess(['devices', 'revoke', paired.device.id, '--dir', dir])
  assert.equal(again.code, 1)
  assert.match(again.err, /UNKNOWN_DEVICE/)
})
