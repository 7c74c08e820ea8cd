// `<dir>/node.json`: what a running node tells the programs beside it (tests, the demo, the simulator)
// about itself, chiefly the ports the OS chose. Written atomically after start, removed on a clean stop.
import { readFile, unlink } from 'node:fs/promises'
import { nodePaths, writeFileAtomic, type Role } from './config/index.js'
import type { ReachabilityStatus } from './p2p/reachability.js'

export interface NodeInfo {
  role: Role
  name: string
  peerId: string
  /** libp2p addresses, each ending in /p2p/<peerId>. */
  addrs: string[]
  /**
   * Whether peers can dial this node (node/p2p/reachability.ts): `public` once a public address was
   * confirmed, `private` when none can be (behind a NAT, reached through relays), `unknown` before either.
   */
  reachability: ReachabilityStatus
  /**
   * The HTTP API, when it listens. Over HTTPS (node/api/tls.ts) with its certificate (PEM, public) and that
   * certificate's SHA-256: what the CLI beside it pins.
   */
  api?: { host: string, port: number, url: string, certificate?: string, fingerprint?: string }
  /** Agencies: the Ethereum address the council registers. */
  address?: string
  /** The process running the node (a file left by a crash names a dead one). */
  pid: number
  startedAt: string
}

export async function writeNodeInfo (dir: string, info: NodeInfo): Promise<void> {
  await writeFileAtomic(nodePaths(dir).nodeInfo, JSON.stringify(info, null, 2) + '\n')
}

export async function removeNodeInfo (dir: string): Promise<void> {
  await unlink(nodePaths(dir).nodeInfo).catch(() => {})
}

/** Reads node.json; undefined while the node has not started. */
export async function readNodeInfo (dir: string): Promise<NodeInfo | undefined> {
  try {
    return JSON.parse(await readFile(nodePaths(dir).nodeInfo, 'utf8')) as NodeInfo
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}
