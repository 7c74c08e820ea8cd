// `porchlight audit`: one audit pass from this process (its own fetches and the chain), printed as text or
// JSON; the exit code says whether a violation was found. It starts from nothing (no stored state), so it
// is an independent check of a running auditor too.
import { parseArgs } from 'node:util'
import { isAddress } from 'ethers'
import { UsageError, type Command } from './command.js'
import { parseLogEndpoints } from './init.js'
import { ChainClient, defaultDeploymentPath, readDeployment, type Deployment } from '../chain/index.js'
import { loadConfig, resolveChain, defaults } from '../config/index.js'
import { Auditor, type AuditReport } from '../auditor/index.js'

const usage = `usage: porchlight audit [--agency ADDR] [--json] [--dir DIR | --chain FILE --log ADDR=URL …]

Runs one audit pass: reads the registry and every Anchored event from the chain, fetches each agency's
checkpoint, tiles and entries, and checks them (docs/auditor.md). Exit code 0: no violation; 1: at least
one violation (or an error); 2: bad flags. Warnings (a log that could not be read) do not fail the run.

options:
  --agency ADDR            audit this agency only
  --json                   print the report as JSON
  --dir DIR                an auditor node's directory: its chain, log endpoints, peers and interval
  --chain FILE             the deployment file (default ${defaultDeploymentPath} without --dir)
  --log ADDR=URL           where an agency's log is served (http(s) base URL); repeat for more
  --peer URL               another auditor's report URL (split-view check); repeat for more
  --anchor-interval SECS   the anchoring interval agencies promise (default ${defaults.audit.anchorIntervalSeconds})
  --anchor-grace SECS      slack on top of it (default ${defaults.audit.anchorGraceSeconds})`

function seconds (flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} '${text}': expected a whole number of seconds`)
  return Number(text)
}

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

export const auditCommand: Command = {
  name: 'audit',
  summary: "run one audit pass over agencies' logs and anchors; non-zero exit on a violation",
  usage,
  async run (argv) {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        agency: { type: 'string' },
        json: { type: 'boolean' },
        dir: { type: 'string' },
        chain: { type: 'string' },
        log: { type: 'string', multiple: true },
        peer: { type: 'string', multiple: true },
        'anchor-interval': { type: 'string' },
        'anchor-grace': { type: 'string' }
      }
    })
    if (values.agency !== undefined && !isAddress(values.agency)) throw new UsageError(`--agency '${values.agency}' is not an address`)
    if (values.dir !== undefined && values.chain !== undefined) throw new UsageError('--dir and --chain exclude each other (the node names its chain)')
    let deployment: Deployment
    let logs: Record<string, string> = {}
    let peers: string[] = []
    let anchorIntervalSeconds: number = defaults.audit.anchorIntervalSeconds
    let anchorGraceSeconds: number = defaults.audit.anchorGraceSeconds
    if (values.dir !== undefined) {
      const config = await loadConfig(values.dir)
      const endpoint = await resolveChain(config, values.dir)
      if (endpoint === undefined) throw new UsageError(`the node in ${values.dir} names no chain`)
      deployment = endpoint
      if (config.audit !== undefined) ({ logs, peers, anchorIntervalSeconds, anchorGraceSeconds } = config.audit)
    } else {
      deployment = await readDeployment(values.chain ?? defaultDeploymentPath)
    }
    logs = { ...logs, ...parseLogEndpoints(values.log ?? []) }
    peers = [...peers, ...(values.peer ?? [])]
    anchorIntervalSeconds = seconds('--anchor-interval', values['anchor-interval']) ?? anchorIntervalSeconds
    anchorGraceSeconds = seconds('--anchor-grace', values['anchor-grace']) ?? anchorGraceSeconds

    const chain = await ChainClient.connect({ deployment, pollingIntervalMs: 0 })
    try {
      const auditor = new Auditor({ chain, logs, peers, policy: { anchorIntervalSeconds, anchorGraceSeconds } })
      const report = await auditor.audit(values.agency === undefined ? {} : { agency: values.agency })
      if (values.json === true) console.log(JSON.stringify(report, null, 2))
      else printText(report)
      return report.violations > 0 ? 1 : 0
    } finally {
      await chain.close()
    }
  }
}
