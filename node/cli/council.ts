// `porchlight council …`: the registrar's operations on AgencyRegistry. The key is read from --key-file;
// on the embedded chain (chain id 31337) it defaults to development account 0, the council that
// `porchlight chain` deployed with. On any other chain --key-file is required.
import { readFile } from 'node:fs/promises'
import { InvalidArgumentError, type Command } from '@commander-js/extra-typings'
import { UsageError, act, address, commaList } from './command.js'
import { openChainClient, defaultDeploymentPath, devAccounts, embeddedChainId, readDeployment, type ChainClient, type TxResult } from '../chain/index.js'

function validUntil (value: string): number {
  const seconds = /^\d+$/.test(value) ? Number(value) : Math.floor(Date.parse(value) / 1000)
  if (!Number.isSafeInteger(seconds)) throw new InvalidArgumentError('expected unix seconds or an ISO 8601 date')
  return seconds
}

async function councilKey (keyFile: string | undefined, chainId: number): Promise<string> {
  if (keyFile !== undefined) return (await readFile(keyFile, 'utf8')).trim()
  if (chainId !== embeddedChainId) throw new UsageError(`--key-file is required on chain ${chainId} (the default key is for the embedded chain only)`)
  return devAccounts(1)[0]!.privateKey
}

interface ChainFlags { chain: string, keyFile?: string | undefined }

/** Connects with the council's key (none for a read), runs `use`, prints its result as one JSON line. */
async function withCouncil (action: string, flags: ChainFlags, write: boolean, use: (client: ChainClient) => Promise<TxResult | object>): Promise<number> {
  const deployment = await readDeployment(flags.chain)
  const privateKey = write ? await councilKey(flags.keyFile, deployment.chainId) : undefined
  const client = await openChainClient(deployment, { pollingIntervalMs: 0, ...(privateKey === undefined ? {} : { privateKey }) })
  try {
    console.log(JSON.stringify({ action, ...await use(client) }))
    return 0
  } finally {
    await client.close()
  }
}

export function addCouncilCommand (program: Command): void {
  const council = program.command('council')
    .summary('register, update, suspend, reinstate or revoke an agency (the council\'s registrar role)')
    .description('The council\'s operations on AgencyRegistry. Each prints its result as one JSON line.')

  // Every action takes the chain, the key and the agency's address.
  const action = (name: string, summary: string) => council.command(name)
    .summary(summary)
    .option('--chain <file>', 'the deployment file that `porchlight chain` writes', defaultDeploymentPath)
    .option('--key-file <file>', `file holding the council's private key (0x-hex); defaults to development account 0 on the embedded chain (chain id ${embeddedChainId}) only`)
    .requiredOption('--address <address>', 'the agency\'s Ethereum address', address)
  // …and registering or updating, its record.
  const record = (name: string, summary: string) => action(name, summary)
    .requiredOption('--name <name>', 'the agency\'s name')
    .requiredOption('--cells <cells>', 'its jurisdiction: H3 cells of resolution ≤ 7, comma-separated (h3-js hex form)', commaList)
    .requiredOption('--valid-until <time>', 'when the registration lapses: unix seconds or an ISO 8601 date', validUntil)

  record('register-agency', 'register an agency with its name, jurisdiction and expiry')
    .action(act(async (o) => await withCouncil('register-agency', o, true, async (c) => await c.registerAgency(o.address, { name: o.name, cells: o.cells, validUntil: o.validUntil }))))
  record('update-agency', 'change a registered agency\'s name, jurisdiction or expiry')
    .action(act(async (o) => await withCouncil('update-agency', o, true, async (c) => await c.updateAgency(o.address, { name: o.name, cells: o.cells, validUntil: o.validUntil }))))
  action('suspend-agency', 'suspend an agency (its requests are refused until reinstated)')
    .option('--reason <text>', 'why, recorded on chain', '')
    .action(act(async (o) => await withCouncil('suspend-agency', o, true, async (c) => await c.suspendAgency(o.address, o.reason))))
  action('reinstate-agency', 'lift a suspension')
    .action(act(async (o) => await withCouncil('reinstate-agency', o, true, async (c) => await c.reinstateAgency(o.address))))
  action('revoke-agency', 'revoke an agency for good')
    .option('--reason <text>', 'why, recorded on chain', '')
    .action(act(async (o) => await withCouncil('revoke-agency', o, true, async (c) => await c.revokeAgency(o.address, o.reason))))
  action('show-agency', 'print an agency\'s record (no key needed)')
    .action(act(async (o) => await withCouncil('show-agency', o, false, async (c) => await c.agencyInfo(o.address))))
}
