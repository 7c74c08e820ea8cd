// A node's secrets, each a small file readable by its owner only: the libp2p peer key, an agency's
// Ethereum key, a witness's cosigning key, and the HTTP API's bearer token. Loading refuses a file other users can read (as ssh does),
// since a leaked agency key signs requests in the agency's name.
import { mkdir, readFile, stat } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { ed25519 } from '@noble/curves/ed25519.js'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'
import { addressOfPrivateKey } from '../../protocol/index.js'
import { KeyFileError } from './errors.js'
import { nodePaths } from './paths.js'
import { writeFileAtomic } from './atomic.js'
import type { Role } from './schema.js'

export interface NodeKeys {
  /** The libp2p identity (Ed25519); the peer id derives from it. */
  peerKey: PrivateKey
  /** Agencies only: the secp256k1 key the council registers, as 0x-prefixed hex. */
  agencyKey?: string
  /**
   * Witnesses only: the 32-byte Ed25519 secret key of its cosignatures. Its own key, not the peer key: the
   * vkey the council registers outlives a change of libp2p identity, and one key serves one purpose.
   */
  witnessKey?: Uint8Array
  /** The HTTP API's bearer token. */
  apiToken: string
}

export async function generateKeys (role: Role): Promise<NodeKeys> {
  return {
    peerKey: await generateKeyPair('Ed25519'),
    ...(role === 'agency' ? { agencyKey: `0x${bytesToHex(secp256k1.utils.randomSecretKey())}` } : {}),
    ...(role === 'witness' ? { witnessKey: ed25519.utils.randomSecretKey() } : {}),
    apiToken: randomBytes(32).toString('base64url')
  }
}

/** The Ethereum address of an agency key. */
export function agencyAddress (agencyKey: string): string {
  return addressOfPrivateKey(agencyKey)
}

export async function writeKeys (dir: string, keys: NodeKeys): Promise<void> {
  const paths = nodePaths(dir)
  await mkdir(paths.keys, { recursive: true, mode: 0o700 })
  await writeFileAtomic(paths.peerKey, privateKeyToProtobuf(keys.peerKey), 0o600)
  if (keys.agencyKey !== undefined) await writeFileAtomic(paths.agencyKey, `${keys.agencyKey}\n`, 0o600)
  if (keys.witnessKey !== undefined) await writeFileAtomic(paths.witnessKey, `${bytesToHex(keys.witnessKey)}\n`, 0o600)
  await writeFileAtomic(paths.apiToken, `${keys.apiToken}\n`, 0o600)
}

async function readSecret (file: string): Promise<Buffer> {
  let mode: number
  try {
    mode = (await stat(file)).mode
  } catch (err) {
    throw new KeyFileError({ file, reason: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : 'cannot be read' }, err)
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new KeyFileError({ file, reason: `is readable by other users (mode ${(mode & 0o777).toString(8)}; chmod 600 it)` })
  }
  return await readFile(file)
}

export async function loadKeys (dir: string, role: Role): Promise<NodeKeys> {
  const paths = nodePaths(dir)
  let peerKey: PrivateKey
  try {
    peerKey = privateKeyFromProtobuf(await readSecret(paths.peerKey))
  } catch (err) {
    if (err instanceof KeyFileError) throw err
    throw new KeyFileError({ file: paths.peerKey, reason: 'is not a libp2p private key' }, err)
  }
  const apiToken = (await readSecret(paths.apiToken)).toString('utf8').trim()
  if (apiToken.length < 32) throw new KeyFileError({ file: paths.apiToken, reason: 'holds a token shorter than 32 characters' })
  if (role === 'witness') {
    const hex = (await readSecret(paths.witnessKey)).toString('utf8').trim()
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new KeyFileError({ file: paths.witnessKey, reason: 'is not 64 lowercase hex digits (an Ed25519 secret key)' })
    return { peerKey, witnessKey: hexToBytes(hex), apiToken }
  }
  if (role !== 'agency') return { peerKey, apiToken }
  const agencyKey = (await readSecret(paths.agencyKey)).toString('utf8').trim()
  if (!/^0x[0-9a-fA-F]{64}$/.test(agencyKey) || !secp256k1.utils.isValidSecretKey(Buffer.from(agencyKey.slice(2), 'hex'))) {
    throw new KeyFileError({ file: paths.agencyKey, reason: 'is not a 0x-prefixed secp256k1 private key' })
  }
  return { peerKey, agencyKey, apiToken }
}
