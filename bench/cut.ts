// Cutting a consented range out of continuous recordings: a 10-minute clip from 10-second MPEG-TS segments
// (1080p H.264 at 4 Mbit/s, a keyframe a second: what a doorbell camera sends) into one MP4, remuxed — beside
// ffmpeg's own start-up (`ffmpeg -version`) in the same run, the floor of any cut that runs ffmpeg. Then, on
// real nodes (embedded chain, an agency, a resident), the time from a consent naming that range to the first
// byte sent, beside a consent naming an already stored clip of the same bytes (the difference is the cut).
// Encoding 10 minutes of 1080p would take minutes on a shared machine: three segments are encoded and the
// index names them in turn, sixty times (each is a whole, independently decodable segment).
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { promisify } from 'node:util'
import { localRangeSource } from '../node/recording/local-range-source.js'
import { concatList, remuxArgs } from '../node/recording/cut.js'
import { ffprobePath } from '../node/recording/segment-source.js'
import type { SegmentRecord } from '../node/recording/segment-source.js'
import type { Camera } from '../node/config/index.js'
import { ffmpeg, makeSegments, MemorySegmentIndex } from '../test/support/recorded-segments.js'
import { call, corner, draft, issueRequest, shareWhere, startFootageWorld, type Api, type ResidentNode } from '../test/helpers/footage-world.js'
import { median, medianMs, type BenchContext } from './lib.js'

const run = promisify(execFile)

/** User + system CPU seconds of one run of `cmd` (GNU time's figures), or undefined without /usr/bin/time. */
async function childCpuSeconds (cmd: string, args: string[]): Promise<number | undefined> {
  try {
    const { stderr } = await run('/usr/bin/time', ['-f', 'cpu %U %S', cmd, ...args])
    const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr)
    return m === null ? undefined : Number(m[1]) + Number(m[2])
  } catch { return undefined }
}
const SEGMENT_SECONDS = 10

/**
 * Ms from `consent()` to the first ciphertext byte of its share going out. The share's id is known only
 * once the API answered, and its first bytes may leave before that: every share's first progress is noted.
 */
async function firstByte (node: ResidentNode, consent: () => Promise<Api>): Promise<{ ms: number, id: string }> {
  const firstSent = new Map<string, number>()
  let waiting: { id: string, resolve: () => void } | undefined
  const onProgress = ({ id, sent }: { id: string, sent: number }): void => {
    if (sent <= 0 || firstSent.has(id)) return
    firstSent.set(id, performance.now())
    if (waiting?.id === id) waiting.resolve()
  }
  node.services.footage.on('share:progress', onProgress)
  try {
    const t0 = performance.now()
    const answer = await consent()
    if (answer.status !== 202) throw new Error(`consent refused: ${JSON.stringify(answer.json)}`)
    const id = (answer.json as { id: string }).id
    if (!firstSent.has(id)) await new Promise<void>((resolve) => { waiting = { id, resolve } })
    return { ms: firstSent.get(id)! - t0, id }
  } finally {
    node.services.footage.off('share:progress', onProgress)
  }
}

export default async function (ctx: BenchContext): Promise<void> {
  const minutes = ctx.quick ? 2 : 10
  const rounds = ctx.quick ? 2 : 5
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-bench-cut-'))
  try {
    const startMs = (Math.floor(Date.now() / 1000) - 1800) * 1000
    const made = await makeSegments(join(dir, 'rec'), { camera: 'porch', startMs, seconds: 3 * SEGMENT_SECONDS, width: 1920, height: 1080, fps: 15, bitrate: '4M' })
    const records: SegmentRecord[] = Array.from({ length: minutes * 60 / SEGMENT_SECONDS }, (_, i) => ({
      ...made.records[i % made.records.length]!, start: startMs + i * SEGMENT_SECONDS * 1000, end: startMs + (i + 1) * SEGMENT_SECONDS * 1000
    }))
    const bytes = records.reduce((n, r) => n + r.bytes, 0)
    const index = new MemorySegmentIndex(join(dir, 'rec')).add(...records)
    const source = localRangeSource({ index, ffmpeg, ffprobe: ffprobePath({}), thumbnails: join(dir, 'thumbs') })
    const camera: Camera = { name: 'porch', ...corner, source: { kind: 'rtsp', url: 'rtsp://192.0.2.5/live' } }
    const from = startMs / 1000 + 3
    const to = startMs / 1000 + minutes * 60

    // Interleaved, so a burst of load on the shared machine falls on all three alike.
    const list = join(dir, 'alone.txt')
    await writeFile(list, concatList(index.dir, records))
    const out = join(dir, 'cut.mp4')
    const startup: number[] = []
    const alone: number[] = []
    const cut: number[] = []
    const cpu: number[] = []
    for (let r = 0; r < rounds; r++) {
      startup.push(await medianMs(async () => { await run(ffmpeg, ['-version']) }, 1))
      alone.push(await medianMs(async () => { await run(ffmpeg, remuxArgs(list, 3, to - from, out)) }, 1))
      cut.push(await medianMs(async () => { await source.cut(camera, from, to, out) }, 1))
      const cpuSeconds = await childCpuSeconds(ffmpeg, remuxArgs(list, 3, to - from, out))
      if (cpuSeconds !== undefined) cpu.push(cpuSeconds * 1000)
    }
    const what = `a ${minutes}-minute clip from ${SEGMENT_SECONDS} s segments (1080p, 4 Mbit/s, ${(bytes / 2 ** 20).toFixed(0)} MiB)`
    ctx.row({
      section: 'cut', figure: `cut ${what}, remuxed to MP4 (+faststart)`,
      value: median(cut), unit: 'ms', baseline: { label: 'ffmpeg alone, the same remux', value: median(alone) }, better: 'lower',
      goal: minutes === 10 ? '≤ 1 s' : '≤ 1 s (10 minutes; --quick cuts 2)', met: median(cut) <= 1000,
      note: `median of ${rounds}; includes the ffprobe of the first segment for its keyframes and of the result`
    })
    ctx.row({ section: 'cut', figure: 'ffmpeg start-up (`ffmpeg -version`)', value: median(startup), unit: 'ms', better: 'lower', note: 'the floor of any cut that runs ffmpeg' })
    if (cpu.length > 0) {
      ctx.row({
        section: 'cut', figure: `CPU (user + sys) of ffmpeg remuxing ${what}`, value: median(cpu), unit: 'ms', better: 'lower',
        baseline: { label: 'its wall time', value: median(alone) }, note: 'from /usr/bin/time: what the cut costs on an idle core'
      })
    }

    // Consent → first byte sent, on real nodes.
    const world = await startFootageWorld()
    try {
      const ann = await world.resident('ann', [], { cameras: [camera] }, { ranges: { segments: index } })
      const ranged: number[] = []
      const stored: number[] = []
      for (let r = 0; r < Math.max(2, Math.floor(rounds / 2)); r++) {
        const { id } = await issueRequest(world, draft({ caseCode: `CUT-${r}` }))
        // Each delivery is let finish before the next consent: the chain, the agency and the resident share this
        // process, and a 300 MB delivery still running would slow the next cut's hashing.
        const a = await firstByte(ann, async () => await call(ann, 'POST', `/api/inbox/${id}/consent`, { ranges: [{ camera: 'porch', from: Math.ceil(from), to }] }))
        ranged.push(a.ms)
        await shareWhere(ann, a.id, (s) => s.state === 'delivered' || s.state === 'failed')
        const clip = ((await call(ann, 'GET', '/api/clips')).json as Array<{ cid: string }>).at(-1)
        const again = await issueRequest(world, draft({ caseCode: `CUT-${r}-stored` }))
        const b = await firstByte(ann, async () => await call(ann, 'POST', `/api/inbox/${again.id}/consent`, { clips: [clip!.cid] }))
        stored.push(b.ms)
        await shareWhere(ann, b.id, (s) => s.state === 'delivered' || s.state === 'failed')
      }
      ctx.row({
        section: 'cut', figure: `consent naming a ${minutes}-minute range → first byte sent (cut, hash into the clip store, sign, dial, encrypt)`,
        value: median(ranged), unit: 'ms', baseline: { label: 'consent naming the same clip already stored', value: median(stored) }, better: 'lower',
        note: `median of ${ranged.length}`
      })
    } finally {
      await world.stop()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
