// Writes a run's results.json and its plots (Observable Plot → SVG, and PNG beside each): latency CDF geo vs
// flood, exposure per request geo vs flood, bytes per node per request geo vs flood.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as Plot from '@observablehq/plot'
import { renderSvg, svgToPng, type PlotOptions } from './plots.js'
import type { DesignResult, SimResults } from './scenario.js'

type Design = 'geo' | 'flood'

function designs (results: SimResults): Array<[Design, DesignResult]> {
  return [['geo', results.geo] as [Design, DesignResult], ...(results.flood === undefined ? [] : [['flood', results.flood] as [Design, DesignResult]])]
}

/** Every delivery's latency as an empirical CDF per design. */
export function latencyCdf (results: SimResults): Array<{ design: Design, ms: number, share: number }> {
  return designs(results).flatMap(([design, r]) => {
    const xs = r.perRequest.flatMap((m) => m.latenciesMs).sort((a, b) => a - b)
    return xs.map((ms, i) => ({ design, ms, share: (i + 1) / xs.length }))
  })
}

/** Recall and latency of the geo run without (M = 0) and with the adversaries: one point per M. */
export function attackPoints (results: SimResults): Array<{ adversaries: number, measure: string, value: number }> {
  if (results.attack === undefined) return []
  const runs: Array<[number, DesignResult]> = [[0, results.geo], [results.attack.adversaries, results.attack.geo]]
  return runs.flatMap(([adversaries, r]) => [
    { adversaries, measure: 'latency p50 (ms)', value: r.summary.latencyMs.p50 },
    { adversaries, measure: 'latency p99 (ms)', value: r.summary.latencyMs.p99 },
    { adversaries, measure: 'recall (%)', value: r.summary.recall * 100 }
  ])
}

export function plotOptions (results: SimResults): Record<string, PlotOptions> {
  const cdf = latencyCdf(results)
  const lastOf = (d: Design): Array<{ design: Design, ms: number, share: number }> => cdf.filter((p) => p.design === d).slice(-1)
  const perRequest = designs(results).flatMap(([design, r]) => r.perRequest.map((m, i) => ({ design, request: i, exposure: m.exposure * 100, bytes: m.bytesSentPerNode + m.bytesReceivedPerNode })))
  const n = results.options.nodes
  const attack = attackPoints(results)
  return {
    ...(attack.length === 0
      ? {}
      : {
          attack: {
            title: 'Recall and latency of the geo topics under attack vs adversaries M',
            marginRight: 130,
            fy: { label: null },
            x: { label: 'adversaries M', grid: true },
            y: { label: null, grid: true },
            marks: [
              Plot.line(attack, { x: 'adversaries', y: 'value', fy: 'measure' }),
              Plot.dot(attack, { x: 'adversaries', y: 'value', fy: 'measure' }),
              // The panels share one y scale (Plot's facets do): each point's value is written beside it.
              Plot.text(attack, { x: 'adversaries', y: 'value', fy: 'measure', text: (d: { value: number }) => d.value.toFixed(0), dy: -12 }),
              Plot.ruleY([0])
            ]
          }
        }),
    'latency-cdf': {
      title: `Publish → inbox latency, ${n} residents: geo topics vs one global topic`,
      marginRight: 50,
      x: { label: 'ms after publish', grid: true },
      y: { label: 'share of in-area deliveries', domain: [0, 1], grid: true },
      marks: [
        Plot.line(cdf, { x: 'ms', y: 'share', stroke: 'design', curve: 'step-after' }),
        Plot.text([...lastOf('geo'), ...lastOf('flood')], { x: 'ms', y: 'share', text: 'design', fill: 'design', dx: 6, textAnchor: 'start' })
      ]
    },
    exposure: {
      title: 'Residents outside the request\'s res-7 cells that received it (% of all residents)',
      fx: { label: 'request' },
      x: { axis: null },
      y: { label: '% of residents', grid: true },
      marks: [Plot.barY(perRequest, { fx: 'request', x: 'design', y: 'exposure', fill: 'design' }), Plot.ruleY([0])]
    },
    bytes: {
      title: 'Bytes sent + received per node per request (mean over all nodes)',
      fx: { label: 'request' },
      x: { axis: null },
      y: { label: 'bytes', grid: true },
      marks: [
        Plot.barY(perRequest, { fx: 'request', x: 'design', y: 'bytes', fill: 'design' }),
        Plot.text(perRequest.filter((p) => p.request === 0), { fx: 'request', x: 'design', y: 'bytes', text: 'design', dy: -6 }),
        Plot.ruleY([0])
      ]
    }
  }
}

/** Writes results.json and each plot as .svg and .png into `dir`; returns the files written. */
export async function writeReport (dir: string, results: SimResults): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const files = [join(dir, 'results.json')]
  await writeFile(files[0]!, JSON.stringify(results, null, 2) + '\n')
  for (const [name, options] of Object.entries(plotOptions(results))) {
    const svg = renderSvg(options)
    await writeFile(join(dir, `${name}.svg`), svg)
    await writeFile(join(dir, `${name}.png`), svgToPng(svg))
    files.push(join(dir, `${name}.svg`), join(dir, `${name}.png`))
  }
  return files
}
