// What the log's cosigner needs of a witness (node/witness/client.ts) and of the witness set (the chain's
// WitnessRegistry), named in one place so tests can hand the cosigner doubles of either.
import type { RegisteredWitness, WitnessSet } from '../../protocol/api/witnesses.js'
import type { PorchlightLibp2p } from '../p2p/index.js'
import type { WitnessClient } from '../witness/client.js'

export type { RegisteredWitness, WitnessSet }

export type { AddCheckpoint, AddCheckpointAnswer, WitnessClient } from '../witness/client.js'

/**
 * Makes the client for one registered witness, over the node's libp2p when the witness has a multiaddr:
 * the shape of node/witness's `witnessClient`, so that function is a factory as it is.
 */
export type WitnessClientFactory = (witness: RegisteredWitness, libp2p?: PorchlightLibp2p) => WitnessClient

/** Reads the council's witness set (the chain service's registry once it has `witnessSet`). */
export type WitnessSetSource = () => Promise<WitnessSet>
