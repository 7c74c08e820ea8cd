// Real witness nodes for tests: in-process, libp2p on 127.0.0.1 port 0, the HTTP API on port 0, each in a
// temporary directory removed when it stops. `set` is what the council would register for them.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ZeroAddress } from 'ethers'
import type { RegisteredWitness } from '../../protocol/index.js'
import { createNode, type PorchlightNode } from '../../node/node.js'
import { initNode } from '../../node/config/index.js'
import { sharedChain, type RegistryReader } from '../../node/chain/chain-service.js'
import { witnessRole, type WitnessServices } from '../../node/roles.js'
import { createLogger, type Logger } from '../../node/logging/index.js'

export interface WitnessesInit {
  chainId: number
  /** The registry the witnesses read (which agencies they follow); without one they follow any agency of `chainId`. */
  registry?: RegistryReader
  /** @default 'witness' → names witness-0, witness-1 … */
  namePrefix?: string
  maxOrigins?: number
  /** @default silent */
  logger?: Logger
}

export interface Witnesses {
  readonly nodes: Array<PorchlightNode<WitnessServices>>
  /** What the council would register, in the nodes' order (url and multiaddr both set). */
  readonly set: RegisteredWitness[]
  /** Their directories (each removed when its node stops). */
  readonly dirs: string[]
  stop (i: number): Promise<void>
  stopAll (): Promise<void>
}

export async function startWitnesses (count: number, init: WitnessesInit): Promise<Witnesses> {
  const nodes: Array<PorchlightNode<WitnessServices>> = []
  const dirs: string[] = []
  const stopped = new Set<number>()
  const stop = async (i: number): Promise<void> => {
    if (stopped.has(i)) return
    stopped.add(i)
    try { await nodes[i]?.stop() } finally { await rm(dirs[i]!, { recursive: true, force: true }) }
  }
  const witnesses: Witnesses = {
    nodes,
    set: [],
    dirs,
    stop,
    async stopAll () {
      const results = await Promise.allSettled(dirs.map(async (_, i) => { await stop(i) }))
      const failed = results.find((r) => r.status === 'rejected')
      if (failed !== undefined) throw failed.reason
    }
  }
  try {
    for (let i = 0; i < count; i++) {
      const dir = await mkdtemp(join(tmpdir(), 'porchlight-witness-'))
      dirs.push(dir)
      const name = `${init.namePrefix ?? 'witness'}-${i}`
      await initNode(dir, { role: 'witness', name, witness: { chainId: init.chainId, ...(init.maxOrigins === undefined ? {} : { maxOrigins: init.maxOrigins }) } })
      const services = witnessRole(init.registry === undefined
        ? {}
        : { chain: sharedChain({ registry: init.registry, domain: { chainId: init.chainId, verifyingContract: ZeroAddress } }) })
      const node = await createNode({ dir, services, staticDir: false, logger: init.logger ?? createLogger({ level: 'silent' }) })
      nodes.push(node)
      await node.start()
      const view = node.services.witness.view()!
      witnesses.set.push({ name: view.name, vkey: view.vkey, url: node.api.address()!.url, multiaddr: view.multiaddrs[0]! })
    }
  } catch (err) {
    await witnesses.stopAll().catch(() => {})
    throw err
  }
  return witnesses
}

/** What a council client needs to register witnesses (ChainClient has it). */
export interface WitnessCouncil {
  addWitness (witness: RegisteredWitness): Promise<unknown>
  setWitnessQuorum (quorum: number): Promise<unknown>
}

/**
 * Starts `count` witnesses of `chainId` and has the council register them with quorum `quorum`: what every
 * test of an agency that publishes needs now (no announcement is accepted without a quorum of cosignatures).
 */
export async function startRegisteredWitnesses (council: WitnessCouncil, init: WitnessesInit & { count?: number, quorum?: number }): Promise<Witnesses> {
  const { count = 1, quorum = count, ...rest } = init
  const witnesses = await startWitnesses(count, rest)
  try {
    for (const w of witnesses.set) await council.addWitness(w)
    await council.setWitnessQuorum(quorum)
  } catch (err) {
    await witnesses.stopAll().catch(() => {})
    throw err
  }
  return witnesses
}
