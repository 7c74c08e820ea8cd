import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as Plot from '@observablehq/plot'
import { renderSvg, svgToPng } from '../../../simulations/plots.js'

test('a plot renders to a standalone SVG with its title, and to a PNG', () => {
  const data = [{ x: 1, y: 2 }, { x: 2, y: 3 }]
  const svg = renderSvg({ title: 'Latency & recall', marks: [Plot.line(data, { x: 'x', y: 'y' })] })
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
  assert.match(svg, /Latency &amp; recall/)
  assert.match(svg, /<\/svg>$/)
  const png = svgToPng(svg, 1)
  assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47])
})
