import { join } from 'node:path'

/** Where a node keeps each of its files inside its directory. */
export interface NodePaths {
  dir: string
  config: string
  keys: string
  peerKey: string
  agencyKey: string
  /** Witnesses only: the Ed25519 cosigning key, 64 hex digits. */
  witnessKey: string
  apiToken: string
  /** The API's own certificate and key (PEM), made when it serves HTTPS without a supplied one (node/api/tls.ts). */
  apiCert: string
  apiKey: string
  db: string
  nodeInfo: string
}

export function nodePaths (dir: string): NodePaths {
  const keys = join(dir, 'keys')
  return {
    dir,
    config: join(dir, 'config.json'),
    keys,
    peerKey: join(keys, 'peer.key'),
    agencyKey: join(keys, 'agency.key'),
    witnessKey: join(keys, 'witness.key'),
    apiToken: join(dir, 'api-token'),
    apiCert: join(keys, 'api-cert.pem'),
    apiKey: join(keys, 'api-key.pem'),
    db: join(dir, 'db'),
    nodeInfo: join(dir, 'node.json')
  }
}
