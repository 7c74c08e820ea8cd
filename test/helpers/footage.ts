// An agency and residents for footage tests: real libp2p nodes over TCP on 127.0.0.1, a FootageReceiver on
// the agency with an in-memory log (a MemoryTree whose checkpoints the agency key signs) and request book.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  MemoryTree, checkpointOrigin, encodeLogEntry, generateIdentity, identityToRecipient, requestId, signCheckpoint,
  signTyped, type Request, type SignedRequest
} from '../../protocol/index.js'
import { createPorchlightLibp2p, type PorchlightLibp2p } from '../../node/p2p/index.js'
import { nodeEnvelopeCrypto } from '../../node/crypto/index.js'
import { FOOTAGE_PROTOCOL } from '../../node/footage/index.js'
import { FootageReceiver, FootageVault, type AgencyRequestRecord, type DeliveryRecord, type FootageLog, type Statfs } from '../../node/deliveries/index.js'
import { defaults, type FootageLimits } from '../../node/config/index.js'
import type { Logger } from '../../node/logging/index.js'
import { AGENCY, AGENCY_KEY, DOMAIN, NOW, sampleRequest } from './messages.js'
import { fromHex as hexToBytes } from '../../protocol/index.js'

/** An append-only log in memory, checkpoints signed by the agency key, for the receiver. */
export class MemoryFootageLog implements FootageLog {
  readonly tree = new MemoryTree()
  readonly entries: Uint8Array[] = []
  /** Set to make the next append fail. */
  failNext = false

  async append (entry: Uint8Array): Promise<number> {
    if (this.failNext) { this.failNext = false; throw new Error('log write failed') }
    this.entries.push(entry)
    return this.tree.append(entry)
  }

  async proof (index: number): Promise<{ index: number, checkpoint: string, proof: Uint8Array[] }> {
    const size = this.tree.size
    const checkpoint = signCheckpoint({ origin: checkpointOrigin(DOMAIN.chainId, AGENCY), size, root: this.tree.root() }, hexToBytes(AGENCY_KEY))
    return { index, checkpoint, proof: this.tree.inclusionProof(index, size) }
  }

  async consistency (m: number, n: number): Promise<Uint8Array[]> {
    return this.tree.consistencyProof(m, n)
  }
}

export interface TestAgency {
  libp2p: PorchlightLibp2p
  receiver: FootageReceiver
  log: MemoryFootageLog
  vault: FootageVault
  requests: Map<string, AgencyRequestRecord>
  deliveries: Map<string, DeliveryRecord>
  identity: string
  recipient: string
  dir: string
  /** Signs a request naming this agency node, logs it, and books it as live. */
  issue: (overrides?: Partial<Request>, status?: AgencyRequestRecord['status']) => Promise<{ signed: SignedRequest, id: string }>
  stop: () => Promise<void>
}

export const now = (): number => NOW + 600

export interface StartAgencyInit {
  timeoutMs?: number
  /**
   * Runs before each write of received ciphertext to disk (one frame), with the bytes written so far in
   * this file and the frame's size: a test makes the agency's write path slow, failing or crashing here.
   */
  beforeWrite?: (written: number, bytes: number) => Promise<void> | void
  /** Overrides of the agency's delivery limits (config `footage`). */
  limits?: Partial<FootageLimits>
  /** The footage folder's free space. @default the real disk's */
  statfs?: Statfs
  logger?: Logger
}

export async function startAgency (init: StartAgencyInit = {}): Promise<TestAgency> {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-footage-'))
  const libp2p = await createPorchlightLibp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  const identity = await generateIdentity()
  const recipient = await identityToRecipient(identity)
  const log = new MemoryFootageLog()
  const vault = await FootageVault.open(join(dir, 'footage'))
  const beforeWrite = init.beforeWrite
  if (beforeWrite !== undefined) {
    const incoming = vault.incoming.bind(vault)
    vault.incoming = async () => {
      const taken = await incoming()
      const writev = taken.file.writev.bind(taken.file) as (pieces: Uint8Array[]) => Promise<unknown>
      let written = 0
      Object.assign(taken.file, {
        writev: async (pieces: Uint8Array[]) => {
          const bytes = pieces.reduce((n, p) => n + p.byteLength, 0)
          await beforeWrite(written, bytes)
          written += bytes
          return await writev(pieces)
        }
      })
      return taken
    }
  }
  const requests = new Map<string, AgencyRequestRecord>()
  const deliveries = new Map<string, DeliveryRecord>()
  const receiver = new FootageReceiver({
    book: { get: async (id) => requests.get(id) },
    log,
    vault,
    deliveries: { get: async (id) => deliveries.get(id), put: async (r) => { deliveries.set(r.consent, structuredClone(r)) } },
    domain: DOMAIN,
    agencyKey: AGENCY_KEY,
    crypto: nodeEnvelopeCrypto,
    now,
    limits: { ...defaults.footage, ...init.limits },
    ...(init.statfs === undefined ? {} : { statfs: init.statfs }),
    ...(init.logger === undefined ? {} : { logger: init.logger }),
    ...(init.timeoutMs === undefined ? {} : { timeoutMs: init.timeoutMs })
  })
  await libp2p.handle(FOOTAGE_PROTOCOL, async (stream, connection) => { await receiver.handle(stream, connection) })
  const issue = async (overrides: Partial<Request> = {}, status: AgencyRequestRecord['status'] = 'live'): Promise<{ signed: SignedRequest, id: string }> => {
    const signed = signTyped('Request', sampleRequest({
      recipient, peerId: libp2p.peerId.toString(), addrs: libp2p.getMultiaddrs().map((a) => a.decapsulateCode(421).toString()), nonce: '0x' + Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex'), ...overrides
    }), DOMAIN, AGENCY_KEY)
    await log.append(encodeLogEntry({ kind: 'request', request: signed }))
    const id = requestId(signed)
    requests.set(id, { signed, status, logged: true, identities: async () => [identity] })
    return { signed, id }
  }
  return {
    libp2p, receiver, log, vault, requests, deliveries, identity, recipient, dir, issue,
    stop: async () => { await libp2p.stop(); await rm(dir, { recursive: true, force: true }) }
  }
}

export async function startPeer (): Promise<PorchlightLibp2p> {
  return await createPorchlightLibp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] })
}
