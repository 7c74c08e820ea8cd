// The UI as a paired phone sees it: over HTTPS with the node's own certificate, opened with a device token.
// Chromium trusts exactly that certificate's key (`--ignore-certificate-errors-spki-list`, what the phone's
// user does by comparing the fingerprint and going on), and a resident node serves the built UI with it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, X509Certificate } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createNode, residentRole, type PorchlightNode, type ResidentServices } from '../../node/index.js'
import { parseConfig } from '../../node/config/index.js'
import { makeSelfSigned } from '../../node/api/tls.js'
import { announcementMessageId } from '../../node/network/index.js'
import { stubChain } from '../helpers/stub-chain.js'
import { launchBrowser, screenshot, type Browser } from './helpers/browser.js'
import { buildUi } from './helpers/build-ui.js'

let dir: string | undefined
let uiDir: string | undefined
let node: PorchlightNode<ResidentServices> | undefined
let browser: Browser | undefined

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porchlight-https-ui-'))
  uiDir = await buildUi()
  const made = await makeSelfSigned('127.0.0.1')
  await writeFile(join(dir, 'api.pem'), made.cert)
  await writeFile(join(dir, 'api.key'), made.key)
  node = await createNode({
    config: parseConfig({
      version: 1, role: 'resident', name: 'birch lane', cameras: [{ name: 'porch', lat: 47.61, lng: -122.33 }],
      api: { host: '127.0.0.1', port: 0, tls: { cert: join(dir, 'api.pem'), key: join(dir, 'api.key') } }
    }),
    services: residentRole({ chain: stubChain(async (address) => ({ address, name: 'Seattle PD', cells: [], validUntil: 0, status: 'active' })) }),
    libp2p: { messageId: announcementMessageId },
    staticDir: uiDir
  })
  await node.start()
  const spki = createHash('sha256').update(new X509Certificate(made.cert).publicKey.export({ type: 'spki', format: 'der' })).digest('base64')
  browser = await launchBrowser({ args: [`--ignore-certificate-errors-spki-list=${spki}`] })
})

after(async () => {
  await browser?.close()
  await node?.stop()
  for (const d of [dir, uiDir]) if (d !== undefined) await rm(d, { recursive: true, force: true })
})

test('a paired phone opens the UI over HTTPS with its device token: the inbox, and a Devices tab that manages nothing; plain HTTP on the port is refused', async () => {
  const url = node!.info().api!.url
  assert.match(url, /^https:/)
  const { token } = await node!.devices.pair('phone')
  const page = await browser!.page()
  await page.goto(`${url}/#token=${token}`)
  await page.getByRole('tab', { name: 'Inbox', selected: true }).waitFor()
  assert.equal(new URL(page.url()).hash, '', 'the token left the address bar')
  await page.getByRole('tab', { name: 'Devices' }).click()
  await page.getByText('This device was paired with the node.').waitFor()
  await screenshot(page, 'phone-https-devices', { viewport: true })
  assert.notEqual(node!.devices.list()[0]?.lastUsedAt, undefined, 'its requests were the device\'s')

  const plain = await browser!.page()
  const answer = await plain.goto(url.replace('https:', 'http:') + '/')
  assert.equal(answer?.status(), 400)
  assert.match(await plain.content(), /HTTPS_REQUIRED/)
})
