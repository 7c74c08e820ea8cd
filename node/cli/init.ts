import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { UsageError, type Command } from './command.js'
import { initNode, roles, type Camera, type Role } from '../config/index.js'

const usage = `usage: porchlight init --role resident|agency|auditor --dir DIR [options]

Creates a node in DIR: config.json, keys/ (mode 0600) and api-token. Refuses if DIR already holds a node.

options:
  --name NAME              a label for people (default: <role>-<end of the peer id>)
  --camera NAME:LAT,LNG    a resident's camera; repeat for more (its position never leaves the node)
  --bootstrap MULTIADDR    a peer to dial at start, with /p2p/<id>; repeat for more
  --listen MULTIADDR       libp2p listen address; repeat for more (default /ip4/127.0.0.1/tcp/0)
  --chain FILE             the deployment file written by \`porchlight chain\`
  --api-port PORT          HTTP API port on 127.0.0.1 (default 0: the OS picks; see DIR/node.json)
  --mdns                   discover peers on the local network
  --anchor-interval SECS   agencies: how often to anchor the log (default 600)`

function parseCamera (text: string): Camera {
  const match = /^([^:]+):(-?[\d.]+),(-?[\d.]+)$/.exec(text)
  if (match === null) throw new UsageError(`--camera '${text}': expected NAME:LAT,LNG`)
  return { name: match[1]!, lat: Number(match[2]), lng: Number(match[3]) }
}

function parseInteger (flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} '${text}': expected a whole number`)
  return Number(text)
}

export const init: Command = {
  name: 'init',
  summary: 'create a node (config, keys, API token) in a directory',
  usage,
  async run (argv) {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        role: { type: 'string' },
        dir: { type: 'string' },
        name: { type: 'string' },
        camera: { type: 'string', multiple: true },
        bootstrap: { type: 'string', multiple: true },
        listen: { type: 'string', multiple: true },
        chain: { type: 'string' },
        'api-port': { type: 'string' },
        mdns: { type: 'boolean' },
        'anchor-interval': { type: 'string' }
      }
    })
    if (values.role === undefined || !roles.includes(values.role as Role)) throw new UsageError('--role must be resident, agency or auditor')
    if (values.dir === undefined) throw new UsageError('--dir is required')
    if (values.camera !== undefined && values.role !== 'resident') throw new UsageError('--camera is for residents only')
    const apiPort = parseInteger('--api-port', values['api-port'])
    const anchorIntervalSeconds = parseInteger('--anchor-interval', values['anchor-interval'])
    const result = await initNode(values.dir, {
      role: values.role as Role,
      ...(values.name === undefined ? {} : { name: values.name }),
      ...(values.camera === undefined ? {} : { cameras: values.camera.map(parseCamera) }),
      ...(values.bootstrap === undefined ? {} : { bootstrap: values.bootstrap }),
      ...(values.listen === undefined ? {} : { listen: values.listen }),
      // Stored absolute: the config resolves relative paths against the node's directory, not the shell's.
      ...(values.chain === undefined ? {} : { chain: resolve(values.chain) }),
      ...(apiPort === undefined ? {} : { apiPort }),
      ...(values.mdns === true ? { mdns: true } : {}),
      ...(anchorIntervalSeconds === undefined ? {} : { anchorIntervalSeconds })
    })
    console.log(`initialised ${result.config.role} '${result.config.name}' in ${values.dir}`)
    console.log(`peer id: ${result.peerId}`)
    if (result.address !== undefined) console.log(`agency address: ${result.address} (register it with the council)`)
    return 0
  }
}
