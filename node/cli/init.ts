// `porchlight init`: creates a node's directory (config, keys, API token).
import { resolve } from 'node:path'
import { InvalidArgumentError, Option, type Command } from '@commander-js/extra-typings'
import { UsageError, act, collect, wholeNumber } from './command.js'
import { defaults, initNode, roles, type Camera } from '../config/index.js'
import { loadApiTls } from '../api/tls.js'

function parseCamera (text: string): Camera {
  const match = /^([^:]+):(-?[\d.]+),(-?[\d.]+)$/.exec(text)
  if (match === null) throw new InvalidArgumentError('expected NAME:LAT,LNG')
  return { name: match[1]!, lat: Number(match[2]), lng: Number(match[3]) }
}

/** `ADDR=ENDPOINT` pairs (the same flag `porchlight audit` takes). */
export function parseLogEndpoints (pairs: readonly string[]): Record<string, string> {
  const logs: Record<string, string> = {}
  for (const pair of pairs) {
    const match = /^(0x[0-9a-fA-F]{40})=(.+)$/.exec(pair)
    if (match === null) throw new UsageError(`--log '${pair}': expected ADDRESS=URL or ADDRESS=MULTIADDR`)
    logs[match[1]!] = match[2]!
  }
  return logs
}

export function addInitCommand (program: Command): void {
  program.command('init')
    .summary('create a node (config, keys, API token) in a directory')
    .description('Creates a node in DIR: config.json, keys/ (mode 0600) and api-token. Refuses if DIR already holds a node.')
    .addOption(new Option('--role <role>', 'what the node is').choices(roles).makeOptionMandatory())
    .requiredOption('--dir <dir>', 'the node\'s directory')
    .option('--name <name>', 'a label for people (default: <role>-<end of the peer id>)')
    .option('--camera <name:lat,lng>', 'a resident\'s camera; repeat for more (its position never leaves the node)', (v, prev: Camera[] | undefined) => [...(prev ?? []), parseCamera(v)])
    .option('--bootstrap <multiaddr>', 'a peer to dial at start, with /p2p/<id>; repeat for more', collect)
    .option('--listen <multiaddr>', `libp2p listen address; repeat for more (default ${defaults.listen.join(' ')})`, collect)
    .option('--chain <file>', 'the deployment file written by `porchlight chain`')
    .option('--api-host <host>', `HTTP API address (default ${defaults.api.host}; a resident's or agency's address on the home network serves HTTPS with a certificate made now; 0.0.0.0 in a container, where a published port or a reverse proxy reaches it)`)
    .option('--api-port <port>', `HTTP API port (default ${defaults.api.port}: the OS picks; see DIR/node.json)`, wholeNumber(0, 65535))
    .option('--mdns', 'discover peers on the local network')
    .option('--anchor-interval <secs>', `agencies: how often to anchor the log (default ${defaults.anchorIntervalSeconds}); auditors: the interval agencies promise, flagged when exceeded (default ${defaults.audit.anchorIntervalSeconds})`, wholeNumber(0))
    .option('--log <addr=endpoint>', 'auditors: where an agency\'s log is read (http(s) base URL or multiaddr); repeat', collect)
    .option('--peer <url>', 'auditors: another auditor\'s report URL, for split-view checks; repeat', collect)
    .option('--chain-id <id>', 'witnesses without --chain: the chain whose agencies\' logs it cosigns', wholeNumber(1))
    .option('--url <url>', 'witnesses: the public HTTP base URL GET /api/witness gives out')
    .action(act(async (o) => {
      if (o.camera !== undefined && o.role !== 'resident') throw new UsageError('--camera is for residents only')
      if ((o.log !== undefined || o.peer !== undefined) && o.role !== 'auditor') throw new UsageError('--log and --peer are for auditors only')
      if ((o.chainId !== undefined || o.url !== undefined) && o.role !== 'witness') throw new UsageError('--chain-id and --url are for witnesses only')
      if (o.role === 'witness' && o.chain === undefined && o.chainId === undefined) throw new UsageError('a witness needs --chain or --chain-id (the chain whose agencies it witnesses)')
      // Its name is its signed-note key name: no spaces or plus (C2SP).
      if (o.role === 'witness' && o.name !== undefined && !/^[^\s+]+$/u.test(o.name)) throw new UsageError('--name: a witness name has no spaces or plus (it is its key name)')
      const auditor = o.role === 'auditor'
      const result = await initNode(o.dir, {
        role: o.role,
        ...(o.name === undefined ? {} : { name: o.name }),
        ...(o.camera === undefined ? {} : { cameras: o.camera }),
        ...(o.bootstrap === undefined ? {} : { bootstrap: o.bootstrap }),
        ...(o.listen === undefined ? {} : { listen: o.listen }),
        // Stored absolute: the config resolves relative paths against the node's directory, not the shell's.
        ...(o.chain === undefined ? {} : { chain: resolve(o.chain) }),
        ...(o.apiHost === undefined ? {} : { apiHost: o.apiHost }),
        ...(o.apiPort === undefined ? {} : { apiPort: o.apiPort }),
        ...(o.mdns === true ? { mdns: true } : {}),
        ...(o.anchorInterval === undefined || auditor ? {} : { anchorIntervalSeconds: o.anchorInterval }),
        ...(auditor
          ? {
              audit: {
                ...(o.log === undefined ? {} : { logs: parseLogEndpoints(o.log) }),
                ...(o.peer === undefined ? {} : { peers: o.peer }),
                ...(o.anchorInterval === undefined ? {} : { anchorIntervalSeconds: o.anchorInterval })
              }
            }
          : {}),
        ...(o.role === 'witness'
          ? { witness: { ...(o.chainId === undefined ? {} : { chainId: o.chainId }), ...(o.url === undefined ? {} : { url: o.url }) } }
          : {})
      })
      console.log(`initialised ${result.config.role} '${result.config.name}' in ${o.dir}`)
      console.log(`peer id: ${result.peerId}`)
      if (result.address !== undefined) console.log(`agency address: ${result.address} (register it with the council)`)
      if (result.vkey !== undefined) console.log(`witness vkey: ${result.vkey} (register it with the council)`)
      // Made now rather than at the first start, so its fingerprint can be noted before any phone is paired.
      const tls = await loadApiTls(o.dir, result.config)
      if (tls !== undefined) console.log(`API certificate (HTTPS on ${result.config.api.host}) SHA-256: ${tls.fingerprint}`)
      return 0
    }))
}
