// EIP-712 type tables of the signed Porchlight messages. Field order is part of the type hash: changing
// it changes every signature. docs/messages.md maps each message field to its EIP-712 type.

export interface TypedField { name: string, type: string }
export type TypeTable = Record<string, readonly TypedField[]>

/** The EIP-712 domain's fixed name and version (docs/design.md §5). */
export const DOMAIN_NAME = 'Porchlight'
export const DOMAIN_VERSION = '1'

export const EIP712_DOMAIN_TYPE: readonly TypedField[] = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' }
]

const Clip: readonly TypedField[] = [
  { name: 'cid', type: 'string' },
  { name: 'size', type: 'uint64' },
  { name: 'start', type: 'uint64' },
  { name: 'end', type: 'uint64' },
  { name: 'mediaType', type: 'string' },
  { name: 'durationMs', type: 'uint64' },
  { name: 'camera', type: 'string' }
]

/** Each signed kind's primary type and the struct types it refers to. */
export const TYPES = {
  Request: {
    Request: [
      { name: 'agency', type: 'address' },
      { name: 'caseCode', type: 'string' },
      { name: 'title', type: 'string' },
      { name: 'details', type: 'string' },
      { name: 'category', type: 'string' },
      { name: 'cells', type: 'uint64[]' },
      { name: 'windowStart', type: 'uint64' },
      { name: 'windowEnd', type: 'uint64' },
      { name: 'issuedAt', type: 'uint64' },
      { name: 'expiresAt', type: 'uint64' },
      { name: 'recipient', type: 'string' },
      { name: 'peerId', type: 'string' },
      { name: 'addrs', type: 'string[]' },
      { name: 'retentionDays', type: 'uint32' },
      { name: 'nonce', type: 'bytes32' }
    ]
  },
  Withdrawal: {
    Withdrawal: [
      { name: 'request', type: 'string' },
      { name: 'agency', type: 'address' },
      { name: 'issuedAt', type: 'uint64' }
    ]
  },
  Consent: {
    Consent: [
      { name: 'request', type: 'string' },
      { name: 'clips', type: 'Clip[]' },
      { name: 'terms', type: 'string' },
      { name: 'consentKey', type: 'address' },
      { name: 'issuedAt', type: 'uint64' }
    ],
    Clip
  },
  Receipt: {
    Receipt: [
      { name: 'consent', type: 'string' },
      { name: 'request', type: 'string' },
      { name: 'logIndex', type: 'uint64' },
      { name: 'checkpoint', type: 'string' },
      { name: 'proof', type: 'bytes32[]' }
    ]
  },
  DeletionRequest: {
    DeletionRequest: [
      { name: 'consent', type: 'string' },
      { name: 'clips', type: 'string[]' },
      { name: 'issuedAt', type: 'uint64' }
    ]
  }
} as const satisfies Record<string, TypeTable>

export type SignableKind = keyof typeof TYPES
export const SIGNABLE_KINDS = Object.keys(TYPES) as SignableKind[]

/** The domain a caller names: the chain and the AgencyRegistry address; name and version are fixed. */
export interface Domain {
  chainId: number | bigint
  verifyingContract: string
}
