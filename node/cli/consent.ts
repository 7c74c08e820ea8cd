// `porchlight consent REQUEST-ID --clips CID,CID [--dir D]`: consents to share those clips for a request in
// the inbox, through the running node's API (the node signs the consent with a fresh key and delivers in
// the background; `GET /api/shares` follows it). `--withdraw SHARE-ID` stops an unfinished delivery.
import type { Command } from '@commander-js/extra-typings'
import { UsageError, act, commaList } from './command.js'
import { NodeApiClient } from '../api/client.js'

export function addConsentCommand (program: Command): void {
  program.command('consent')
    .summary('share clips for a request (signed consent, encrypted delivery), or withdraw a share')
    .description('Consent to share clips for a request in this resident node\'s inbox (only clips whose camera is in the ' +
      'request\'s area and whose span overlaps its window); the running node delivers them, encrypted to the agency. ' +
      'Prints the share as JSON. --withdraw stops a delivery that has not finished.')
    .usage('REQUEST-ID --clips CID[,CID…] [--dir DIR]\n       porchlight consent --withdraw SHARE-ID [--dir DIR]')
    .argument('[request-id]', 'the inbox request to share for')
    .option('--clips <cids>', 'the clips to share, comma-separated CIDs', commaList)
    .option('--dir <dir>', 'the resident node\'s directory (the node must be running)', '.')
    .option('--withdraw <share-id>', 'withdraw this share instead')
    .action(act(async (requestId, o) => {
      if (o.withdraw !== undefined) {
        if (requestId !== undefined || o.clips !== undefined) throw new UsageError('--withdraw takes a share id and nothing else')
        const api = await NodeApiClient.forDir(o.dir)
        console.log(JSON.stringify(await api.call('POST /api/shares/:id/withdraw', { params: { id: o.withdraw }, body: {} })))
        return 0
      }
      if (requestId === undefined) throw new UsageError('give exactly one request id')
      if (o.clips === undefined || o.clips.length === 0) throw new UsageError('--clips needs at least one clip CID')
      const api = await NodeApiClient.forDir(o.dir)
      console.log(JSON.stringify(await api.call('POST /api/inbox/:id/consent', { params: { id: requestId }, body: { clips: o.clips } })))
      return 0
    }))
}
