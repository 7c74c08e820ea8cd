// The agency side of bench/footage.ts, in its own process so its memory is measured apart from the
// resident's: a footage receiver and an HTTPS upload endpoint (the baseline) on 127.0.0.1. Driven by JSON
// lines on stdin ({ cmd: 'start' | 'stop' }); answers JSON lines on stdout.
import '../node/polyfill.js'
import { createServer } from 'node:https'
import { createWriteStream } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { startAgency } from '../test/helpers/footage.js'

const [certPath, keyPath] = process.argv.slice(2)
// Every round delivers from this host to one request: the agency's quotas per request and per sender (what a
// stranger may cost it, not what a delivery costs) would refuse the 17th round, so they are lifted here.
const unlimited = { deliveries: Number.MAX_SAFE_INTEGER, bytes: Number.MAX_SAFE_INTEGER, concurrent: 64 }
const agency = await startAgency({ timeoutMs: 60_000, limits: { perRequest: unlimited, perSender: unlimited } })
agency.receiver.on('footage:refused', (e) => { process.stderr.write('agency refused: ' + String(e.error) + '\n') })
const { signed, id } = await agency.issue()
const uploads = join(agency.dir, 'uploads')
let n = 0
const server = createServer({ cert: await readFile(certPath!), key: await readFile(keyPath!) }, (req, res) => {
  // What a portal upload does: write the body to disk as it arrives, then answer.
  const file = createWriteStream(`${uploads}-${n++}`)
  req.pipe(file)
  file.on('close', () => { res.end('ok') })
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const port = (server.address() as { port: number }).port

let baseline = 0
let peak = 0
let cpuAtStart = process.cpuUsage()
let timer: NodeJS.Timeout | undefined
const sample = (): void => { peak = Math.max(peak, process.memoryUsage.rss()) }
const say = (v: unknown): void => { process.stdout.write(JSON.stringify(v) + '\n') }

say({ request: signed, id, port })
for await (const line of createInterface({ input: process.stdin })) {
  const { cmd } = JSON.parse(line) as { cmd: string }
  if (cmd === 'start') {
    baseline = process.memoryUsage.rss()
    peak = baseline
    timer = setInterval(sample, 20)
    cpuAtStart = process.cpuUsage()
    say({ ok: true })
  } else if (cmd === 'stop') {
    clearInterval(timer)
    sample()
    for (const d of agency.deliveries.values()) await rm(join(agency.vault.root, d.consent), { recursive: true, force: true })
    for (let i = 0; i < n; i++) await rm(`${uploads}-${i}`, { force: true })
    const cpu = process.cpuUsage(cpuAtStart)
    say({ peakGrowth: peak - baseline, cpuMs: (cpu.user + cpu.system) / 1000, peakBuffered: agency.receiver.peakBuffered })
  } else break
}
server.close()
await agency.stop()
