// The narrow views the request desk needs of the agency log and of the registry, so it can be built on the
// persistent AgencyLog and ChainClient in a node and on MemoryTree and stubs in tests.

/** The agency's public log: durable append, and an inclusion proof against a checkpoint the agency signed. */
export interface RequestLog {
  /** Appends one entry (its leaf bytes); resolves with its index once durable. */
  append (entry: Uint8Array): Promise<number>
  /** The inclusion proof of entry `index` and the signed checkpoint note it verifies against. */
  proof (index: number): Promise<{ checkpoint: string, proof: Uint8Array[] }>
}

/** What the desk reads from AgencyRegistry about its own agency. ChainClient fits. */
export interface RegistryView {
  isActive (agency: string, atSeconds?: number): Promise<boolean>
  jurisdictionOf (agency: string): Promise<string[]>
  /** Brings cached records up to date with the chain (ChainClient: drops changed agencies). */
  sync? (): Promise<void>
}
