// `porchlight request …`: an agency's requests, through its running node's API (which checks, signs, logs
// and announces; see node/agency).
import { parseArgs } from 'node:util'
import { LIMITS } from '../../protocol/index.js'
import { UsageError, requiredFlag, type Command } from './command.js'
import { callNodeApi } from './node-api.js'

const usage = `usage: porchlight request <action> --dir DIR [options]

actions:
  create    --case-code C --title T [--details D] --category K
            (--cells C1,C2 | --center LAT,LNG --radius METERS)
            --window-start ISO --window-end ISO --lifetime-hours H --retention-days N
  list
  show      --id ID
  withdraw  --id ID

options:
  --dir DIR          the agency node's directory (the node must be running)
  --category         one of ${LIMITS.request.categories.join(', ')}
  --cells            H3 res-9 cells, comma-separated
  --center, --radius a circle: latitude,longitude and a radius in metres
  --window-start/end the wanted footage's time window, ISO 8601 (e.g. 2026-11-26T17:00:00Z)

Prints the node's answer as one JSON line.`

const options = {
  dir: { type: 'string' },
  id: { type: 'string' },
  'case-code': { type: 'string' },
  title: { type: 'string' },
  details: { type: 'string' },
  category: { type: 'string' },
  cells: { type: 'string' },
  center: { type: 'string' },
  radius: { type: 'string' },
  'window-start': { type: 'string' },
  'window-end': { type: 'string' },
  'lifetime-hours': { type: 'string' },
  'retention-days': { type: 'string' }
} as const

type Values = { [K in keyof typeof options]?: string }

const required = (values: Values, flag: keyof Values): string => requiredFlag(values, flag)

function number (values: Values, flag: keyof Values, integer = false): number {
  const text = required(values, flag)
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new UsageError(`--${flag} must be ${integer ? 'an integer' : 'a number'}, got '${text}'`)
  return n
}

function isoTime (values: Values, flag: keyof Values): string {
  const text = required(values, flag)
  if (!Number.isFinite(Date.parse(text))) throw new UsageError(`--${flag} must be an ISO 8601 date-time, got '${text}'`)
  return new Date(Date.parse(text)).toISOString()
}

/** The API body of `request create`. */
export function draftFromFlags (values: Values): Record<string, unknown> {
  const area: Record<string, unknown> = {}
  if (values.cells !== undefined && (values.center !== undefined || values.radius !== undefined)) throw new UsageError('give --cells or --center and --radius, not both')
  if (values.cells !== undefined) {
    area.cells = values.cells.split(',').map((c) => c.trim()).filter((c) => c !== '')
  } else {
    const [lat, lng, ...extra] = required(values, 'center').split(',').map((s) => Number(s.trim()))
    if (extra.length > 0 || !Number.isFinite(lat) || !Number.isFinite(lng)) throw new UsageError(`--center must be LAT,LNG, got '${values.center}'`)
    area.center = { lat, lng }
    area.radiusMeters = number(values, 'radius')
  }
  return {
    caseCode: required(values, 'case-code'),
    title: required(values, 'title'),
    details: values.details ?? '',
    category: required(values, 'category'),
    ...area,
    windowStart: isoTime(values, 'window-start'),
    windowEnd: isoTime(values, 'window-end'),
    lifetimeHours: number(values, 'lifetime-hours'),
    retentionDays: number(values, 'retention-days', true)
  }
}

export const requestCommand: Command = {
  name: 'request',
  summary: 'create, list, show or withdraw an agency\'s requests (through its running node)',
  usage,
  async run (argv) {
    const [action, ...rest] = argv
    const { values } = parseArgs({ args: rest, options, strict: true, allowPositionals: false })
    const dir = required(values, 'dir')
    const id = (): string => encodeURIComponent(required(values, 'id'))
    let answer: unknown
    switch (action) {
      case 'create': answer = await callNodeApi(dir, 'POST', '/api/requests', draftFromFlags(values)); break
      case 'list': answer = await callNodeApi(dir, 'GET', '/api/requests'); break
      case 'show': answer = await callNodeApi(dir, 'GET', `/api/requests/${id()}`); break
      case 'withdraw': answer = await callNodeApi(dir, 'POST', `/api/requests/${id()}/withdraw`, {}); break
      default: throw new UsageError(`unknown action '${action ?? ''}'`)
    }
    console.log(JSON.stringify(answer))
    return 0
  }
}
