// `porchlight council …`: the registrar's operations on AgencyRegistry. The key is read from --key-file;
// on the embedded chain (chain id 31337) it defaults to development account 0, the council that
// `porchlight chain` deployed with. On any other chain --key-file is required.
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { isAddress } from 'ethers'
import { UsageError, type Command } from './command.js'
import { ChainClient, defaultDeploymentPath, devAccounts, embeddedChainId, readDeployment, type TxResult } from '../chain/index.js'

const usage = `usage: porchlight council <action> [options]

actions:
  register-agency  --address A --name N --cells C1,C2 --valid-until T
  update-agency    --address A --name N --cells C1,C2 --valid-until T
  suspend-agency   --address A [--reason R]
  reinstate-agency --address A
  revoke-agency    --address A [--reason R]
  show-agency      --address A

options:
  --chain FILE       the deployment file that \`porchlight chain\` writes (default ${defaultDeploymentPath})
  --key-file FILE    file holding the council's private key (0x-hex); defaults to development
                     account 0 on the embedded chain (chain id ${embeddedChainId}) only
  --cells            H3 cells of resolution ≤ 7, comma-separated (h3-js hex form)
  --valid-until      unix seconds or an ISO 8601 date

Prints the result as one JSON line.`

const options = {
  chain: { type: 'string' },
  'key-file': { type: 'string' },
  address: { type: 'string' },
  name: { type: 'string' },
  cells: { type: 'string' },
  'valid-until': { type: 'string' },
  reason: { type: 'string' }
} as const

function required (value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${flag} is required`)
  return value
}

function parseValidUntil (value: string): number {
  const seconds = /^\d+$/.test(value) ? Number(value) : Math.floor(Date.parse(value) / 1000)
  if (!Number.isSafeInteger(seconds)) throw new UsageError(`--valid-until must be unix seconds or an ISO date, got '${value}'`)
  return seconds
}

async function councilKey (keyFile: string | undefined, chainId: number): Promise<string> {
  if (keyFile !== undefined) return (await readFile(keyFile, 'utf8')).trim()
  if (chainId !== embeddedChainId) throw new UsageError(`--key-file is required on chain ${chainId} (the default key is for the embedded chain only)`)
  return devAccounts(1)[0]!.privateKey
}

export const councilCommand: Command = {
  name: 'council',
  summary: 'register, update, suspend, reinstate or revoke an agency (the council\'s registrar role)',
  usage,
  async run (argv) {
    const [action, ...rest] = argv
    const { values } = parseArgs({ args: rest, options, strict: true })
    const actions = ['register-agency', 'update-agency', 'suspend-agency', 'reinstate-agency', 'revoke-agency', 'show-agency']
    if (action === undefined || !actions.includes(action)) throw new UsageError(`unknown action '${action ?? ''}'`)
    const address = required(values.address, 'address')
    if (!isAddress(address)) throw new UsageError(`--address is not an Ethereum address: '${address}'`)
    const record = (): { name: string, cells: string[], validUntil: number } => ({
      name: required(values.name, 'name'),
      cells: required(values.cells, 'cells').split(',').map((c) => c.trim()).filter((c) => c !== ''),
      validUntil: parseValidUntil(required(values['valid-until'], 'valid-until'))
    })

    const deployment = await readDeployment(values.chain ?? defaultDeploymentPath)
    const privateKey = action === 'show-agency' ? undefined : await councilKey(values['key-file'], deployment.chainId)
    const client = await ChainClient.connect({ deployment, pollingIntervalMs: 0, ...(privateKey === undefined ? {} : { privateKey }) })
    try {
      let result: TxResult | object
      switch (action) {
        case 'register-agency': result = await client.registerAgency(address, record()); break
        case 'update-agency': result = await client.updateAgency(address, record()); break
        case 'suspend-agency': result = await client.suspendAgency(address, values.reason ?? ''); break
        case 'reinstate-agency': result = await client.reinstateAgency(address); break
        case 'revoke-agency': result = await client.revokeAgency(address, values.reason ?? ''); break
        default: result = await client.agencyInfo(address)
      }
      console.log(JSON.stringify({ action, ...result }))
      return 0
    } finally {
      await client.close()
    }
  }
}
