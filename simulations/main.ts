// `npm run sim` (node --import tsx simulations/main.ts): runs one simulation, shows progress on stderr,
// writes results.json and the plots, and prints the headline figures. The polyfill comes before libp2p.
import '../node/polyfill.js'
import { performance } from 'node:perf_hooks'
import { UsageError } from '../node/cli/command.js'
import { parseSimArgs, SIM_USAGE } from './options.js'
import { runSimulation } from './scenario.js'
import { writeReport } from './report.js'

async function main (argv: string[]): Promise<number> {
  let opts
  try {
    opts = parseSimArgs(argv)
  } catch (err) {
    if (err instanceof UsageError) { console.error(`${err.message}\n\n${SIM_USAGE}`); return 2 }
    throw err
  }
  const began = performance.now()
  const progress = (line: string): void => { process.stderr.write(`[${((performance.now() - began) / 1000).toFixed(1).padStart(6)} s] ${line}\n`) }
  const { out, ...sim } = opts
  const results = await runSimulation({ ...sim, progress })
  const files = await writeReport(out, results)
  const line = (name: string, s: SimResults['geo']['summary']): string =>
    `${name}: recall ${(s.recall * 100).toFixed(2)}%, latency p50/p95/p99 ${s.latencyMs.p50.toFixed(0)}/${s.latencyMs.p95.toFixed(0)}/${s.latencyMs.p99.toFixed(0)} ms, ` +
    `exposure max ${(s.exposure.max * 100).toFixed(2)}%, bytes/node/request ${(s.bytesPerNodePerRequest.sent + s.bytesPerNodePerRequest.received).toFixed(0)}, duplicates ${s.duplicatesPerMessage.toFixed(2)}`
  console.log(line('geo  ', results.geo.summary))
  if (results.flood !== undefined) console.log(line('flood', results.flood.summary))
  if (results.attack !== undefined) {
    const a = results.attack
    console.log(line(`geo under attack (${a.adversaries} adversaries)`, a.geo.summary))
    console.log(`attack: invalid published ${Object.values(a.published).reduce((x, y) => x + y, 0)}, received at first hop ${a.firstHop}, forwarded past it ${a.forwarded}; ` +
      `graylisted ${a.graylist.graylisted}/${a.graylist.neighbors} neighbor pairs, ${a.graylist.adversariesGraylisted}/${a.adversaries} adversaries by all neighbors` +
      (a.graylist.msUntilAllGraylisted === undefined ? '' : ` after ${a.graylist.msUntilAllGraylisted.toFixed(0)} ms`))
  }
  if (results.offline !== undefined) console.log(`offline: ${results.offline.delivered}/${results.offline.expected} caught up (${(results.offline.recall * 100).toFixed(2)}%)`)
  console.log(`wall ${results.wallSeconds.total.toFixed(0)} s (startup ${results.wallSeconds.startup.toFixed(0)} s), rss ${results.rssMiB.toFixed(0)} MiB; wrote ${files.join(', ')}`)
  return 0
}

type SimResults = Awaited<ReturnType<typeof runSimulation>>

process.exitCode = await main(process.argv.slice(2))
