// What the auditor reads about witnesses, as narrow ports: the council's witness set and its history (the
// chain client has both, node/chain, issue 14 H1) and each witness's latest cosigned checkpoint (the witness
// client, node/witness/client.ts, H2). Structural, so those fit as they are and tests use doubles.
import type { RegisteredWitness, WitnessSet, WitnessChange } from '../../protocol/index.js'

export type { WitnessChange }

/** The witness set and how it changed; ChainClient has both. */
export interface WitnessRegistryView {
  witnessSet (): Promise<WitnessSet>
  /** Every WitnessRegistry event, oldest first. */
  witnessEvents (): Promise<WitnessChange[]>
}

/** One witness's latest cosigned checkpoint; WitnessClient has it. */
export interface WitnessCheckpoints {
  readonly witness: RegisteredWitness
  /** The latest checkpoint it cosigned for `origin` (note text with its cosignature), or undefined. */
  latest (origin: string, opts?: { signal?: AbortSignal }): Promise<string | undefined>
}
