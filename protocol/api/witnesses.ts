// The council's witness set as every node reads it from WitnessRegistry (issue 14): who may cosign agencies'
// checkpoints and how many of them a checkpoint needs before any node accepts an announcement that carries it.

/** One witness the council registered. */
export interface RegisteredWitness {
  /** Its signed-note key name (also the name in its cosignature lines). */
  name: string
  /** Its C2SP verifier key `<name>+<hex key id>+<base64(0x04 ‖ Ed25519 public key)>`. */
  vkey: string
  /** Its tlog-witness HTTP base URL (`POST <url>/add-checkpoint`); '' when it has none. */
  url: string
  /**
   * Its libp2p multiaddr ending in `/p2p/<peer id>` (`/porchlight/witness/1.0.0`); '' when it has none. An
   * address, not only the peer id: a node has no peer routing to find a bare peer id with.
   */
  multiaddr: string
}

/** The registered witnesses and the quorum k of n a checkpoint needs. */
export interface WitnessSet {
  /** k: cosignatures from distinct registered witnesses a checkpoint needs; 0 until the council sets it. */
  quorum: number
  witnesses: RegisteredWitness[]
}

/** `GET /api/witness` (public): who a witness node is, for the council to register it. */
export interface WitnessView {
  /** Its signed-note key name. */
  name: string
  /** Its verifier key (`RegisteredWitness.vkey`). */
  vkey: string
  /** Its libp2p multiaddrs, each with `/p2p/<peer id>`. */
  multiaddrs: string[]
  /** Its public HTTP base URL, when its config gives one. */
  url?: string
}
