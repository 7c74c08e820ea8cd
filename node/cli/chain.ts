// `porchlight chain`: runs the embedded development chain with the contracts deployed, writes the
// deployment file other commands read, and stops cleanly on SIGINT/SIGTERM (removing that file, whose
// chain is then gone).
import { rm } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Command } from '@commander-js/extra-typings'
import { act, wholeNumber } from './command.js'
import { notifyParentReady, untilStopRequested } from '../parent-link.js'
import { defaultDeploymentPath, startEmbeddedChain, writeDeployment } from '../chain/index.js'

export function addChainCommand (program: Command): void {
  program.command('chain')
    .summary('run the embedded development chain with the contracts deployed')
    .description('Starts the embedded development chain (Hardhat, in this process) on 127.0.0.1, deploys AgencyRegistry, ' +
      'AuditAnchor and WitnessRegistry with development account 0 as the council, writes the deployment file and runs until SIGINT or SIGTERM.')
    .option('--port <port>', 'TCP port; 0 picks a free one', wholeNumber(0, 65535), 8545)
    .option('--out <file>', 'deployment file to write', defaultDeploymentPath)
    .option('--journal <file>', 'keep the chain across restarts: replay FILE\'s transactions at start when it holds a ' +
      'deployed chain, and append every transaction mined to it')
    .action(act(async (o) => {
      const out = resolve(o.out)
      const chain = await startEmbeddedChain({ port: o.port, ...(o.journal === undefined ? {} : { journal: resolve(o.journal) }) })
      const deployment = chain.deployment!
      try {
        await writeDeployment(out, deployment)
        console.log(`chain ready: rpc ${chain.rpcUrl}, chain id ${chain.chainId}`)
        console.log(`  AgencyRegistry  ${deployment.contracts.AgencyRegistry}`)
        console.log(`  AuditAnchor     ${deployment.contracts.AuditAnchor}`)
        console.log(`  WitnessRegistry ${deployment.contracts.WitnessRegistry}`)
        console.log(`  council         ${chain.accounts[0]!.address} (development account 0)`)
        console.log(`  deployment      ${out}`)
        notifyParentReady()
        console.log(`chain stopping (${await untilStopRequested()})`)
      } finally {
        await chain.stop()
        await rm(out, { force: true })
      }
      return 0
    }))
}
