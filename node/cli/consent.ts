// `porchlight consent REQUEST-ID --clips CID,CID [--range CAMERA:FROM:TO …] [--dir D]`: consents to share
// those clips, and those ranges of a camera's recordings (unix seconds; cut on the node), for a request in
// the inbox, through the running node's API (the node signs the consent with a fresh key and delivers in
// the background; `porchlight shares list` follows it). `--withdraw SHARE-ID` stops an unfinished delivery
// (as `porchlight shares withdraw` does, beside retry and delete-request).
import type { Command } from '@commander-js/extra-typings'
import type { ConsentRange } from '../../protocol/index.js'
import { InvalidArgumentError } from '@commander-js/extra-typings'
import { UsageError, act, commaList } from './command.js'
import { NodeApiClient } from '../api/client.js'

/** `CAMERA:FROM:TO` (unix seconds); a camera name may itself hold `:`, the last two fields are the times. */
export function parseRange (text: string, previous: ConsentRange[] = []): ConsentRange[] {
  const parts = text.split(':')
  const to = Number(parts.pop())
  const from = Number(parts.pop())
  const camera = parts.join(':')
  if (camera === '' || !Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to <= from) {
    throw new InvalidArgumentError('expected CAMERA:FROM:TO in whole unix seconds, FROM before TO')
  }
  return [...previous, { camera, from, to }]
}

export function addConsentCommand (program: Command): void {
  program.command('consent')
    .summary('share clips for a request (signed consent, encrypted delivery), or withdraw a share')
    .description('Consent to share clips for a request in this resident node\'s inbox (only clips whose camera is in the ' +
      'request\'s area and whose span overlaps its window, and ranges of its cameras\' recordings inside the window, cut on the node); the running node delivers them, encrypted to the agency. ' +
      'Prints the share as JSON. --withdraw stops a delivery that has not finished.')
    .usage('REQUEST-ID [--clips CID[,CID…]] [--range CAMERA:FROM:TO …] [--no-labels] [--dir DIR]\n       porchlight consent --withdraw SHARE-ID [--dir DIR]')
    .argument('[request-id]', 'the inbox request to share for')
    .option('--clips <cids>', 'the clips to share, comma-separated CIDs', commaList)
    .option('--range <camera:from:to>', 'a range of a camera\'s recordings to share, unix seconds inside the request\'s window (repeatable; the node cuts it)', parseRange)
    .option('--no-labels', 'send every clip without its camera label (by default each goes with its camera\'s name)')
    .option('--dir <dir>', 'the resident node\'s directory (the node must be running)', '.')
    .option('--withdraw <share-id>', 'withdraw this share instead')
    .action(act(async (requestId, o) => {
      if (o.withdraw !== undefined) {
        if (requestId !== undefined || o.clips !== undefined || o.range !== undefined) throw new UsageError('--withdraw takes a share id and nothing else')
        const api = await NodeApiClient.forDir(o.dir)
        console.log(JSON.stringify(await api.call('POST /api/shares/:id/withdraw', { params: { id: o.withdraw }, body: {} })))
        return 0
      }
      if (requestId === undefined) throw new UsageError('give exactly one request id')
      if ((o.clips === undefined || o.clips.length === 0) && o.range === undefined) throw new UsageError('give at least one clip CID (--clips) or range (--range)')
      const api = await NodeApiClient.forDir(o.dir)
      const dropped = o.labels ? {} : { labels: Object.fromEntries((o.clips ?? []).map((cid) => [cid, null])) }
      const ranges = o.range?.map((r) => o.labels ? r : { ...r, label: null })
      const body = { ...(o.clips === undefined || o.clips.length === 0 ? {} : { clips: o.clips, ...dropped }), ...(ranges === undefined ? {} : { ranges }) }
      console.log(JSON.stringify(await api.call('POST /api/inbox/:id/consent', { params: { id: requestId }, body })))
      return 0
    }))
}
