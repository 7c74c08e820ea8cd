// `npm run sim` flags (node:util parseArgs); bad input is a UsageError, printed with the usage, exit 2.
import { parseArgs } from 'node:util'
import { UsageError } from '../node/cli/command.js'
import type { SimOptions } from './scenario.js'

export const SIM_USAGE = `npm run sim -- [--nodes N] [--agencies K] [--requests R] [--adversaries M] [--attack-rate R] [--offline FRACTION]
                  [--request-interval MS] [--transport memory|tcp] [--seed S] [--out DIR] [--latency MS] [--heartbeat MS] [--no-flood]
  --nodes        resident nodes (default 1000)
  --agencies     agency nodes, jurisdictions tiling the town (default 3)
  --requests     requests published at random incident sites (default 20)
  --request-interval  mean gap between two publishes, ms; the gaps are exponential (default 1000)
  --adversaries  peers publishing invalid announcements during a second geo run (default 0)
  --attack-rate  invalid messages per second per adversary, a decimal such as 0.25 allowed (default 5)
  --offline      share of residents started after the requests, which must catch up (default 0.1)
  --transport    memory (default) or tcp (on 127.0.0.1)
  --seed         random seed: the same seed builds the same city and requests (default 1)
  --out          where results.json and the plots go (default simulations/out)
  --latency      added link latency of the memory transport, ms (default 25)
  --heartbeat    gossipsub heartbeat, ms (default 1000, as deployed)
  --no-flood     skip the flood baseline`

export interface SimCliOptions extends Omit<SimOptions, 'progress'> { out: string, adversaries: number, attackRate: number }

function integer (name: string, value: string, min: number, max: number): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}`)
  return n
}

function positive (name: string, value: string, max: number): number {
  const n = Number(value)
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0 || n > max) throw new UsageError(`--${name} must be a number above 0 and at most ${max}`)
  return n
}

export function parseSimArgs (argv: string[]): SimCliOptions {
  let values
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        nodes: { type: 'string', default: '1000' },
        agencies: { type: 'string', default: '3' },
        requests: { type: 'string', default: '20' },
        'request-interval': { type: 'string', default: '1000' },
        adversaries: { type: 'string', default: '0' },
        'attack-rate': { type: 'string', default: '5' },
        offline: { type: 'string', default: '0.1' },
        transport: { type: 'string', default: 'memory' },
        seed: { type: 'string', default: '1' },
        out: { type: 'string', default: 'simulations/out' },
        latency: { type: 'string', default: '25' },
        heartbeat: { type: 'string', default: '1000' },
        'no-flood': { type: 'boolean', default: false }
      }
    }).values
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const offline = Number(values.offline)
  if (!Number.isFinite(offline) || offline < 0 || offline >= 1) throw new UsageError('--offline must be a fraction from 0 to below 1')
  if (values.transport !== 'memory' && values.transport !== 'tcp') throw new UsageError('--transport must be memory or tcp')
  const adversaries = integer('adversaries', values.adversaries, 0, 100_000)
  return {
    nodes: integer('nodes', values.nodes, 2, 100_000),
    agencies: integer('agencies', values.agencies, 1, 100),
    requests: integer('requests', values.requests, 1, 10_000),
    requestIntervalMs: integer('request-interval', values['request-interval'], 0, 600_000),
    adversaries,
    attackRate: positive('attack-rate', values['attack-rate'], 1000),
    offline,
    transport: values.transport,
    seed: integer('seed', values.seed, 0, 2 ** 31 - 1),
    out: values.out,
    latencyMs: integer('latency', values.latency, 0, 10_000),
    heartbeatMs: integer('heartbeat', values.heartbeat, 50, 60_000),
    flood: !values['no-flood']
  }
}
