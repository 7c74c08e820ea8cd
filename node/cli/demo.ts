// `porchlight demo`: the one-command neighborhood (node/demo). Stops everything at SIGINT/SIGTERM, also
// while it is still starting.
import { parseArgs } from 'node:util'
import { UsageError, type Command } from './command.js'
import { defaultDemoDir, startDemo, uiAddress } from '../demo/index.js'
import { untilStopRequested } from '../parent-link.js'

const usage = `usage: porchlight demo [--dir DIR] [--residents N] [--anchor-interval SECONDS]

Brings up a neighborhood on 127.0.0.1, every part its own process: the embedded chain, a council that
registers two agencies of Boulder, Colorado, N residents with cameras and sample clips over both
jurisdictions, and an auditor. One agency publishes a sample request. Prints each node's UI address and
writes DIR/demo.json once everything is ready; Ctrl-C stops it all. A second run over the same DIR
starts again from the saved state (nodes, clips, requests and the chain).

  --dir DIR                 where the demo keeps everything (default ${defaultDemoDir})
  --residents N             how many residents, 1..64 (default 8)
  --anchor-interval SECS    how often the agencies anchor their logs (default 30; set when made)`

function wholeNumber (flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`${flag} must be a whole number ${min}..${max}, got '${text}'`)
  return n
}

export const demo: Command = {
  name: 'demo',
  summary: 'run a whole neighborhood (chain, council, agencies, residents, auditor) on this machine',
  usage,
  async run (argv) {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { dir: { type: 'string' }, residents: { type: 'string' }, 'anchor-interval': { type: 'string' } }
    })
    const residents = wholeNumber('--residents', values.residents, 1, 64)
    const anchorIntervalSeconds = wholeNumber('--anchor-interval', values['anchor-interval'], 1, 7 * 86400)
    const aborted = new AbortController()
    const stopRequested = untilStopRequested().then((reason) => { aborted.abort(reason); return reason })
    const log = (line: string): void => { console.log(`demo: ${line}`) }
    let running
    try {
      running = await startDemo({
        ...(values.dir === undefined ? {} : { dir: values.dir }),
        ...(residents === undefined ? {} : { residents }),
        ...(anchorIntervalSeconds === undefined ? {} : { anchorIntervalSeconds }),
        signal: aborted.signal,
        log
      })
    } catch (err) {
      if (!aborted.signal.aborted) throw err
      log(`stopped while starting (${String(aborted.signal.reason)})`)
      return 130
    }
    const width = Math.max(...running.info.nodes.map((n) => n.name.length))
    for (const node of running.info.nodes) console.log(`${node.role.padEnd(8)}  ${node.name.padEnd(width)}  ${uiAddress(node)}`)
    log(`ready; ${running.file} written. Ctrl-C stops everything.`)
    const reason = await stopRequested
    log(`stopping (${reason})`)
    await running.stop()
    log('stopped')
    return 0
  }
}
