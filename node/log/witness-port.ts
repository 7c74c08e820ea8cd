// What the log's cosigner needs of a witness and of the witness set. The client's shape is H2's
// node/witness/client.ts (issue 14's plan); it is declared here so the cosigner can be built and tested
// before that module lands. When it does, this file re-exports its types instead.
import type { RegisteredWitness, WitnessSet } from '../../protocol/api/witnesses.js'
import type { PorchlightLibp2p } from '../p2p/index.js'

export type { RegisteredWitness, WitnessSet }

/** C2SP tlog-witness add-checkpoint: the size the witness last cosigned, the consistency proof from it, the signed note. */
export interface AddCheckpoint { oldSize: number, proof: Uint8Array[], checkpoint: string }

export type AddCheckpointAnswer =
  | { status: 'cosigned', cosignatures: string[] } // note signature lines, each ending '\n'
  | { status: 'conflict', latestSize: number } // 409: the witness's latest size for the origin

export interface WitnessClient {
  readonly witness: RegisteredWitness
  addCheckpoint (req: AddCheckpoint, opts?: { signal?: AbortSignal }): Promise<AddCheckpointAnswer>
  /** The latest checkpoint it cosigned for `origin` (note text with its cosignature), or undefined. */
  latest (origin: string, opts?: { signal?: AbortSignal }): Promise<string | undefined>
}

/**
 * Makes the client for one registered witness, over the node's libp2p when the witness has a multiaddr:
 * the shape of node/witness's `witnessClient`, so that function is a factory as it is.
 */
export type WitnessClientFactory = (witness: RegisteredWitness, libp2p?: PorchlightLibp2p) => WitnessClient

/** Reads the council's witness set (the chain service's registry once it has `witnessSet`). */
export type WitnessSetSource = () => Promise<WitnessSet>
