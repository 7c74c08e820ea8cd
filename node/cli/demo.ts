// `porchlight demo`: the one-command neighborhood (node/demo). Stops everything at SIGINT/SIGTERM, also
// while it is still starting. node/demo (and through it the embedded chain's Hardhat) is imported when the
// command runs, so that the other commands never load it.
import type { Command } from '@commander-js/extra-typings'
import { act, wholeNumber } from './command.js'
import { untilStopRequested } from '../parent-link.js'

export function addDemoCommand (program: Command): void {
  program.command('demo')
    .summary('run a whole neighborhood (chain, council, agencies, residents, auditor, witnesses) on this machine')
    .description('Brings up a neighborhood on 127.0.0.1, every part its own process: the embedded chain, a council that ' +
      'registers two agencies of Boulder, Colorado, N residents with cameras and sample clips over both jurisdictions, and ' +
      'an auditor, and three witnesses of which the council asks two to cosign each checkpoint. One agency publishes a sample request. Prints each node\'s UI address and writes DIR/demo.json once ' +
      'everything is ready; Ctrl-C stops it all. A second run over the same DIR starts again from the saved state (nodes, ' +
      'clips, requests and the chain).')
    .option('--dir <dir>', 'where the demo keeps everything (default ./.porchlight-demo)')
    .option('--residents <n>', 'how many residents, 1..64 (default 8)', wholeNumber(1, 64))
    .option('--anchor-interval <secs>', 'how often the agencies anchor their logs (default 30; set when made)', wholeNumber(1, 7 * 86400))
    .action(act(async (o) => {
      const { startDemo, uiAddress } = await import('../demo/index.js')
      const aborted = new AbortController()
      const stopRequested = untilStopRequested().then((reason) => { aborted.abort(reason); return reason })
      const log = (line: string): void => { console.log(`demo: ${line}`) }
      let running
      try {
        running = await startDemo({
          ...(o.dir === undefined ? {} : { dir: o.dir }),
          ...(o.residents === undefined ? {} : { residents: o.residents }),
          ...(o.anchorInterval === undefined ? {} : { anchorIntervalSeconds: o.anchorInterval }),
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
      const sample = running.info.sampleRequest
      if (sample !== undefined) {
        // Which households to open to see the sample request (the others' inboxes stay empty: it is not for their area).
        console.log(`sample request ${sample.caseCode} from ${sample.agency}: inside its area ${sample.households.length === 0 ? 'no household' : sample.households.join(', ')}` +
          `${sample.outside.length === 0 ? '' : `; outside (their inbox stays empty): ${sample.outside.join(', ')}`}`)
      }
      log(`ready; ${running.file} written. Ctrl-C stops everything.`)
      const reason = await stopRequested
      log(`stopping (${reason})`)
      await running.stop()
      log('stopped')
      return 0
    }))
}
