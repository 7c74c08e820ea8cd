// `porchlight init`: a new node's directory — config.json, keys/ and api-token. It never overwrites: an
// existing node's keys are its identity (and, for an agency, its registration on chain).
import { access, mkdir } from 'node:fs/promises'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ed25519 } from '@noble/curves/ed25519.js'
import { encodeVerifierKey } from '../../protocol/tlog/index.js'
import { parseConfig, saveConfig } from './config.js'
import { generateKeys, writeKeys, agencyAddress, type NodeKeys } from './keys.js'
import { NodeExistsError } from './errors.js'
import { nodePaths } from './paths.js'
import type { AgencyConfig, AuditConfig, Camera, ChainEndpoint, NodeConfig, Role, WitnessConfig } from './schema.js'

export interface InitOptions {
  role: Role
  /** @default '<role>-<last 6 characters of the peer id>' */
  name?: string
  cameras?: Camera[]
  bootstrap?: string[]
  listen?: string[]
  chain?: string | ChainEndpoint
  mdns?: boolean
  apiHost?: string
  apiPort?: number
  anchorIntervalSeconds?: number
  /** Agencies: where the agency is (its time zone). */
  agency?: AgencyConfig
  /** Auditors: log endpoints, peers and the promised anchoring interval. */
  audit?: Partial<AuditConfig>
  /** Witnesses: the chain id without a chain, the origin bound, the public URL (the key name is the node's name). */
  witness?: Omit<WitnessConfig, 'name'>
}

export interface InitResult {
  config: NodeConfig
  keys: NodeKeys
  peerId: string
  /** Agencies: the Ethereum address the council registers. */
  address?: string
  /** Witnesses: the verifier key the council registers. */
  vkey?: string
}

async function exists (path: string): Promise<boolean> {
  return await access(path).then(() => true, () => false)
}

export async function initNode (dir: string, options: InitOptions): Promise<InitResult> {
  const paths = nodePaths(dir)
  if (await exists(paths.config) || await exists(paths.keys)) throw new NodeExistsError(dir)
  const keys = await generateKeys(options.role)
  const peerId = peerIdFromPrivateKey(keys.peerKey).toString()
  // Validate everything before writing anything, so a bad flag leaves no half-made node behind.
  const name = options.name ?? `${options.role}-${peerId.slice(-6)}`
  const config = parseConfig({
    version: 1,
    role: options.role,
    name,
    ...(options.listen === undefined ? {} : { listen: options.listen }),
    bootstrap: options.bootstrap ?? [],
    mdns: options.mdns ?? false,
    api: { host: options.apiHost ?? '127.0.0.1', port: options.apiPort ?? 0 },
    ...(options.chain === undefined ? {} : { chain: options.chain }),
    ...(options.role === 'resident' ? { cameras: options.cameras ?? [] } : options.cameras === undefined ? {} : { cameras: options.cameras }),
    ...(options.anchorIntervalSeconds === undefined ? {} : { anchorIntervalSeconds: options.anchorIntervalSeconds }),
    ...(options.audit === undefined ? {} : { audit: options.audit }),
    ...(options.agency === undefined ? {} : { agency: options.agency }),
    // A witness's key name is its node name, so the vkey says which node it is.
    ...(options.role === 'witness' ? { witness: { name, ...options.witness } } : options.witness === undefined ? {} : { witness: options.witness })
  })
  await mkdir(dir, { recursive: true })
  // Keys first, config last: config.json is what marks a finished node.
  await writeKeys(dir, keys)
  await saveConfig(dir, config)
  return {
    config,
    keys,
    peerId,
    ...(keys.agencyKey === undefined ? {} : { address: agencyAddress(keys.agencyKey) }),
    ...(keys.witnessKey === undefined ? {} : { vkey: encodeVerifierKey(name, ed25519.getPublicKey(keys.witnessKey)) })
  }
}
