// `porchlight pair [--name NAME]`: pairs a phone with the running node (its store is locked while it runs, so
// through its API with the node's own token) and prints the link, a QR code of it and the certificate's
// fingerprint to compare with the one the phone's browser shows. `porchlight devices list` lists the paired
// devices and `devices revoke ID` revokes one (its next request is refused).
import type { Command } from '@commander-js/extra-typings'
import QRCode from 'qrcode'
import { act } from './command.js'
import { NodeApiClient } from '../api/client.js'
import { isLoopbackHost } from '../api/tls.js'

export function addPairCommand (program: Command): void {
  program.command('pair')
    .summary('pair a phone: a link with its own token, as a QR code')
    .description('Pair a device (a phone, a tablet) with the running node: prints a link that carries a token of the ' +
      'device\'s own (in the fragment, never sent to a server) as text and as a QR code, and the SHA-256 fingerprint ' +
      'of the node\'s certificate to compare with the one the phone\'s browser shows. Revoke it with ' +
      '`porchlight devices revoke ID` (`porchlight devices list` lists them).')
    .option('--name <name>', 'what to call the device in the list', 'phone')
    .option('--dir <dir>', 'the node\'s directory (the node must be running)', '.')
    .option('--json', 'print the paired device (with its token and link) as JSON instead')
    .action(act(async (o) => {
      const api = await NodeApiClient.forDir(o.dir)
      const paired = await api.call('POST /api/devices', { body: { name: o.name } })
      if (o.json === true) {
        console.log(JSON.stringify(paired))
        return 0
      }
      const host = new URL(paired.link).hostname
      console.log(`Open this on the ${paired.device.name} (or scan the code):\n\n  ${paired.link}\n`)
      console.log(await QRCode.toString(paired.link, { type: 'terminal', small: true }))
      if (paired.fingerprint !== undefined) {
        console.log('The browser will say it does not know the certificate: go on only if it shows this SHA-256 fingerprint:\n')
        console.log(`  ${paired.fingerprint}\n`)
      }
      if (isLoopbackHost(host)) {
        console.log(`The node listens on ${host} only, which a phone cannot reach: set api.host in config.json to this ` +
          'machine\'s address on the home network and restart it (docs/node.md, "The UI from a phone").\n')
      }
      console.log(`Paired "${paired.device.name}" (id ${paired.device.id}). Revoke it with: porchlight devices revoke ${paired.device.id} --dir ${o.dir}`)
      return 0
    }))

  const devices = program.command('devices')
    .summary('list or revoke paired devices')
    .description('The devices paired with `porchlight pair`: `devices list`, `devices revoke ID`.')
  devices.command('list')
    .summary('the paired devices, one a line: id, name, when paired, when last used')
    .option('--dir <dir>', 'the node\'s directory (the node must be running)', '.')
    .action(act(async (o) => {
      const api = await NodeApiClient.forDir(o.dir)
      for (const d of await api.call('GET /api/devices')) console.log(`${d.id}  ${d.name}  paired ${d.createdAt}  last used ${d.lastUsedAt ?? 'never'}`)
      return 0
    }))
  devices.command('revoke')
    .summary('revoke a paired device: its next request is refused')
    .argument('<id>', 'the device\'s id (from `porchlight devices`)')
    .option('--dir <dir>', 'the node\'s directory (the node must be running)', '.')
    .action(act(async (id, o) => {
      const api = await NodeApiClient.forDir(o.dir)
      const revoked = await api.call('DELETE /api/devices/:id', { params: { id } })
      console.log(`revoked ${revoked.id} (${revoked.name})`)
      return 0
    }))
}
