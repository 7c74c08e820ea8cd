// Footage delivery end to end — read the clip file, encrypt (age), send over libp2p (TCP + Noise + Yamux),
// write to disk and decrypt-verify against the CID at the agency, log, receipt — beside an HTTPS upload of
// the same file to 127.0.0.1 that is written to disk (what a portal upload costs, without end-to-end
// encryption), in the same run. The agency runs in a child process, so each side's peak RSS growth during
// the transfer is its own.
import { spawn, execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp, open, readFile, rm } from 'node:fs/promises'
import { request as httpsRequest } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { RAW_CODE, cidFromSha256Digest, type SignedRequest } from '../protocol/index.js'
import { createPorchlightLibp2p } from '../node/p2p/index.js'
import { nodeEnvelopeCrypto } from '../node/crypto/index.js'
import { createConsent } from '../node/footage/index.js'
import { fileSource, sendFootage } from '../node/shares/index.js'
import { DOMAIN, NOW } from '../test/helpers/messages.js'
import { median, type BenchContext } from './lib.js'

const MiB = 1024 * 1024
/** RSS sampling period: reading RSS costs ~0.2 ms, a few % of a core at 5 ms (on both sides, both transfers). */
const SAMPLE_MS = 20
/** The clip for the identity-cost figure: small, so the figure is the connection's cost, not the transfer's. */
const SMALL_CLIP = 64 * 1024
/** Paired rounds for that figure (each ~0.3 s; the same in --quick: the figure is noisy and cheap). */
const IDENTITY_ROUNDS = 21

async function writeRandomFile (path: string, bytes: number): Promise<string> {
  const file = await open(path, 'w')
  const hash = createHash('sha256')
  for (let left = bytes; left > 0; left -= MiB) {
    const chunk = randomBytes(Math.min(MiB, left))
    hash.update(chunk)
    await file.write(chunk)
  }
  await file.close()
  return cidFromSha256Digest(new Uint8Array(hash.digest()), RAW_CODE).toString()
}

/** Samples this process's RSS while `fn` runs; returns its peak growth over the RSS at the start. */
async function peakGrowth<T> (fn: () => Promise<T>): Promise<{ result: T, growth: number }> {
  const base = process.memoryUsage.rss()
  let peak = base
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, SAMPLE_MS)
  try {
    const result = await fn()
    peak = Math.max(peak, process.memoryUsage.rss())
    return { result, growth: peak - base }
  } finally { clearInterval(timer) }
}

export default async function (ctx: BenchContext): Promise<void> {
  const size = (ctx.quick ? 32 : 256) * MiB
  const rounds = ctx.quick ? 1 : 3
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-bench-footage-'))
  const clipPath = join(dir, 'clip.bin')
  const cid = await writeRandomFile(clipPath, size)
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' })
  const ca = await readFile(join(dir, 'cert.pem'))

  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./footage-agency.ts', import.meta.url).pathname, join(dir, 'cert.pem'), join(dir, 'key.pem')], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async <T>(): Promise<T> => JSON.parse((await lines.next()).value as string) as T
  const ask = async <T>(cmd: string): Promise<T> => { child.stdin.write(JSON.stringify({ cmd }) + '\n'); return await next<T>() }
  const resident = await createPorchlightLibp2p()
  try {
    const { request, id, port } = await next<{ request: SignedRequest, id: string, port: number }>()
    const deliver = async (): Promise<void> => {
      const consent = createConsent({ request: id, clips: [{ cid, size, start: NOW - 3 * 3600, end: NOW - 3 * 3600 + 600, mediaType: 'application/octet-stream', durationMs: 600_000, camera: 'bench' }], domain: DOMAIN, issuedAt: NOW + 500 })
      await sendFootage({ libp2p: resident, request, consent: consent.signed, domain: DOMAIN, openClip: () => fileSource(clipPath), crypto: nodeEnvelopeCrypto, timeoutMs: 60_000 })
    }
    const upload = async (): Promise<void> => {
      await new Promise<void>((resolve, reject) => {
        const req = httpsRequest({ host: '127.0.0.1', port, method: 'POST', path: '/upload', ca, headers: { 'content-type': 'application/octet-stream', 'content-length': size } }, (res) => {
          res.resume()
          res.on('end', () => { resolve() })
        })
        req.on('error', reject)
        createReadStream(clipPath, { highWaterMark: 256 * 1024 }).pipe(req)
      })
    }
    interface Measured { mibps: number, resident: number, agency: number, cpuMsPerMiB: number, agencyBuffered: number }
    const measure = async (fn: () => Promise<void>): Promise<Measured> => {
      await ask('start')
      const start = performance.now()
      const cpu = process.cpuUsage()
      const { growth } = await peakGrowth(fn)
      const seconds = (performance.now() - start) / 1000
      const used = process.cpuUsage(cpu)
      const stop = await ask<{ peakGrowth: number, cpuMs: number, peakBuffered: number }>('stop')
      const cpuMs = (used.user + used.system) / 1000 + stop.cpuMs
      return { mibps: size / MiB / seconds, resident: growth, agency: stop.peakGrowth, cpuMsPerMiB: cpuMs / (size / MiB), agencyBuffered: stop.peakBuffered }
    }
    // One of each first: connection, JIT and page cache warm for both.
    await measure(deliver)
    await measure(upload)
    const e2e: Measured[] = []
    const https: Measured[] = []
    for (let r = 0; r < rounds; r++) {
      e2e.push(await measure(deliver))
      https.push(await measure(upload))
    }
    const throughput = median(e2e.map((m) => m.mibps))
    const httpsThroughput = median(https.map((m) => m.mibps))
    ctx.row({
      section: 'footage',
      figure: `delivery end to end, ${size / MiB} MiB clip (read, age-encrypt, libp2p TCP, write, decrypt-verify, log, receipt)`,
      value: throughput,
      unit: 'MiB/s',
      better: 'higher',
      baseline: { label: 'HTTPS upload of the same file to 127.0.0.1, written to disk', value: httpsThroughput },
      goal: '≥ 0.5× HTTPS',
      met: throughput >= 0.5 * httpsThroughput
    })
    // CPU time is steadier than wall time on a shared machine, and says what the wall time is made of.
    ctx.row({
      section: 'footage',
      figure: 'CPU time per MiB delivered, resident + agency',
      value: median(e2e.map((m) => m.cpuMsPerMiB)),
      unit: 'ms/MiB',
      better: 'lower',
      baseline: { label: 'HTTPS upload, client + server', value: median(https.map((m) => m.cpuMsPerMiB)) }
    })
    const residentPeak = Math.max(...e2e.map((m) => m.resident)) / MiB
    const agencyPeak = Math.max(...e2e.map((m) => m.agency)) / MiB
    ctx.row({ section: 'footage', figure: 'resident peak RSS growth during a delivery (max over rounds)', value: residentPeak, unit: 'MiB', better: 'lower', goal: '≤ 100 MiB', met: residentPeak <= 100 })
    ctx.row({ section: 'footage', figure: 'agency peak RSS growth during a delivery (max over rounds)', value: agencyPeak, unit: 'MiB', better: 'lower', goal: '≤ 100 MiB', met: agencyPeak <= 100 })
    const buffered = Math.max(...e2e.map((m) => m.agencyBuffered)) / MiB
    ctx.row({ section: 'footage', figure: 'agency bytes received and not yet written/decrypted, peak (flow control bound: credit window 4 MiB + 2 frames)', value: buffered, unit: 'MiB', better: 'lower' })

    // What a single-use identity costs a delivery (issue 15): a fresh key, a libp2p node, a TCP dial and a
    // Noise handshake before the first byte, and the node's stop after — beside the same small delivery from
    // the resident's long-lived node, already connected (what it cost before). Rounds are spaced so the
    // agency's limit of 5 new connections a second from one host is never what is measured.
    const smallPath = join(dir, 'small.bin')
    const smallCid = await writeRandomFile(smallPath, SMALL_CLIP)
    const deliverSmall = async (libp2p?: typeof resident): Promise<number> => {
      const consent = createConsent({ request: id, clips: [{ cid: smallCid, size: SMALL_CLIP, start: NOW - 3 * 3600, end: NOW - 3 * 3600 + 60, mediaType: 'application/octet-stream', durationMs: 60_000, camera: 'bench' }], domain: DOMAIN, issuedAt: NOW + 500 })
      const start = performance.now()
      await sendFootage({ ...(libp2p === undefined ? {} : { libp2p }), request, consent: consent.signed, domain: DOMAIN, openClip: () => fileSource(smallPath), crypto: nodeEnvelopeCrypto, timeoutMs: 60_000 })
      return performance.now() - start
    }
    await deliverSmall(resident)
    await deliverSmall()
    const own: number[] = []
    const fresh: number[] = []
    for (let r = 0; r < IDENTITY_ROUNDS; r++) {
      own.push(await deliverSmall(resident))
      fresh.push(await deliverSmall())
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    ctx.row({
      section: 'footage',
      figure: `delivery of a ${SMALL_CLIP / 1024} KiB clip from a single-use identity (new key and node, dial, Noise, stop), ${IDENTITY_ROUNDS} rounds`,
      value: median(fresh),
      unit: 'ms',
      better: 'lower',
      baseline: { label: "the resident's own libp2p, already connected", value: median(own) }
    })
    // Paired per round, so a slow moment of the machine weighs on both sides of a difference.
    ctx.row({ section: 'footage', figure: 'extra time per delivery for a single-use identity (median of the paired differences)', value: median(fresh.map((f, i) => f - own[i]!)), unit: 'ms', better: 'lower' })
  } finally {
    child.stdin.end()
    await new Promise((resolve) => child.once('exit', resolve))
    await resident.stop()
    await rm(dir, { recursive: true, force: true })
  }
}
