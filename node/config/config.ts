// Loading, validating and saving `<dir>/config.json`. Every rule broken is an InvalidConfigError naming the
// field (a JSON pointer), so `porchlight start` can say exactly what to fix.
import { readFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { Ajv, type ErrorObject } from 'ajv'
import { multiaddr } from '@multiformats/multiaddr'
import { getAddress } from 'ethers'
import { configSchema, chainEndpointSchema, defaults, type AuditConfig, type NodeConfig, type ChainEndpoint, type RecordingConfig, type NotifyConfig } from './schema.js'
import { InvalidConfigError, NodeNotFoundError } from './errors.js'
import { nodePaths } from './paths.js'
import { writeFileAtomic } from './atomic.js'
import { isCategory } from '../../protocol/limits/index.js'

const ajv = new Ajv({ useDefaults: true, allErrors: false, strict: true, allowUnionTypes: true, discriminator: true })
const validateConfig = ajv.compile(configSchema)
const validateEndpoint = ajv.compile(chainEndpointSchema)

function fromAjv (error: ErrorObject | undefined, file: string | undefined): InvalidConfigError {
  const missing = (error?.params as { missingProperty?: string, additionalProperty?: string } | undefined)
  const field = `${error?.instancePath ?? ''}${missing?.missingProperty !== undefined ? `/${missing.missingProperty}` : ''}${missing?.additionalProperty !== undefined ? `/${missing.additionalProperty}` : ''}`
  const reason = missing?.additionalProperty !== undefined ? 'is not a known setting' : (error?.message ?? 'is invalid')
  return new InvalidConfigError({ field, reason, ...(file === undefined ? {} : { file }) })
}

function checkMultiaddrs (list: string[] | undefined, field: string, file: string | undefined, needPeerId = false): void {
  for (const [i, text] of (list ?? []).entries()) {
    const where = { field: `${field}/${i}`, value: text, ...(file === undefined ? {} : { file }) }
    let ma
    try {
      ma = multiaddr(text)
    } catch {
      throw new InvalidConfigError({ ...where, reason: 'is not a multiaddr' })
    }
    if (needPeerId && ma.getComponents().every((c) => c.name !== 'p2p')) {
      throw new InvalidConfigError({ ...where, reason: 'needs a /p2p/<peer id> component' })
    }
  }
}

function checkEndpoint (endpoint: ChainEndpoint, field: string, file: string | undefined): ChainEndpoint {
  const contracts = { ...endpoint.contracts }
  for (const name of ['AgencyRegistry', 'AuditAnchor', 'WitnessRegistry', 'AnchorRelay'] as const) {
    if (endpoint.contracts[name] === undefined) continue
    try {
      contracts[name] = getAddress(endpoint.contracts[name])
    } catch {
      throw new InvalidConfigError({ field: `${field}/contracts/${name}`, reason: 'fails its EIP-55 checksum', value: endpoint.contracts[name], ...(file === undefined ? {} : { file }) })
    }
  }
  return { ...endpoint, contracts }
}

/** An auditor's settings with defaults filled, log addresses checksummed and multiaddr endpoints parsed. */
function checkAudit (audit: Partial<AuditConfig> | undefined, file: string | undefined): AuditConfig {
  const logs: Record<string, string> = {}
  for (const [agency, endpoint] of Object.entries(audit?.logs ?? {})) {
    let address: string
    try {
      address = getAddress(agency)
    } catch {
      throw new InvalidConfigError({ field: `/audit/logs/${agency}`, reason: 'fails its EIP-55 checksum', value: agency, ...(file === undefined ? {} : { file }) })
    }
    if (endpoint.startsWith('/')) checkMultiaddrs([endpoint], `/audit/logs/${agency}`, file, true)
    logs[address] = endpoint
  }
  return { ...defaults.audit, peers: [], ...audit, logs }
}

function isTimeZone (zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone }).format(0)
    return true
  } catch {
    return false
  }
}

/** Validates a parsed config.json, filling defaults; throws InvalidConfigError. Does not modify `value`. */
export function parseConfig (value: unknown, file?: string): NodeConfig {
  const config = structuredClone(value)
  if (!validateConfig(config)) throw fromAjv(validateConfig.errors?.[0], file)
  // JSON Schema spells "optional" as nullable; an explicit null means the same as leaving the key out.
  for (const key of ['announce', 'anchorIntervalSeconds', 'inboxPolicy', 'audit', 'witness', 'footage', 'network', 'delivery', 'keys'] as const) if (config[key] === null) delete config[key]
  if (config.network !== undefined) for (const key of ['upnp', 'reservations'] as const) if (config.network[key] === null) delete config.network[key]
  const at = (field: string, reason: string, v?: unknown): InvalidConfigError =>
    new InvalidConfigError({ field, reason, ...(v === undefined ? {} : { value: v }), ...(file === undefined ? {} : { file }) })
  checkMultiaddrs(config.listen, '/listen', file)
  checkMultiaddrs(config.announce, '/announce', file)
  checkMultiaddrs(config.bootstrap, '/bootstrap', file, true)
  if (config.role !== 'resident' && config.cameras.length > 0) throw at('/cameras', `are for residents only, not ${config.role}s`)
  const names = new Set<string>()
  for (const [i, camera] of config.cameras.entries()) {
    if (names.has(camera.name)) throw at(`/cameras/${i}/name`, 'is used twice', camera.name)
    names.add(camera.name)
    if ((camera as { direction?: number | null }).direction === null) delete camera.direction
    if (camera.source !== undefined && camera.source.kind !== 'folder') {
      // The schema checks the scheme; a URL that does not parse would fail only when the recorder starts.
      if (!URL.canParse(camera.source.url)) throw at(`/cameras/${i}/source/url`, 'is not a URL')
    }
  }
  if (config.recording === null) delete config.recording
  if (config.role !== 'resident' && config.recording !== undefined) throw at('/recording', 'is for residents only')
  if (config.role === 'agency') config.anchorIntervalSeconds ??= defaults.anchorIntervalSeconds
  else if (config.anchorIntervalSeconds !== undefined) throw at('/anchorIntervalSeconds', 'is for agencies only')
  if (config.role !== 'agency' && config.footage !== undefined) throw at('/footage', 'is for agencies only')
  if (config.keys?.kms === null) delete config.keys.kms
  if (config.role !== 'agency' && config.keys !== undefined) throw at('/keys', 'is for agencies only (the operator\'s secret seals request keys)')
  if (config.role === 'auditor') config.audit = checkAudit(config.audit, file)
  else if (config.audit !== undefined) throw at('/audit', 'is for auditors only')
  if (config.role === 'witness' && config.witness === undefined) throw at('/witness', 'is required for witnesses (its key name)')
  if (config.role !== 'witness' && config.witness !== undefined) throw at('/witness', 'is for witnesses only')
  if (config.role !== 'resident' && config.delivery !== undefined) throw at('/delivery', 'is for residents only')
  if (config.notify === null) delete config.notify
  if (config.notify !== undefined) checkNotify(config.notify, config.role, at)
  if (config.ui === null) delete config.ui
  if (config.ui?.geocoder === null) delete config.ui.geocoder
  if (config.ui?.map !== undefined) {
    const map = config.ui.map
    if ('style' in map && !URL.canParse(map.style)) throw at('/ui/map/style', 'is not a URL')
    if ('tiles' in map && !URL.canParse(map.tiles.replace(/\{[zxy]\}/g, '0'))) throw at('/ui/map/tiles', 'is not a URL template')
  }
  if (config.ui?.geocoder !== undefined && !URL.canParse(config.ui.geocoder.url)) throw at('/ui/geocoder/url', 'is not a URL')
  if (config.agency === null) delete config.agency
  if (config.agency !== undefined) {
    if (config.role !== 'agency') throw at('/agency', 'is for agencies only')
    if (config.agency.timeZone === null) delete config.agency.timeZone
    // Intl knows the IANA names the browser will be handed; an unknown one would throw in every page.
    if (config.agency.timeZone !== undefined && !isTimeZone(config.agency.timeZone)) throw at('/agency/timeZone', 'is not an IANA time zone', config.agency.timeZone)
  }
  if (typeof config.chain === 'object') config.chain = checkEndpoint(config.chain, '/chain', file)
  if (config.inboxPolicy !== undefined) {
    if (config.role !== 'resident') throw at('/inboxPolicy', 'is for residents only')
    for (const [i, category] of config.inboxPolicy.ignoreCategories.entries()) {
      if (!isCategory(category)) throw at(`/inboxPolicy/ignoreCategories/${i}`, 'is not a request category', category)
    }
    config.inboxPolicy.ignoreAgencies = config.inboxPolicy.ignoreAgencies.map((a, i) => {
      try { return getAddress(a) } catch { throw at(`/inboxPolicy/ignoreAgencies/${i}`, 'fails its EIP-55 checksum', a) }
    })
  }
  return config
}

/** A resident's notification channels: nulls dropped (nullable means optional), URLs that parse. */
function checkNotify (notify: NotifyConfig, role: NodeConfig['role'], at: (field: string, reason: string, v?: unknown) => InvalidConfigError): void {
  if (role !== 'resident') throw at('/notify', 'is for residents only')
  const dropNulls = (o: object): void => { for (const [k, v] of Object.entries(o)) if (v === null) delete (o as Record<string, unknown>)[k] }
  dropNulls(notify)
  for (const channel of [notify.mqtt, notify.webhook, notify.email]) if (channel !== undefined) dropNulls(channel)
  if (notify.link !== undefined && !URL.canParse(notify.link)) throw at('/notify/link', 'is not a URL')
  for (const [name, url] of [['mqtt', notify.mqtt?.url], ['webhook', notify.webhook?.url]] as const) {
    if (url === undefined) continue
    if (!URL.canParse(url)) throw at(`/notify/${name}/url`, 'is not a URL')
    // A password in the URL would be shown wherever the URL is: it goes in its own field (or the token).
    const parsed = new URL(url)
    if (parsed.password !== '') throw at(`/notify/${name}/url`, 'carries a password: put it in the channel\'s password or token field')
  }
  if (notify.webhook?.format === 'ntfy' && new URL(notify.webhook.url).pathname.split('/').filter((s) => s !== '').length !== 1) {
    throw at('/notify/webhook/url', 'is not an ntfy topic URL (https://<server>/<topic>)')
  }
}

/** A resident's recording settings with every key left out at its default (like resolveNetwork: config.json keeps what was written). */
export function resolveRecording (config: NodeConfig): RecordingConfig {
  return { ...defaults.recording, ...config.recording }
}

/** Reads and validates `<dir>/config.json`. */
export async function loadConfig (dir: string): Promise<NodeConfig> {
  const file = nodePaths(dir).config
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NodeNotFoundError(dir)
    throw err
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new InvalidConfigError({ field: '', reason: 'is not JSON', file })
  }
  return parseConfig(json, file)
}

/** Validates and writes `<dir>/config.json` atomically. */
export async function saveConfig (dir: string, config: NodeConfig): Promise<void> {
  const valid = parseConfig(config)
  // The documented order, whatever order defaults were filled in (keys not listed here follow).
  const order = ['version', 'role', 'name', 'listen', 'announce', 'bootstrap', 'mdns', 'api', 'chain', 'cameras', 'anchorIntervalSeconds', 'inboxPolicy', 'footage', 'audit', 'witness', 'network', 'delivery', 'notify', 'keys'] as const
  const ordered = Object.assign(Object.fromEntries(order.filter((k) => valid[k] !== undefined).map((k) => [k, undefined])), valid)
  await writeFileAtomic(nodePaths(dir).config, JSON.stringify(ordered, null, 2) + '\n', 0o644)
}

/** The chain endpoint a config names: inline, or read from its deployment file (relative to `dir`). */
export async function resolveChain (config: NodeConfig, dir: string): Promise<ChainEndpoint | undefined> {
  if (config.chain === undefined) return undefined
  if (typeof config.chain !== 'string') return config.chain
  const file = isAbsolute(config.chain) ? config.chain : join(dir, config.chain)
  let json: unknown
  try {
    json = JSON.parse(await readFile(file, 'utf8'))
  } catch (err) {
    throw new InvalidConfigError({ field: '/chain', reason: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'names a file that does not exist' : 'names a file that is not JSON', value: config.chain })
  }
  // A deployment file may carry more than the endpoint (deployer, block numbers); take what we need.
  const { rpc, chainId, contracts, confirmations } = (json ?? {}) as Partial<ChainEndpoint>
  const endpoint = {
    rpc,
    chainId,
    contracts: contracts === undefined
      ? undefined
      : { AgencyRegistry: contracts.AgencyRegistry, AuditAnchor: contracts.AuditAnchor, WitnessRegistry: contracts.WitnessRegistry, ...(contracts.AnchorRelay === undefined ? {} : { AnchorRelay: contracts.AnchorRelay }) },
    ...(confirmations === undefined ? {} : { confirmations })
  }
  if (!validateEndpoint(endpoint)) throw fromAjv(validateEndpoint.errors?.[0], file)
  return checkEndpoint(endpoint, '', file)
}
