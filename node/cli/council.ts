// `porchlight council …`: the council's operations on AgencyRegistry and WitnessRegistry.
//
// On a chain governed by a council (Safe + timelock, docs/contracts.md "The council"), each member acts with
// their own key: `council propose <action> …` writes a proposal file signed by the proposer, `council approve
// FILE` adds a member's signature, `council execute FILE` takes the next step (the Safe transaction once the
// threshold is met; after the notice period, the timelock's execution). `council pending` lists what waits.
//
// The one-step verbs (`council register-agency …`) act as the whole council at once: on the embedded chain
// (chain id 31337) with its development members, or on a chain with no council with the registrar's key.
import { readFile, writeFile } from 'node:fs/promises'
import { InvalidArgumentError, type Command } from '@commander-js/extra-typings'
import { Wallet, getAddress, type JsonRpcProvider } from 'ethers'
import { UsageError, act, address, commaList, wholeNumber } from './command.js'
import {
  openChainClient, defaultDeploymentPath, devAccounts, devCouncil, embeddedChainId, readDeployment, connectProvider, cellsToUint64, checkWitnessRecord,
  checkWitnessEndpoints, agencyRegistryInterface, witnessRegistryInterface, proposeCall, approveProposal, executeProposal, proposalState,
  readPendingChanges, toSafeTxBuilderJson, requireCouncil, CouncilProposalInvalidError,
  type ChainClient, type CouncilProposal, type Deployment, type IgnoredWitness, type TxResult
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

/**
 * Connects as the council (none for a read), runs `use`, prints its result as one JSON line. On a chain with
 * a council only the embedded chain's development members can act in one step; elsewhere each member
 * proposes, approves and executes with their own key.
 */
async function withCouncil (action: string, flags: ChainFlags, write: boolean, use: (client: ChainClient) => Promise<TxResult | object>): Promise<number> {
  const deployment = await readDeployment(flags.chain)
  if (write && deployment.council !== undefined && (flags.keyFile !== undefined || deployment.chainId !== embeddedChainId)) {
    throw new UsageError(`this chain is governed by a council: use \`porchlight council propose ${action} …\`, then approve and execute`)
  }
  const privateKey = write ? await councilKey(flags.keyFile, deployment.chainId) : undefined
  const registrar = write ? devCouncil(deployment) : undefined
  const client = await openChainClient(deployment, { pollingIntervalMs: 0, ...(privateKey === undefined ? {} : { privateKey }), ...(registrar === undefined ? {} : { registrar }) })
  try {
    console.log(JSON.stringify({ action, ...await use(client) }))
    return 0
  } finally {
    await client.close()
  }
}

export function addCouncilCommand (program: Command): void {
  const council = program.command('council')
    .summary('manage agencies and witnesses (the council: propose, approve, execute)')
    .description('The council\'s operations on AgencyRegistry (agencies) and WitnessRegistry (the witnesses that cosign ' +
      'agencies\' checkpoints, and their quorum). Each prints its result as one JSON line. On a chain governed by a ' +
      'council, members use `propose`, `approve` and `execute`, each with their own key; the one-step verbs act as the ' +
      'embedded chain\'s whole development council.')
  addProposalCommands(council)

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

/** A member's key: --key-file, or on the embedded chain --dev-account N (its development council is accounts 0–2). */
async function memberKey (o: { keyFile?: string | undefined, devAccount?: number | undefined }, deployment: Deployment): Promise<string> {
  if (o.keyFile !== undefined) return (await readFile(o.keyFile, 'utf8')).trim()
  if (o.devAccount !== undefined && deployment.chainId === embeddedChainId) return devAccounts(o.devAccount + 1)[o.devAccount]!.privateKey
  throw new UsageError(deployment.chainId === embeddedChainId ? 'give --key-file or --dev-account' : `--key-file is required on chain ${deployment.chainId}`)
}

async function readProposal (path: string): Promise<CouncilProposal> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as CouncilProposal
  } catch (err) {
    throw new CouncilProposalInvalidError(`cannot read ${path}: ${(err as Error).message}`)
  }
}

/** Reads the deployment, runs `use` on a provider of its chain, prints the result as one JSON line. */
async function onDeployment (chainPath: string, use: (deployment: Deployment, provider: JsonRpcProvider) => Promise<object>): Promise<number> {
  const deployment = await readDeployment(chainPath)
  const provider = connectProvider(deployment.rpc, deployment.chainId)
  try {
    console.log(JSON.stringify(await use(deployment, provider)))
    return 0
  } finally {
    provider.destroy()
  }
}

async function writeJson (path: string, value: unknown): Promise<void> {
  await writeFile(path, JSON.stringify(value, null, 2) + '\n')
}

interface ProposeFlags { chain: string, keyFile?: string | undefined, devAccount?: number | undefined, out: string, safeJson?: string | undefined }

/** Builds the registry call for one action, with the client's own checks (a record no node would trust is refused here). */
type CallBuilder = (deployment: Deployment, client: ChainClient) => Promise<{ to: string, data: string }>

async function propose (flags: ProposeFlags, build: CallBuilder): Promise<number> {
  const deployment = await readDeployment(flags.chain)
  requireCouncil(deployment)
  const provider = connectProvider(deployment.rpc, deployment.chainId)
  const client = await openChainClient(deployment, { pollingIntervalMs: 0 })
  try {
    const member = new Wallet(await memberKey(flags, deployment), provider)
    const proposal = await approveProposal(deployment, await proposeCall(provider, deployment, await build(deployment, client)), member)
    await writeJson(flags.out, proposal)
    if (flags.safeJson !== undefined) await writeJson(flags.safeJson, toSafeTxBuilderJson(proposal))
    console.log(JSON.stringify({ action: 'propose', method: proposal.action.method, path: proposal.path, safe: proposal.safe, safeTxHash: proposal.safeTxHash, approvals: proposal.signatures.length, file: flags.out }))
    return 0
  } finally {
    await client.close()
    provider.destroy()
  }
}

function addProposalCommands (council: Command): void {
  const proposeCommand = council.command('propose')
    .summary('propose a change: writes a proposal file signed by you (the proposer)')
    .description('Writes a proposal file for the council\'s Safe (changes that wait the notice period) or the guardian Safe ' +
      '(suspend-agency and revoke-agency, at once), signed with your key. Other members sign it with `council approve`; ' +
      '`council execute` sends it. --safe-json also writes it as a Safe Transaction Builder file for the Safe web app.')
  const keyHelp = 'file holding your private key (0x-hex)'
  const devHelp = `on the embedded chain (chain id ${embeddedChainId}): act as development account n (its council is 0, 1 and 2)`
  const proposal = (name: string, summary: string) => proposeCommand.command(name).summary(summary)
    .option('--chain <file>', 'the deployment file', defaultDeploymentPath)
    .option('--key-file <file>', keyHelp)
    .option('--dev-account <n>', devHelp, wholeNumber(0, 9))
    .requiredOption('--out <file>', 'the proposal file to write')
    .option('--safe-json <file>', 'also write the Safe Transaction Builder JSON')
  const agencyCall = (deployment: Deployment, method: string, args: unknown[]): { to: string, data: string } =>
    ({ to: deployment.contracts.AgencyRegistry, data: agencyRegistryInterface.encodeFunctionData(method, args) })
  const witnessCall = (method: string, args: unknown[]) => ({ method, args })

  const record = (name: string, summary: string, method: 'register' | 'update') => proposal(name, summary)
    .requiredOption('--address <address>', 'the agency\'s Ethereum address', address)
    .requiredOption('--name <name>', 'the agency\'s name')
    .requiredOption('--cells <cells>', 'its jurisdiction: H3 cells of resolution 5 to 7, comma-separated', commaList)
    .requiredOption('--valid-until <time>', 'when the registration lapses (at most two years ahead): unix seconds or an ISO 8601 date', validUntil)
    .action(act(async (o) => await propose(o, async (d) => agencyCall(d, method, [getAddress(o.address), o.name, cellsToUint64(o.cells), o.validUntil]))))
  record('register-agency', 'register an agency (waits the notice period)', 'register')
  record('update-agency', 'change an agency\'s name, jurisdiction or expiry (waits the notice period)', 'update')
  proposal('reinstate-agency', 'lift a suspension (waits the notice period)')
    .requiredOption('--address <address>', 'the agency\'s Ethereum address', address)
    .action(act(async (o) => await propose(o, async (d) => agencyCall(d, 'reinstate', [getAddress(o.address)]))))
  for (const [name, method] of [['suspend-agency', 'suspend'], ['revoke-agency', 'revoke']] as const) {
    proposal(name, `${method} an agency at once (the guardian Safe, no notice period)`)
      .requiredOption('--address <address>', 'the agency\'s Ethereum address', address)
      .option('--reason <text>', 'why, recorded on chain', '')
      .action(act(async (o) => await propose(o, async (d) => agencyCall(d, method, [getAddress(o.address), o.reason]))))
  }
  const toWitnesses = (d: Deployment, call: { method: string, args: unknown[] }): { to: string, data: string } =>
    ({ to: d.contracts.WitnessRegistry, data: witnessRegistryInterface.encodeFunctionData(call.method, call.args) })
  proposal('add-witness', 'register a witness (waits the notice period)')
    .requiredOption('--name <name>', 'the witness\'s key name')
    .requiredOption('--vkey <vkey>', 'its verifier key')
    .option('--url <url>', 'its tlog-witness HTTP base URL', '')
    .option('--multiaddr <multiaddr>', 'its libp2p address, ending in /p2p/<peer id>', '')
    .action(act(async (o) => await propose(o, async (d) => {
      const witness = { name: o.name, vkey: o.vkey, url: o.url, multiaddr: o.multiaddr }
      checkWitnessRecord(witness)
      return toWitnesses(d, witnessCall('addWitness', [witness.name, witness.vkey, witness.url, witness.multiaddr]))
    })))
  proposal('update-witness', 'change how a witness is reached (waits the notice period)')
    .requiredOption('--name <name>', 'the witness\'s name')
    .option('--url <url>', 'its tlog-witness HTTP base URL')
    .option('--multiaddr <multiaddr>', 'its libp2p address')
    .action(act(async (o) => await propose(o, async (d, client) => {
      const current = (await client.witnessSet()).witnesses.find((w) => w.name === o.name)
      const url = o.url ?? current?.url ?? ''
      const multiaddr = o.multiaddr ?? current?.multiaddr ?? ''
      checkWitnessEndpoints(o.name, { url, multiaddr })
      return toWitnesses(d, witnessCall('updateWitness', [o.name, url, multiaddr]))
    })))
  proposal('remove-witness', 'remove a witness (waits the notice period)')
    .requiredOption('--name <name>', 'the witness\'s name')
    .option('--reason <text>', 'why, recorded on chain', '')
    .action(act(async (o) => await propose(o, async (d) => toWitnesses(d, witnessCall('removeWitness', [o.name, o.reason])))))
  proposal('set-witness-quorum', 'set the witness quorum (waits the notice period)')
    .requiredOption('--quorum <k>', 'the quorum k', wholeNumber(0, 255))
    .action(act(async (o) => await propose(o, async (d) => toWitnesses(d, witnessCall('setQuorum', [o.quorum])))))

  council.command('approve').summary('sign a proposal file with your key (an owner of its Safe)')
    .option('--chain <file>', 'the deployment file', defaultDeploymentPath)
    .option('--key-file <file>', keyHelp)
    .option('--dev-account <n>', devHelp, wholeNumber(0, 9))
    .argument('<file>', 'the proposal file; updated in place')
    .action(act(async (file, o) => await onDeployment(o.chain, async (deployment, provider) => {
      const signed = await approveProposal(deployment, await readProposal(file), new Wallet(await memberKey(o, deployment), provider))
      await writeJson(file, signed)
      return { action: 'approve', safeTxHash: signed.safeTxHash, approvals: signed.signatures.length, state: await proposalState(provider, signed) }
    })))
  council.command('execute').summary('take a proposal\'s next step: the Safe transaction, or after the notice the timelock\'s execution')
    .option('--chain <file>', 'the deployment file', defaultDeploymentPath)
    .option('--key-file <file>', 'file holding the key that pays the gas (anyone may execute an approved proposal)')
    .option('--dev-account <n>', devHelp, wholeNumber(0, 9))
    .argument('<file>', 'the proposal file')
    .action(act(async (file, o) => await onDeployment(o.chain, async (deployment, provider) => {
      const result = await executeProposal(deployment, await readProposal(file), new Wallet(await memberKey(o, deployment), provider))
      return { action: 'execute', step: result.step, transactionHash: result.receipt.hash, blockNumber: result.receipt.blockNumber, ...(result.readyAt === undefined ? {} : { readyAt: result.readyAt }) }
    })))
  council.command('status').summary('where a proposal stands (no key needed)')
    .argument('<file>', 'the proposal file')
    .option('--chain <file>', 'the deployment file', defaultDeploymentPath)
    .action(act(async (file, o) => await onDeployment(o.chain, async (_, provider) => {
      const proposal = await readProposal(file)
      return { action: 'status', method: proposal.action.method, ...await proposalState(provider, proposal) }
    })))
  council.command('pending').summary('every change scheduled on the council\'s timelock and not yet executed (no key needed)')
    .option('--chain <file>', 'the deployment file', defaultDeploymentPath)
    .action(act(async (o) => await onDeployment(o.chain, async (deployment, provider) => ({ action: 'pending', changes: await readPendingChanges(provider, deployment) }))))
  council.command('export-safe').summary('write a proposal as a Safe Transaction Builder JSON file, for the Safe web app')
    .argument('<file>', 'the proposal file')
    .requiredOption('--out <file>', 'the JSON file to write')
    .action(act(async (file, o) => {
      await writeJson(o.out, toSafeTxBuilderJson(await readProposal(file)))
      console.log(JSON.stringify({ action: 'export-safe', file: o.out }))
      return 0
    }))
}
