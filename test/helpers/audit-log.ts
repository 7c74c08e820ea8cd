// A stand-in agency log for auditor tests: entries in a MemoryTree, served per C2SP tlog-tiles over HTTP
// (port 0) at any chosen size, with hooks to tamper with what is served. Plus valid log entries dated
// around a given time, signed by a given agency key for a given chain.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cellToParent } from 'h3-js'
import { getBytes } from 'ethers'
import { clipCid } from '../../protocol/codec/index.js'
import { areaFromCircle } from '../../protocol/geo/index.js'
import { encodeLogEntry, requestId, type LogEntry, type Request } from '../../protocol/messages/index.js'
import { signTyped, addressOfPrivateKey, type Domain } from '../../protocol/signing/index.js'
import {
  MemoryTree, TILE_HEIGHT, TILE_WIDTH, checkpointOrigin, encodeEntryBundle, encodeHashTile, parseTilePath, signCheckpoint
} from '../../protocol/tlog/index.js'
import { ageRecipientOf, peerIdOf } from './messages.js'

/** The incident area every generated request uses (Seattle), and a jurisdiction (res 7) that holds it. */
export const AREA = areaFromCircle(47.6062, -122.3321, 300)
export const JURISDICTION = [...new Set(AREA.map((c) => cellToParent(c, 7)))].sort()

export function sampleRequestAt (agency: string, issuedAt: number, n: number, overrides: Partial<Request> = {}): Request {
  return {
    agency,
    caseCode: `CASE-${n}`,
    title: `Incident ${n}`,
    details: '',
    category: 'burglary',
    cells: AREA,
    windowStart: issuedAt - 3 * 3600,
    windowEnd: issuedAt - 3600,
    issuedAt,
    expiresAt: issuedAt + 48 * 3600,
    recipient: ageRecipientOf(new Uint8Array(32).fill(9)),
    peerId: peerIdOf(new Uint8Array(32).fill(5)),
    addrs: ['/ip4/203.0.113.7/tcp/4001'],
    retentionDays: 30,
    nonce: '0x' + n.toString(16).padStart(64, '0'),
    ...overrides
  }
}

export function clipOf (n: number): string {
  return clipCid(Uint8Array.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, 1)).toString()
}

/**
 * `count` valid entries dated from `start`, one second apart: cycles of a request, two deliveries for it
 * and accesses of their clips. Only the request entries are signed (with `agencyKey`).
 */
export function buildEntries (agencyKey: string, domain: Domain, start: number, count: number): LogEntry[] {
  const agency = addressOfPrivateKey(agencyKey)
  const out: LogEntry[] = []
  let request = ''
  let clip = ''
  for (let i = 0; out.length < count; i++) {
    const at = start + out.length
    switch (i % 8) {
      case 0: {
        const signed = signTyped('Request', sampleRequestAt(agency, at, i), domain, agencyKey)
        request = requestId(signed)
        out.push({ kind: 'request', request: signed })
        break
      }
      case 1: case 2:
        clip = clipOf(i)
        out.push({ kind: 'delivery', request, consent: request, clips: [{ cid: clip, size: 1000 + i }], at })
        break
      default:
        out.push({ kind: 'access', clip, actor: `officer-${i % 5}`, purpose: 'review', at })
    }
  }
  return out
}

export interface LogView {
  /** The entries served (bytes), in order. */
  entries: Uint8Array[]
  /** The size of the checkpoint served. @default entries.length */
  size?: number
  /** Entry bytes served in bundles instead of the ones hashed into the tree (a database edited later). */
  servedEntries?: Map<number, Uint8Array>
  /** Rewrites a resource before it is served. */
  tamper?: (path: string, bytes: Uint8Array) => Uint8Array
}

/** Serves one agency's log view; `view` may be swapped at any time. */
export class LogFixture {
  readonly origin: string
  readonly #key: Uint8Array
  view: LogView
  #tree: MemoryTree | undefined
  #treeOf: Uint8Array[] | undefined
  #server: Server | undefined
  /** Paths requested, in order. */
  readonly requests: string[] = []

  constructor (agencyKey: string, chainId: number, view: LogView) {
    this.#key = getBytes(agencyKey)
    this.origin = checkpointOrigin(chainId, addressOfPrivateKey(agencyKey))
    this.view = view
  }

  tree (): MemoryTree {
    if (this.#treeOf !== this.view.entries) {
      const tree = new MemoryTree()
      for (const e of this.view.entries) tree.append(e)
      this.#tree = tree
      this.#treeOf = this.view.entries
    }
    return this.#tree!
  }

  get size (): number {
    return this.view.size ?? this.view.entries.length
  }

  rootAt (size: number): Uint8Array {
    return this.tree().rootAt(size)
  }

  checkpoint (size = this.size): string {
    return signCheckpoint({ origin: this.origin, size, root: this.rootAt(size) }, this.#key)
  }

  /** The bytes at `path`, or undefined (404). */
  resource (path: string): Uint8Array | undefined {
    const size = this.size
    let bytes: Uint8Array
    if (path === 'checkpoint') {
      bytes = new TextEncoder().encode(this.checkpoint(size))
    } else {
      let info
      try { info = parseTilePath(path) } catch { return undefined }
      const level = info.kind === 'hash' ? info.level : 0
      const first = info.index * TILE_WIDTH
      if (first + info.width > Math.floor(size / TILE_WIDTH ** level)) return undefined
      const tree = this.tree()
      bytes = info.kind === 'hash'
        ? encodeHashTile(Array.from({ length: info.width }, (_, i) => tree.getHash(level * TILE_HEIGHT, first + i)))
        : encodeEntryBundle(Array.from({ length: info.width }, (_, i) => this.view.servedEntries?.get(first + i) ?? this.view.entries[first + i]!))
    }
    return this.view.tamper === undefined ? bytes : this.view.tamper(path, bytes)
  }

  /** Starts serving on 127.0.0.1, port 0; returns the base URL. */
  async listen (): Promise<string> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').slice(1)
      this.requests.push(path)
      const bytes = this.resource(path)
      if (bytes === undefined) { res.writeHead(404).end(); return }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length }).end(bytes)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    this.#server = server
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  async close (): Promise<void> {
    const server = this.#server
    if (server === undefined) return
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

export function encodeEntries (entries: readonly LogEntry[]): Uint8Array[] {
  return entries.map((e) => encodeLogEntry(e))
}
