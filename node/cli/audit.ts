// `porchlight audit`: one audit pass from this process (its own fetches and the chain), printed as text or
// JSON; the exit code says whether a violation was found. It starts from nothing (no stored state), so it
// is an independent check of a running auditor too.
import type { Command } from '@commander-js/extra-typings'
import { UsageError, act, address, collect, wholeNumber } from './command.js'
import { parseLogEndpoints } from './init.js'
import { openChainClient, defaultDeploymentPath, readDeployment, type Deployment } from '../chain/index.js'
import { loadConfig, resolveChain, defaults } from '../config/index.js'
import { Auditor, type AuditReport } from '../auditor/index.js'

function printText (report: AuditReport): void {
  for (const a of report.agencies) {
    const anchor = a.latestAnchor === undefined ? 'never anchored' : `anchored ${a.latestAnchor.treeSize}`
    console.log(`${a.agency} ${a.name === '' ? '(unregistered)' : `'${a.name}'`} ${a.status}: verified ${a.verifiedSize} entries, ${anchor}; ` +
      `${a.requests.total} requests (${a.requests.last24h} in 24 h, ${a.requests.last30d} in 30 days); ${a.violations} violations, ${a.warnings} warnings`)
  }
  for (const f of report.findings) {
    console.log(`${f.severity.toUpperCase()} ${f.rule} ${f.agency}${f.entryIndex === undefined ? '' : ` entry ${f.entryIndex}`}: ${f.message} ${JSON.stringify(f.evidence)}`)
  }
  console.log(report.violations === 0 ? 'audit: no violations' : `audit: ${report.violations} violations`)
}

export function addAuditCommand (program: Command): void {
  program.command('audit')
    .summary("run one audit pass over agencies' logs and anchors; non-zero exit on a violation")
    .description('Runs one audit pass: reads the registry and every Anchored event from the chain, fetches each agency\'s ' +
      'checkpoint, tiles and entries, and checks them (docs/auditor.md). Warnings (a log that could not be read) do not fail the run.')
    .option('--agency <address>', 'audit this agency only', address)
    .option('--json', 'print the report as JSON')
    .option('--dir <dir>', 'an auditor node\'s directory: its chain, log endpoints, peers and interval')
    .option('--chain <file>', `the deployment file (default ${defaultDeploymentPath} without --dir)`)
    .option('--log <addr=url>', 'where an agency\'s log is served (http(s) base URL); repeat for more', collect)
    .option('--peer <url>', 'another auditor\'s report URL (split-view check); repeat for more', collect)
    .option('--anchor-interval <secs>', `the anchoring interval agencies promise (default ${defaults.audit.anchorIntervalSeconds})`, wholeNumber(0))
    .option('--anchor-grace <secs>', `slack on top of it (default ${defaults.audit.anchorGraceSeconds})`, wholeNumber(0))
    .addHelpText('after', '\nExit code 0: no violation; 1: at least one violation (or an error); 2: bad flags.')
    .action(act(async (o) => {
      if (o.dir !== undefined && o.chain !== undefined) throw new UsageError('--dir and --chain exclude each other (the node names its chain)')
      let deployment: Deployment
      let logs: Record<string, string> = {}
      let peers: string[] = []
      let anchorIntervalSeconds: number = defaults.audit.anchorIntervalSeconds
      let anchorGraceSeconds: number = defaults.audit.anchorGraceSeconds
      if (o.dir !== undefined) {
        const config = await loadConfig(o.dir)
        const endpoint = await resolveChain(config, o.dir)
        if (endpoint === undefined) throw new UsageError(`the node in ${o.dir} names no chain`)
        deployment = endpoint
        if (config.audit !== undefined) ({ logs, peers, anchorIntervalSeconds, anchorGraceSeconds } = config.audit)
      } else {
        deployment = await readDeployment(o.chain ?? defaultDeploymentPath)
      }
      logs = { ...logs, ...parseLogEndpoints(o.log ?? []) }
      peers = [...peers, ...(o.peer ?? [])]
      anchorIntervalSeconds = o.anchorInterval ?? anchorIntervalSeconds
      anchorGraceSeconds = o.anchorGrace ?? anchorGraceSeconds

      const chain = await openChainClient(deployment, { pollingIntervalMs: 0 })
      try {
        const auditor = new Auditor({ chain, logs, peers, policy: { anchorIntervalSeconds, anchorGraceSeconds } })
        const report = await auditor.audit(o.agency === undefined ? {} : { agency: o.agency })
        if (o.json === true) console.log(JSON.stringify(report, null, 2))
        else printText(report)
        return report.violations > 0 ? 1 : 0
      } finally {
        await chain.close()
      }
    }))
}
