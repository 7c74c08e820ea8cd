// Request identities sealed at rest (issue 19, item 4; docs/agency.md, "Keys at rest"). The operator's
// secret, given at start (a file, PORCHLIGHT_SECRET, or a KMS hook's output), is stretched once with scrypt
// (RFC 7914; its salt and cost in `seal.json` beside the identities) into a 256-bit key, and each identity
// file is XChaCha20-Poly1305 under it with a fresh 24-byte nonce and the request's id as associated data, so
// a file copied over another request's does not open. `seal.json` also holds a sealed empty check value: a
// wrong secret is found at start, not at the first footage opened.
import { randomBytes, scrypt as scryptCb, type BinaryLike, type ScryptOptions } from 'node:crypto'
import { execFile } from 'node:child_process'
import { readFile, stat } from 'node:fs/promises'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { IdentityUnsealError, SecretUnavailableError, WrongSecretError } from './errors.js'

const FORMAT = 'porchlight-identity-seal/1'
const FILE_HEADER = 'porchlight-sealed-identity/1'
/** scrypt's cost: 2^17 × 8 (128 MiB, about half a second on a small machine), paid once per start. */
const DEFAULT_COST = { N: 2 ** 17, r: 8, p: 1 }

export interface SealFile {
  format: typeof FORMAT
  kdf: { name: 'scrypt', N: number, r: number, p: number, salt: string }
  /** base64 of nonce ‖ XChaCha20-Poly1305(empty, aad = "check"): opens only under the right key. */
  check: string
}

const encoder = new TextEncoder()
const aadOf = (requestId: string): Uint8Array => encoder.encode(`${FILE_HEADER} ${requestId}`)
const CHECK_AAD = encoder.encode(`${FORMAT} check`)

function scrypt (secret: BinaryLike, salt: BinaryLike, options: ScryptOptions & { N: number, r: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(secret, salt, 32, { ...options, maxmem: 256 * options.N * options.r }, (err, key) => { if (err === null) resolve(key); else reject(err) })
  })
}

function seal (key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  const nonce = randomBytes(24)
  const sealed = xchacha20poly1305(key, nonce, aad).encrypt(plaintext)
  const out = new Uint8Array(24 + sealed.length)
  out.set(nonce)
  out.set(sealed, 24)
  return out
}

function open (key: Uint8Array, bytes: Uint8Array, aad: Uint8Array): Uint8Array {
  if (bytes.length < 24 + 16) throw new RangeError('too short')
  return xchacha20poly1305(key, bytes.subarray(0, 24), aad).decrypt(bytes.subarray(24))
}

/** The key the identities are sealed under, derived from the operator's secret. */
export class IdentitySeal {
  readonly #key: Uint8Array

  private constructor (key: Uint8Array) {
    this.#key = key
  }

  /** A new seal (fresh salt) for `secret`, and the `seal.json` that finds the same key again. */
  static async create (secret: Uint8Array, cost: { N: number, r: number, p: number } = DEFAULT_COST): Promise<{ seal: IdentitySeal, file: SealFile }> {
    const salt = randomBytes(16)
    const key = await scrypt(secret, salt, cost)
    const file: SealFile = { format: FORMAT, kdf: { name: 'scrypt', ...cost, salt: salt.toString('base64') }, check: Buffer.from(seal(key, new Uint8Array(), CHECK_AAD)).toString('base64') }
    return { seal: new IdentitySeal(key), file }
  }

  /** The seal `file` describes, if `secret` is the one it was made with; else WrongSecretError naming `source`. */
  static async open (secret: Uint8Array, file: SealFile, source: string): Promise<IdentitySeal> {
    const key = await scrypt(secret, Buffer.from(file.kdf.salt, 'base64'), { N: file.kdf.N, r: file.kdf.r, p: file.kdf.p })
    try { open(key, Buffer.from(file.check, 'base64'), CHECK_AAD) } catch { throw new WrongSecretError(source) }
    return new IdentitySeal(key)
  }

  /** A sealed identity file's text: a header line and base64 of nonce ‖ ciphertext. */
  sealIdentity (requestId: string, identityFile: string): string {
    return `${FILE_HEADER}\n${Buffer.from(seal(this.#key, encoder.encode(identityFile), aadOf(requestId))).toString('base64')}\n`
  }

  openIdentity (requestId: string, text: string): string {
    const [header, body] = text.split('\n')
    try {
      if (header !== FILE_HEADER || body === undefined) throw new RangeError('not a sealed identity file')
      return new TextDecoder().decode(open(this.#key, Buffer.from(body, 'base64'), aadOf(requestId)))
    } catch (err) { throw new IdentityUnsealError(requestId, err) }
  }
}

/** Where the operator's secret comes from; the first one given is used, in this order. */
export interface SecretSources {
  /** `porchlight start --secret-file FILE`: its bytes, less one trailing newline. */
  secretFile?: string
  /** The environment PORCHLIGHT_SECRET is read from. @default process.env */
  env?: Record<string, string | undefined>
  /** `keys.kms` in config.json: a command (argv, no shell) whose standard output is the secret. */
  kms?: { command: string[] }
}

export interface OperatorSecret {
  secret: Uint8Array
  /** Named in logs and errors, never the secret: 'secret file', 'PORCHLIGHT_SECRET', 'KMS hook'. */
  source: string
  /** A secret file others may read: worth a warning. */
  exposed?: boolean
}

const KMS_TIMEOUT_MS = 30_000
const withoutNewline = (b: Buffer): Buffer => b.subarray(0, b.length - (b.at(-1) === 0x0a ? (b.at(-2) === 0x0d ? 2 : 1) : 0))

/** The operator's secret from the first source given, or undefined when none is. */
export async function operatorSecret (sources: SecretSources): Promise<OperatorSecret | undefined> {
  const given = (source: string, bytes: Buffer, extra: Partial<OperatorSecret> = {}): OperatorSecret => {
    if (bytes.length === 0) throw new SecretUnavailableError(source, 'it is empty')
    return { secret: new Uint8Array(bytes), source, ...extra }
  }
  if (sources.secretFile !== undefined) {
    const file = sources.secretFile
    const bytes = await readFile(file).catch((err: unknown) => { throw new SecretUnavailableError('secret file', `cannot read ${file}`, err) })
    const { mode } = await stat(file)
    return given('secret file', withoutNewline(bytes), (mode & 0o077) !== 0 ? { exposed: true } : {})
  }
  const env = (sources.env ?? process.env).PORCHLIGHT_SECRET
  if (env !== undefined) return given('PORCHLIGHT_SECRET', Buffer.from(env, 'utf8'))
  if (sources.kms !== undefined) {
    const [command, ...args] = sources.kms.command
    if (command === undefined) throw new SecretUnavailableError('KMS hook', 'keys.kms.command is empty')
    const out = await new Promise<Buffer>((resolve, reject) => {
      execFile(command, args, { encoding: 'buffer', timeout: KMS_TIMEOUT_MS, maxBuffer: 64 * 1024 }, (err, stdout) => {
        if (err === null) resolve(stdout)
        else reject(new SecretUnavailableError('KMS hook', `${command} failed (${String(err.code ?? err.signal ?? 'error')})`, err))
      })
    })
    return given('KMS hook', withoutNewline(out))
  }
  return undefined
}
