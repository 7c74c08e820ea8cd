// `porchlight chain`: runs the embedded development chain with the contracts and their council deployed,
// writes the deployment file other commands read, and stops cleanly on SIGINT/SIGTERM (removing that file,
// whose chain is then gone). With --no-deploy it is a bare JSON-RPC endpoint, as a public testnet is.
// `porchlight chain deploy`: deploys the contracts to any EVM JSON-RPC endpoint, governed by a council.
import { readFile, rm } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Command } from '@commander-js/extra-typings'
import { Contract, Wallet, getAddress } from 'ethers'
import { UsageError, act, address, commaList, wholeNumber } from './command.js'
import { notifyParentReady, untilStopRequested } from '../parent-link.js'
import {
  connectProvider, createSafe, defaultDeploymentPath, deployCouncilContracts, deploySafeFactory, safeArtifact, startEmbeddedChain, toChainError,
  writeDeployment, type Deployment
} from '../chain/index.js'

/** Checks that `safe` is a Safe on the chain (it answers getThreshold and getOwners); returns its threshold. */
async function checkSafe (signer: Wallet, safe: string, role: string): Promise<number> {
  if (await signer.provider!.getCode(safe) === '0x') throw new UsageError(`${role} ${safe} has no contract on this chain`)
  try {
    const contract = new Contract(safe, safeArtifact.abi, signer)
    await contract.getFunction('getOwners')()
    return Number(await contract.getFunction('getThreshold')())
  } catch (err) {
    throw new UsageError(`${role} ${safe} does not answer as a Safe: ${toChainError(err).message}`)
  }
}

/** The endpoint's chain id, asked once (eth_chainId), so the provider that deploys has a static network. */
async function chainIdOf (rpc: string): Promise<number> {
  try {
    const response = await fetch(rpc, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }) })
    const body = await response.json() as { result?: string }
    if (typeof body.result !== 'string') throw new Error('no result')
    return Number(BigInt(body.result))
  } catch (err) {
    throw toChainError(Object.assign(new Error(`eth_chainId failed at ${rpc}`), { code: 'NETWORK_ERROR', cause: err }), rpc)
  }
}

export function addChainCommand (program: Command): void {
  const chain = program.command('chain')
    .summary('run the embedded development chain with the contracts and their council deployed')
    .description('Starts the embedded development chain (Hardhat, in this process) on 127.0.0.1, deploys Safe, the council\'s ' +
      'Safe and guardian Safe (owned by development accounts 0, 1 and 2; thresholds 2 and 1), a TimelockController ' +
      '(the notice period) and AgencyRegistry, AuditAnchor and WitnessRegistry governed by them, writes the deployment ' +
      'file and runs until SIGINT or SIGTERM. With --no-deploy it deploys nothing: a JSON-RPC endpoint for `chain deploy`.')
    .option('--port <port>', 'TCP port; 0 picks a free one', wholeNumber(0, 65535), 8545)
    .option('--out <file>', 'deployment file to write', defaultDeploymentPath)
    .option('--no-deploy', 'deploy nothing and write no deployment file: JSON-RPC only')
    .option('--notice <seconds>', 'the council\'s notice period (seconds; the demo uses a few)', wholeNumber(0), 0)
    .option('--journal <file>', 'keep the chain across restarts: replay FILE\'s transactions at start when it holds a ' +
      'deployed chain, and append every transaction mined to it')
    .action(act(async (o) => {
      const out = resolve(o.out)
      const running = await startEmbeddedChain({
        port: o.port,
        deploy: o.deploy,
        council: { noticeSeconds: o.notice },
        ...(o.journal === undefined ? {} : { journal: resolve(o.journal) })
      })
      const deployment = running.deployment
      try {
        // The file first: whoever waits for the ready line reads it next.
        if (deployment !== undefined) await writeDeployment(out, deployment)
        console.log(`chain ready: rpc ${running.rpcUrl}, chain id ${running.chainId}`)
        if (deployment !== undefined) {
          console.log(`  AgencyRegistry  ${deployment.contracts.AgencyRegistry}`)
          console.log(`  AuditAnchor     ${deployment.contracts.AuditAnchor}`)
          console.log(`  WitnessRegistry ${deployment.contracts.WitnessRegistry}`)
          if (deployment.council !== undefined) {
            console.log(`  council Safe    ${deployment.council.safe} (development accounts 0, 1, 2)`)
            console.log(`  guardian Safe   ${deployment.council.guardian}`)
            console.log(`  timelock        ${deployment.council.timelock} (notice ${deployment.council.noticeSeconds} s)`)
          } else {
            console.log(`  council         ${running.accounts[0]!.address} (development account 0)`)
          }
          console.log(`  deployment      ${out}`)
        } else {
          console.log(`  funded accounts ${running.accounts.map((a) => a.address).join(', ')}`)
          console.log('  nothing deployed (--no-deploy): use `porchlight chain deploy`')
        }
        notifyParentReady()
        console.log(`chain stopping (${await untilStopRequested()})`)
      } finally {
        await running.stop()
        if (deployment !== undefined) await rm(out, { force: true })
      }
      return 0
    }))

  chain.command('deploy')
    .summary('deploy the contracts to an EVM JSON-RPC endpoint, governed by a council, and write the deployment file')
    .description('Deploys a TimelockController (proposer: the council\'s Safe; cancellers: it and the guardian; executor: ' +
      'anyone once the notice has passed), AgencyRegistry and AuditAnchor (bound) and WitnessRegistry, with the admin and ' +
      'registrar roles held by the timelock and the guardian role by the guardian Safe. The key pays for the deployment ' +
      'and holds no role afterwards. Give --council (an existing Safe), or --owners and --threshold to deploy Safe\'s ' +
      'contracts and make the Safes here (a chain without Safe, such as `porchlight chain --no-deploy`).')
    .requiredOption('--rpc <url>', 'the chain\'s JSON-RPC URL')
    .requiredOption('--key-file <file>', 'file holding the funded deployer key (0x-hex)')
    .option('--council <safe>', 'the council\'s Safe (it proposes every change that waits the notice period)', address)
    .option('--guardian <safe>', 'the guardian Safe, with a lower threshold (suspends and revokes at once); default: the council\'s Safe', address)
    .option('--owners <addresses>', 'deploy Safe and make the council\'s and the guardian Safe with these owners', commaList)
    .option('--threshold <n>', 'with --owners: the council Safe\'s threshold', wholeNumber(1))
    .option('--guardian-threshold <n>', 'with --owners: the guardian Safe\'s threshold', wholeNumber(1), 1)
    .requiredOption('--notice <seconds>', 'the notice period in seconds (days in production: 604800 is a week)', wholeNumber(0))
    .option('--out <file>', 'deployment file to write', defaultDeploymentPath)
    .action(act(async (o) => {
      if ((o.council === undefined) === (o.owners === undefined)) throw new UsageError('give --council <safe>, or --owners and --threshold')
      const chainId = await chainIdOf(o.rpc)
      const provider = connectProvider(o.rpc, chainId)
      try {
        const deployer = new Wallet((await readFile(o.keyFile, 'utf8')).trim(), provider)
        let safe: string
        let guardian: string
        if (o.owners !== undefined) {
          if (o.threshold === undefined) throw new UsageError('--owners needs --threshold')
          const owners = o.owners.map((a) => getAddress(a))
          if (o.threshold > owners.length || o.guardianThreshold > owners.length) throw new UsageError(`a threshold above the ${owners.length} owners`)
          const factory = await deploySafeFactory(deployer)
          safe = await createSafe(deployer, factory, owners, o.threshold, 0n)
          guardian = await createSafe(deployer, factory, owners, o.guardianThreshold, 1n)
        } else {
          safe = o.council!
          guardian = o.guardian ?? safe
          await checkSafe(deployer, safe, '--council')
          await checkSafe(deployer, guardian, '--guardian')
        }
        const deployed = await deployCouncilContracts(deployer, { safe, guardian, noticeSeconds: o.notice })
        const deployment: Deployment = { rpc: o.rpc, chainId, contracts: deployed.contracts, deployBlock: deployed.deployBlock, council: deployed.council! }
        const out = resolve(o.out)
        await writeDeployment(out, deployment)
        console.log(JSON.stringify({ action: 'deploy', ...deployment, gasUsed: deployed.gasUsed, file: out }))
        return 0
      } catch (err) {
        throw err instanceof UsageError ? err : toChainError(err, o.rpc)
      } finally {
        provider.destroy()
      }
    }))
}
