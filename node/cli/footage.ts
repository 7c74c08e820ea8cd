// `porchlight footage …`: an agency's delivered footage, through its running node's API — which logs every
// opening (`access`, with the purpose given), share and deletion before it acts (see node/footage).
import { open, rm } from 'node:fs/promises'
import { Readable } from 'node:stream'
import type { ReadableStream } from 'node:stream/web'
import { pipeline } from 'node:stream/promises'
import { Option, type Command } from '@commander-js/extra-typings'
import { act } from './command.js'
import { NodeApiClient } from '../api/client.js'

/**
 * Streams the decrypted clip into a new file. The file is made first (never over an existing one), so an
 * access is logged only when there is somewhere to put the clip; a refusal removes the empty file.
 */
async function openClip (dir: string, cid: string, purpose: string, out: string): Promise<unknown> {
  const handle = await open(out, 'wx', 0o600)
  let res: Response
  try {
    res = await (await NodeApiClient.forDir(dir)).fetch('GET /api/footage/:cid', { params: { cid }, query: { purpose } })
  } catch (err) {
    await handle.close()
    await rm(out, { force: true })
    throw err
  }
  const file = handle.createWriteStream()
  await pipeline(Readable.fromWeb(res.body! as ReadableStream<Uint8Array>), file)
  return { cid, out, bytes: file.bytesWritten, contentType: res.headers.get('content-type'), accessIndex: Number(res.headers.get('x-porchlight-access-index')) }
}

export function addFootageCommand (program: Command): void {
  const footage = program.command('footage')
    .summary('list, open, share or delete an agency\'s delivered footage (each use logged, through its running node)')
    .description('An agency\'s delivered footage, through its running node, which logs every use before it acts. Each ' +
      'prints the node\'s answer (for open: what was written) as one JSON line.')
  const action = (name: string, summary: string) => footage.command(name)
    .summary(summary)
    .addOption(new Option('--dir <dir>', 'the agency node\'s directory (the node must be running)').makeOptionMandatory())
  const withCid = (name: string, summary: string) => action(name, summary).requiredOption('--cid <cid>', 'the clip\'s CID')

  action('list', 'the deliveries received for a request')
    .requiredOption('--request <id>', 'the request\'s id')
    .action(act(async (o) => {
      console.log(JSON.stringify(await (await NodeApiClient.forDir(o.dir)).call('GET /api/requests/:id/deliveries', { params: { id: o.request } })))
      return 0
    }))
  withCid('open', 'decrypt a clip into a new file; logs an access')
    .requiredOption('--purpose <text>', 'why it is opened, logged with the access')
    .requiredOption('--out <file>', 'the file to write (must not exist)')
    .action(act(async (o) => {
      console.log(JSON.stringify(await openClip(o.dir, o.cid, o.purpose, o.out)))
      return 0
    }))
  withCid('share', 'log a share (a legal basis unless the recipient is a registered agency)')
    .requiredOption('--recipient <who>', 'who receives it')
    .option('--legal-basis <text>', 'the legal basis', '')
    .action(act(async (o) => {
      const body = { recipient: o.recipient, legalBasis: o.legalBasis }
      console.log(JSON.stringify(await (await NodeApiClient.forDir(o.dir)).call('POST /api/footage/:cid/share', { params: { cid: o.cid }, body })))
      return 0
    }))
  action('proposals', 'the shares investigators proposed, waiting for approval')
    .action(act(async (o) => {
      console.log(JSON.stringify(await (await NodeApiClient.forDir(o.dir)).call('GET /api/share-proposals')))
      return 0
    }))
  for (const [verb, summary] of [['approve', 'approve a proposed share: logged, naming its proposer and the operator as approver'], ['reject', 'reject a proposed share: nothing is logged']] as const) {
    action(verb, summary)
      .requiredOption('--proposal <id>', 'the proposal\'s id (from `footage proposals`)')
      .action(act(async (o) => {
        const api = await NodeApiClient.forDir(o.dir)
        const params = { id: o.proposal }
        console.log(JSON.stringify(verb === 'approve' ? await api.call('POST /api/share-proposals/:id/approve', { params, body: {} }) : await api.call('DELETE /api/share-proposals/:id', { params })))
        return 0
      }))
  }
  withCid('delete', 'delete a clip (every copy); logs the deletion first')
    .action(act(async (o) => {
      console.log(JSON.stringify(await (await NodeApiClient.forDir(o.dir)).call('DELETE /api/footage/:cid', { params: { cid: o.cid } })))
      return 0
    }))
}
