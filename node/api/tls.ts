// HTTPS for an API that listens beyond loopback (issue 18: the UI from a phone on the home network). The
// token travels in every request and the pairing link: on a LAN, in plain HTTP, anyone on the Wi-Fi could
// read it. A resident's or agency's API on a named non-loopback address therefore serves HTTPS only, with a
// certificate the user supplies (`api.tls`) or one the node makes for its host (self-signed, kept in keys/).
// A self-signed certificate is trusted by its SHA-256 fingerprint, which `porchlight pair` prints beside the
// link: the phone's browser shows the same fingerprint in its certificate warning.
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { mkdir, readFile, stat } from 'node:fs/promises'
import { isIP } from 'node:net'
import { isAbsolute, join } from 'node:path'
import { generate } from 'selfsigned'
import { PorchlightError } from '../../protocol/errors.js'
import { nodePaths, type NodeConfig } from '../config/index.js'
import { writeFileAtomic } from '../config/atomic.js'

/** A certificate the API cannot serve: unreadable, not PEM, or its key does not belong to it. */
export class TlsCertificateError extends PorchlightError {
  static override readonly code = 'TLS_CERTIFICATE_INVALID'
  static override readonly status = 500
  constructor (file: string, reason: string) {
    super(TlsCertificateError.code, `the API certificate ${file} ${reason}`, { details: { file, reason } })
    this.name = 'TlsCertificateError'
  }
}

/** What the API serves HTTPS with. */
export interface ApiTls {
  cert: string
  key: string
  /** SHA-256 of the certificate (DER), as browsers show it: `AB:CD:…`. */
  fingerprint: string
  /** The names and addresses the certificate is valid for (its subjectAltName), as URL.hostname spells them. */
  names: string[]
  /** Made by the node (`keys/api-cert.pem`), not supplied by the user. */
  selfSigned: boolean
}

/** Addresses that mean "every interface". */
const wildcards = new Set(['0.0.0.0', '::', '[::]'])

/** Whether `host` reaches only this machine: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHost (host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase()
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true
  if (isIP(bare) === 4) return bare.startsWith('127.')
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1'
  return false
}

/**
 * How the API is served. A supplied certificate: HTTPS, whatever the host. Otherwise a resident's or an
 * agency's API (a private inbox or console) on a named non-loopback host: HTTPS with the node's own
 * certificate. Everything else stays HTTP: loopback; a wildcard (a container's API, reached through a
 * published port that decides who reaches it: docker-compose.yml publishes on the host's loopback); and the
 * public-by-role APIs of witnesses, auditors and relays, which a TLS reverse proxy fronts (docs/operations.md).
 */
export function apiTlsMode (config: Pick<NodeConfig, 'role' | 'api'>): 'supplied' | 'self-signed' | 'none' {
  if (config.api.tls !== undefined) return 'supplied'
  if (config.role !== 'resident' && config.role !== 'agency') return 'none'
  if (wildcards.has(config.api.host) || isLoopbackHost(config.api.host)) return 'none'
  return 'self-signed'
}

/** The fingerprint and names of a PEM certificate; throws TlsCertificateError when it does not parse. */
export function certificateInfo (cert: string, file = '(certificate)'): { fingerprint: string, names: string[], validTo: Date } {
  let x509: X509Certificate
  try {
    x509 = new X509Certificate(cert)
  } catch {
    throw new TlsCertificateError(file, 'is not a PEM certificate')
  }
  // "DNS:a, IP Address:192.0.2.2, IP Address:0:0:0:0:0:0:0:1": the kinds a browser checks a host against.
  const names = (x509.subjectAltName ?? '').split(', ').flatMap((entry) => {
    const [kind, value] = entry.split(/:(.*)/s) as [string, string | undefined]
    if (value === undefined || (kind !== 'DNS' && kind !== 'IP Address')) return []
    const spelled = isIP(value) === 6 ? `[${value}]` : value
    try { return [new URL(`https://${spelled}`).hostname] } catch { return [] }
  })
  return { fingerprint: x509.fingerprint256, names, validTo: new Date(x509.validTo) }
}

/** Days a made certificate is valid: Apple's limit for a server certificate a device trusts is 398. */
const VALID_DAYS = 397
/** A made certificate this close to its end is made again at start. */
const RENEW_DAYS = 30

/** A self-signed certificate (EC P-256, SHA-256) for `host`, as an IP or a DNS subjectAltName. */
export async function makeSelfSigned (host: string, now = new Date()): Promise<{ cert: string, key: string }> {
  const bare = host.replace(/^\[(.*)\]$/, '$1')
  const san = isIP(bare) === 0 ? { type: 2 as const, value: bare } : { type: 7 as const, ip: bare }
  const pems = await generate([{ name: 'commonName', value: bare }, { name: 'organizationName', value: 'Porchlight node' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + VALID_DAYS * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [san] }
    ]
  })
  return { cert: pems.cert, key: pems.private }
}

async function readPem (file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    throw new TlsCertificateError(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'unknown'})`)
  }
}

function checked (cert: string, key: string, certFile: string, keyFile: string, selfSigned: boolean): ApiTls {
  const info = certificateInfo(cert, certFile)
  let matches: boolean
  try {
    matches = new X509Certificate(cert).checkPrivateKey(createPrivateKey(key))
  } catch {
    throw new TlsCertificateError(keyFile, 'is not a PEM private key')
  }
  if (!matches) throw new TlsCertificateError(keyFile, 'is not the key of the certificate')
  return { cert, key, fingerprint: info.fingerprint, names: info.names, selfSigned }
}

/**
 * The certificate the API serves with, or undefined for plain HTTP (`apiTlsMode`). A made one is kept in
 * keys/ (key 0600) and made again when it is missing, does not name `api.host` (the config changed) or ends
 * within 30 days; the paired devices' tokens stay valid across that (the browser asks to trust it again).
 * A node without a directory (tests, simulations) makes one in memory.
 */
export async function loadApiTls (dir: string | undefined, config: Pick<NodeConfig, 'role' | 'api'>, now = new Date()): Promise<ApiTls | undefined> {
  const mode = apiTlsMode(config)
  if (mode === 'none') return undefined
  if (mode === 'supplied') {
    const resolve = (p: string): string => isAbsolute(p) || dir === undefined ? p : join(dir, p)
    const certFile = resolve(config.api.tls!.cert)
    const keyFile = resolve(config.api.tls!.key)
    return checked(await readPem(certFile), await readPem(keyFile), certFile, keyFile, false)
  }
  const host = new URL(`https://${isIP(config.api.host) === 6 ? `[${config.api.host}]` : config.api.host}`).hostname
  if (dir === undefined) {
    const made = await makeSelfSigned(config.api.host, now)
    return checked(made.cert, made.key, '(in memory)', '(in memory)', true)
  }
  const paths = nodePaths(dir)
  const existing = await stat(paths.apiCert).then(() => true, () => false)
  if (existing) {
    const tls = checked(await readPem(paths.apiCert), await readPem(paths.apiKey), paths.apiCert, paths.apiKey, true)
    const { validTo } = certificateInfo(tls.cert)
    if (tls.names.includes(host) && validTo.getTime() - now.getTime() > RENEW_DAYS * 86_400_000) return tls
  }
  const made = await makeSelfSigned(config.api.host, now)
  await mkdir(paths.keys, { recursive: true, mode: 0o700 })
  // The key first: a certificate on disk always has its key beside it.
  await writeFileAtomic(paths.apiKey, made.key, 0o600)
  await writeFileAtomic(paths.apiCert, made.cert, 0o600)
  return checked(made.cert, made.key, paths.apiCert, paths.apiKey, true)
}
