// `porchlight chain`: runs the embedded development chain with the contracts deployed, writes the
// deployment file other commands read, and stops cleanly on SIGINT/SIGTERM (removing that file, whose
// chain is then gone).
import { once } from 'node:events'
import { rm } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { UsageError, type Command } from './command.js'
import { defaultDeploymentPath, startEmbeddedChain, writeDeployment } from '../chain/index.js'

const usage = `usage: porchlight chain [--port P] [--out FILE]

Starts the embedded development chain (Hardhat, in this process) on 127.0.0.1, deploys AgencyRegistry and
AuditAnchor with development account 0 as the council, writes the deployment file and runs until
SIGINT or SIGTERM.

  --port P     TCP port; 0 picks a free one (default 8545)
  --out FILE   deployment file to write (default ${defaultDeploymentPath})`

export const chainCommand: Command = {
  name: 'chain',
  summary: 'run the embedded development chain with the contracts deployed',
  usage,
  async run (argv) {
    const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, out: { type: 'string' } }, strict: true })
    const port = Number(values.port ?? '8545')
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, got '${values.port}'`)
    const out = resolve(values.out ?? defaultDeploymentPath)

    const chain = await startEmbeddedChain({ port })
    const deployment = chain.deployment!
    try {
      await writeDeployment(out, deployment)
      console.log(`chain ready: rpc ${chain.rpcUrl}, chain id ${chain.chainId}`)
      console.log(`  AgencyRegistry ${deployment.contracts.AgencyRegistry}`)
      console.log(`  AuditAnchor    ${deployment.contracts.AuditAnchor}`)
      console.log(`  council        ${chain.accounts[0]!.address} (development account 0)`)
      console.log(`  deployment     ${out}`)
      const signal = await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')])
      console.log(`chain stopping (${String(signal[0] ?? 'signal')})`)
    } finally {
      await chain.stop()
      await rm(out, { force: true })
    }
    return 0
  }
}
