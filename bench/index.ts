// `npm run bench [-- --quick] [-- SECTION ...]`: runs every benchmark and writes one table,
// bench/results.md and bench/results.json, with the machine it ran on. Only figures measured in this run
// are written — unless `--keep` is given with sections: then the other sections' rows are kept from the last
// results, each row saying which run (date, load) measured it, so a change to two sections can be measured
// on a quiet moment without a full run (which takes most of an hour here).
import '../node/polyfill.js'
import { readFile, writeFile } from 'node:fs/promises'
import { cpus, loadavg, totalmem, platform, release } from 'node:os'
import type { Bench, BenchRow } from './lib.js'

// `explicit`: run only when named (`npm run bench -- SECTION`), for a section too slow or unreliable for
// every run (none today).
const benches: Array<{ section: string, load: () => Promise<{ default: Bench }>, explicit?: boolean }> = [
  { section: 'tlog', load: () => import('./tlog.js') },
  { section: 'log', load: () => import('./log.js') },
  { section: 'witnessing', load: () => import('./witnessing.js') },
  { section: 'envelope', load: () => import('./envelope.js') },
  { section: 'messages', load: () => import('./messages.js') },
  { section: 'p2p', load: () => import('./p2p.js') },
  { section: 'contracts', load: () => import('./contracts.js') },
  { section: 'network', load: () => import('./network.js') },
  { section: 'auditor', load: () => import('./auditor.js') },
  { section: 'footage', load: () => import('./footage.js') },
  { section: 'idle-resident', load: () => import('./idle-resident.js') },
  { section: 'idle', load: () => import('./idle-cost.js') },
  { section: 'recording', load: () => import('./recording.js') },
  { section: 'cut', load: () => import('./cut.js') },
  // A real mosquitto (skipped, saying why, where it is not installed).
  { section: 'notify', load: () => import('./notify.js') },
  // Network namespaces (root): skipped, saying why, where they are refused.
  { section: 'nat', load: () => import('./nat.js') }
]

// The nodes a bench starts log only warnings (their info lines would bury the figures); set it to see more.
process.env.PORCHLIGHT_LOG_LEVEL ??= 'warn'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const only = args.filter((a) => !a.startsWith('--'))
const keep = args.includes('--keep')
if (keep && only.length === 0) {
  process.stderr.write('bench: --keep needs the sections to run (the others are kept)\n')
  process.exit(2)
}

function fmt (n: number): string {
  if (!Number.isFinite(n)) return String(n)
  const abs = Math.abs(n)
  if (abs >= 100) return Math.round(n).toLocaleString('en-US')
  if (abs >= 1) return n.toFixed(2)
  return n.toPrecision(3)
}

function ratio (row: BenchRow): string {
  if (row.baseline === undefined || row.baseline.value === 0) return ''
  return `${(row.value / row.baseline.value).toFixed(2)}×`
}

const rows: BenchRow[] = []
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  os: `${platform()} ${release()}`,
  node: process.version,
  date: new Date().toISOString(),
  // The machines are shared: the 1-minute load average before and after says how far to trust absolute
  // values (ratios to a same-run baseline hold better) and whether a missed goal is the code or the machine.
  loadAverage: { start: loadavg()[0]!, end: 0 }
}

for (const { section, load, explicit } of benches) {
  if (only.length > 0 ? !only.includes(section) : explicit === true) continue
  process.stderr.write(`bench: ${section} …\n`)
  const bench = (await load()).default
  await bench({ quick, row: (row) => { rows.push(row); process.stderr.write(`  ${row.figure}: ${fmt(row.value)} ${row.unit}\n`) } })
}

machine.loadAverage.end = loadavg()[0]!
const thisRun = { date: machine.date, loadAverage: machine.loadAverage, quick }
for (const row of rows) row.run = thisRun
if (keep) {
  const dir = new URL('.', import.meta.url)
  const last = JSON.parse(await readFile(new URL('results.json', dir), 'utf8')) as { machine: typeof machine, quick: boolean, rows: BenchRow[] }
  const kept = last.rows.filter((r) => !only.includes(r.section)).map((r) => ({ ...r, run: r.run ?? { date: last.machine.date, loadAverage: last.machine.loadAverage, quick: last.quick } }))
  // In the benches' order, so a kept section stays where a full run puts it.
  const order = benches.map((b) => b.section)
  rows.splice(0, rows.length, ...[...kept, ...rows].sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section)))
}
const runs = new Set(rows.map((r) => r.run?.date))
const runOf = (r: BenchRow): string => r.run === undefined ? '' : `${r.run.date.slice(0, 16).replace('T', ' ')}, load ${r.run.loadAverage.start.toFixed(1)}–${r.run.loadAverage.end.toFixed(1)}${r.run.quick ? ' (quick)' : ''}`
const header = `| section | figure | value | baseline (same run) | ratio | goal | met |${runs.size > 1 ? ' run |' : ''}`
const lines = [
  '# Porchlight benchmarks',
  '',
  `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}; run ${machine.date}${quick ? ' (quick)' : ''}; load average ${machine.loadAverage.start.toFixed(1)} at the start, ${machine.loadAverage.end.toFixed(1)} at the end.`,
  'Each value is a median over rounds; the ratio is value ÷ baseline.',
  ...(runs.size > 1 ? [`Measured in this run: ${only.join(', ')}; the other sections are kept from earlier runs (the last column says which).`] : []),
  '',
  header,
  `|---|---|---|---|---|---|---|${runs.size > 1 ? '---|' : ''}`,
  ...rows.map((r) => `| ${r.section} | ${r.figure} | ${fmt(r.value)} ${r.unit} | ${r.baseline === undefined ? '' : `${r.baseline.label}: ${fmt(r.baseline.value)} ${r.unit}`} | ${ratio(r)} | ${r.goal ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : 'NO'} |${runs.size > 1 ? ` ${runOf(r)} |` : ''}`)
]
const md = lines.join('\n') + '\n'
console.log(md)
const dir = new URL('.', import.meta.url)
await writeFile(new URL('results.md', dir), md)
await writeFile(new URL('results.json', dir), JSON.stringify({ machine, quick, rows }, null, 2) + '\n')
