// `porchlight cameras …`: a resident's cameras as its config.json names them. `test` checks every camera's
// source (node/cameras/source-test.ts) and says what is wrong in plain words; `list` shows them. Both read
// config.json and talk to the sources themselves, so they work whether the node runs or not. Sources are
// shown redacted (node/cameras/redact.ts): no password or token is ever printed.
import type { Command } from '@commander-js/extra-typings'
import { UsageError, act, wholeNumber } from './command.js'
import { loadConfig, type Camera, type NodeConfig } from '../config/index.js'
import { redactSource, type SourceView } from '../cameras/redact.js'
import { testSource, type SourceTestResult } from '../cameras/source-test.js'
import { ffprobePath } from '../recording/binaries.js'

async function residentConfig (dir: string): Promise<NodeConfig> {
  const config = await loadConfig(dir)
  if (config.role !== 'resident') throw new UsageError(`cameras belong to residents; ${dir} is an ${config.role} node`)
  return config
}

function describeSource (view: SourceView | undefined): string {
  if (view === undefined) return 'no source (clips come from the import folder or `clips add`)'
  switch (view.kind) {
    case 'rtsp': return `rtsp ${view.url}`
    case 'frigate': return `frigate ${view.url} camera ${view.camera}${view.token ? ' (token set)' : ''}`
    case 'folder': return `folder ${view.path}`
  }
}

function describeResult (result: SourceTestResult): string {
  if (!result.ok) return `FAILED: ${result.error.message} (${result.error.code})`
  const d = result.details
  const video = [d.codec, d.width !== undefined && d.height !== undefined ? `${d.width}x${d.height}` : undefined, d.fps === undefined ? undefined : `${d.fps} fps`]
    .filter((s) => s !== undefined)
  return ['ok', ...video, ...(d.version === undefined ? [] : [`Frigate ${d.version}`])].join(' ')
}

interface TestLine { camera: string, source?: SourceView, result?: SourceTestResult }

async function testAll (dir: string, timeoutMs: number): Promise<TestLine[]> {
  const config = await residentConfig(dir)
  const ffprobe = ffprobePath(config)
  // All at once: each is bounded by the timeout, so the command takes the slowest one's time, not the sum.
  return await Promise.all(config.cameras.map(async (camera: Camera): Promise<TestLine> => {
    if (camera.source === undefined) return { camera: camera.name }
    return { camera: camera.name, source: redactSource(camera.source), result: await testSource(camera.source, { ffprobe, timeoutMs, dir }) }
  }))
}

export function addCamerasCommand (program: Command): void {
  const cameras = program.command('cameras')
    .summary('test or list a resident\'s cameras and their sources')
    .description('A resident\'s cameras as config.json names them; works whether the node runs or not.')

  cameras.command('test')
    .summary('check every camera\'s source: one line per camera, exit 1 if any failed')
    .option('--dir <dir>', 'the resident node\'s directory', '.')
    .option('--timeout <seconds>', 'how long each source may take to answer', wholeNumber(1, 600), 15)
    .option('--json', 'print the results as JSON')
    .action(act(async (o) => {
      const lines = await testAll(o.dir, o.timeout * 1000)
      if (o.json === true) console.log(JSON.stringify(lines))
      else if (lines.length === 0) console.log('no cameras in config.json')
      for (const line of o.json === true ? [] : lines) {
        console.log(`${line.camera}: ${describeSource(line.source)}: ${line.result === undefined ? 'nothing to test' : describeResult(line.result)}`)
      }
      return lines.some((l) => l.result?.ok === false) ? 1 : 0
    }))

  cameras.command('list')
    .summary('the cameras: name, position, direction and source (redacted)')
    .option('--dir <dir>', 'the resident node\'s directory', '.')
    .option('--json', 'print them as JSON')
    .action(act(async (o) => {
      const config = await residentConfig(o.dir)
      const views = config.cameras.map((c) => ({
        name: c.name, lat: c.lat, lng: c.lng, ...(c.direction === undefined ? {} : { direction: c.direction }),
        ...(c.source === undefined ? {} : { source: redactSource(c.source) })
      }))
      if (o.json === true) console.log(JSON.stringify(views))
      else if (views.length === 0) console.log('no cameras in config.json')
      for (const v of o.json === true ? [] : views) {
        const direction = v.direction === undefined ? '' : ` facing ${v.direction}°`
        console.log(`${v.name}: ${v.lat},${v.lng}${direction}: ${describeSource(v.source)}`)
      }
      return 0
    }))
}
