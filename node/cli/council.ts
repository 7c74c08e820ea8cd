// `porchlight council …`: the registrar's operations on AgencyRegistry and WitnessRegistry. The key is read from --key-file;
// on the embedded chain (chain id 31337) it defaults to development account 0, the council that
// `porchlight chain` deployed with. On any other chain --key-file is required.
import { readFile } from 'node:fs/promises'
import { InvalidArgumentError, type Command } from '@commander-js/extra-typings'
import { UsageError, act, address, commaList, wholeNumber } from './command.js'
import {
  openChainClient, defaultDeploymentPath, devAccounts, embeddedChainId, readDeployment, type ChainClient, type IgnoredWitness, type TxResult
} from '../chain/index.js'

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
    .summary('manage agencies and witnesses (the council\'s registrar role)')
    .description('The council\'s operations on AgencyRegistry (agencies) and WitnessRegistry (the witnesses that cosign ' +
      'agencies\' checkpoints, and their quorum). Each prints its result as one JSON line.')

  // Every action takes the chain and the key…
  const onChain = (name: string, summary: string) => council.command(name)
    .summary(summary)
    .option('--chain <file>', 'the deployment file that `porchlight chain` writes', defaultDeploymentPath)
    .option('--key-file <file>', `file holding the council's private key (0x-hex); defaults to development account 0 on the embedded chain (chain id ${embeddedChainId}) only`)
  // …an agency's, its address.
  const action = (name: string, summary: string) => onChain(name, summary)
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

  onChain('add-witness', 'register a witness: its name, verifier key and how to reach it (--url and/or --multiaddr)')
    .requiredOption('--name <name>', 'the witness\'s key name (the name in its vkey and cosignature lines)')
    .requiredOption('--vkey <vkey>', 'its verifier key, <name>+<key id>+<base64> (`porchlight init --role witness` prints it)')
    .option('--url <url>', 'its tlog-witness HTTP base URL', '')
    .option('--multiaddr <multiaddr>', 'its libp2p address, ending in /p2p/<peer id>', '')
    .action(act(async (o) => await withCouncil('add-witness', o, true, async (c) => await c.addWitness({ name: o.name, vkey: o.vkey, url: o.url, multiaddr: o.multiaddr }))))
  onChain('update-witness', 'change how a witness is reached (a flag left out keeps its value; \'\' clears it)')
    .requiredOption('--name <name>', 'the witness\'s name')
    .option('--url <url>', 'its tlog-witness HTTP base URL')
    .option('--multiaddr <multiaddr>', 'its libp2p address, ending in /p2p/<peer id>')
    .action(act(async (o) => {
      if (o.url === undefined && o.multiaddr === undefined) throw new UsageError('give --url, --multiaddr or both')
      const change = { ...(o.url === undefined ? {} : { url: o.url }), ...(o.multiaddr === undefined ? {} : { multiaddr: o.multiaddr }) }
      return await withCouncil('update-witness', o, true, async (c) => await c.updateWitness(o.name, change))
    }))
  onChain('remove-witness', 'remove a witness (lower the quorum first if it would exceed the witnesses left)')
    .requiredOption('--name <name>', 'the witness\'s name')
    .option('--reason <text>', 'why, recorded on chain', '')
    .action(act(async (o) => await withCouncil('remove-witness', o, true, async (c) => await c.removeWitness(o.name, o.reason))))
  onChain('set-witness-quorum', 'set how many witnesses must cosign a checkpoint (1 ≤ k ≤ the number registered)')
    .requiredOption('--quorum <k>', 'the quorum k', wholeNumber(0, 255))
    .action(act(async (o) => await withCouncil('set-witness-quorum', o, true, async (c) => await c.setWitnessQuorum(o.quorum))))
  onChain('witnesses', 'print the witness set as nodes trust it, and any registered witness they ignore (no key needed)')
    .action(act(async (o) => await withCouncil('witnesses', o, false, async (c) => {
      const ignored: IgnoredWitness[] = []
      c.on('witness:ignored', (entry) => ignored.push(entry))
      const set = await c.witnessSet()
      return { ...set, ignored: ignored.map(({ witness, error }) => ({ ...witness, error: error.code, field: error.details.field, reason: error.details.reason })) }
    })))
}
