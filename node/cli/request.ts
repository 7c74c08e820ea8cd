// `porchlight request …`: an agency's requests, through its running node's API (which checks, signs, logs
// and announces; see node/agency).
import { InvalidArgumentError, Option, type Command } from '@commander-js/extra-typings'
import { LIMITS, type RequestDraftBody } from '../../protocol/index.js'
import { UsageError, act, commaList, finiteNumber, isoTime, wholeNumber } from './command.js'
import { NodeApiClient } from '../api/client.js'

function latLng (text: string): { lat: number, lng: number } {
  const parts = text.split(',').map((s) => Number(s.trim()))
  if (parts.length !== 2 || !parts.every(Number.isFinite)) throw new InvalidArgumentError('expected LAT,LNG')
  return { lat: parts[0]!, lng: parts[1]! }
}

const dirOption = (): Option<'--dir <dir>', undefined, undefined, string, true> =>
  new Option('--dir <dir>', 'the agency node\'s directory (the node must be running)').makeOptionMandatory()

export function addRequestCommand (program: Command): void {
  const request = program.command('request')
    .summary('create, list, show or withdraw an agency\'s requests (through its running node)')
    .description('An agency\'s requests, through its running node. Each prints the node\'s answer as one JSON line.')

  request.command('create')
    .summary('sign, log and announce a new request')
    .addOption(dirOption())
    .requiredOption('--case-code <code>', 'the agency\'s case reference')
    .requiredOption('--title <title>', 'what residents see first')
    .option('--details <text>', 'more for residents', '')
    .addOption(new Option('--category <category>', 'what kind of incident').choices(LIMITS.request.categories).makeOptionMandatory())
    .option('--cells <cells>', 'the area as H3 res-9 cells, comma-separated (or --center and --radius)', commaList)
    .option('--center <lat,lng>', 'the area as a circle: its centre …', latLng)
    .option('--radius <meters>', '… and its radius in metres', finiteNumber)
    .requiredOption('--window-start <iso>', 'the wanted footage\'s time window, ISO 8601 (e.g. 2026-11-26T17:00:00Z) …', isoTime)
    .requiredOption('--window-end <iso>', '… and its end', isoTime)
    .requiredOption('--lifetime-hours <hours>', 'how long the request stays live', finiteNumber)
    .requiredOption('--retention-days <days>', 'how long delivered footage is kept', wholeNumber(0))
    .action(act(async (o) => {
      let area: Pick<RequestDraftBody, 'cells' | 'center' | 'radiusMeters'>
      if (o.cells !== undefined) {
        if (o.center !== undefined || o.radius !== undefined) throw new UsageError('give --cells or --center and --radius, not both')
        area = { cells: o.cells }
      } else {
        if (o.center === undefined || o.radius === undefined) throw new UsageError('give --cells, or --center and --radius')
        area = { center: o.center, radiusMeters: o.radius }
      }
      const draft: RequestDraftBody = {
        caseCode: o.caseCode,
        title: o.title,
        details: o.details,
        category: o.category,
        ...area,
        windowStart: o.windowStart,
        windowEnd: o.windowEnd,
        lifetimeHours: o.lifetimeHours,
        retentionDays: o.retentionDays
      }
      console.log(JSON.stringify(await (await NodeApiClient.forDir(o.dir)).call('POST /api/requests', { body: draft })))
      return 0
    }))
  request.command('list')
    .summary('the agency\'s requests, newest first')
    .addOption(dirOption())
    .action(act(async (o) => {
      console.log(JSON.stringify(await (await NodeApiClient.forDir(o.dir)).call('GET /api/requests')))
      return 0
    }))
  request.command('show')
    .summary('one request')
    .addOption(dirOption())
    .requiredOption('--id <id>', 'the request\'s id')
    .action(act(async (o) => {
      console.log(JSON.stringify(await (await NodeApiClient.forDir(o.dir)).call('GET /api/requests/:id', { params: { id: o.id } })))
      return 0
    }))
  request.command('withdraw')
    .summary('withdraw a live request (signed, logged and announced)')
    .addOption(dirOption())
    .requiredOption('--id <id>', 'the request\'s id')
    .action(act(async (o) => {
      console.log(JSON.stringify(await (await NodeApiClient.forDir(o.dir)).call('POST /api/requests/:id/withdraw', { params: { id: o.id }, body: {} })))
      return 0
    }))
}
