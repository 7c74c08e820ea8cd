// Plots for the simulation report, drawn by Observable Plot into a server-side DOM (linkedom) as SVG, and
// rasterised to PNG by resvg where a picture is handier than a vector.
import * as Plot from '@observablehq/plot'
import { parseHTML } from 'linkedom'
import { Resvg } from '@resvg/resvg-js'

export type PlotOptions = Omit<Plot.PlotOptions, 'title' | 'document'> & { title?: string }

function escapeXml (text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
}

/**
 * Renders Plot options to a standalone SVG document string. Plot wraps titles and legends in an HTML
 * <figure>, which a .svg file cannot hold: the title is drawn into the SVG instead, and series should be
 * labelled with marks (e.g. Plot.text at the end of each line) rather than an HTML legend.
 */
export function renderSvg ({ title, ...options }: PlotOptions): string {
  // linkedom types its result as the DOM's `Window`, which this Node-only project has no lib for.
  const { document } = parseHTML('<!doctype html><html><body></body></html>') as { document: unknown }
  const node = Plot.plot({
    ...options,
    document: document as never,
    style: { background: 'white', fontSize: '11px' }
  }) as unknown as { outerHTML: string, tagName: string, querySelector (s: string): { outerHTML: string } | null }
  const svg = node.tagName.toLowerCase() === 'svg' ? node.outerHTML : node.querySelector('svg[viewBox]')?.outerHTML
  if (svg === undefined) throw new Error('Plot produced no SVG')
  const plain = svg
    .replace('<svg', '<svg xmlns="http://www.w3.org/2000/svg"')
    .replace(/font-family="[^"]*"/, 'font-family="DejaVu Sans, sans-serif"')
  if (title === undefined) return plain
  // The title goes above the plot: grow the canvas by one line and move the plot down under it.
  const LINE = 26
  const open = /^<svg([^>]*)>/.exec(plain)![0]
  const width = Number(/width="(\d+)"/.exec(open)?.[1] ?? 640)
  const height = Number(/height="(\d+)"/.exec(open)?.[1] ?? 400)
  const grown = open
    .replace(/viewBox="[^"]*"/, `viewBox="0 0 ${width} ${height + LINE}"`)
    .replace(/height="\d+"/, `height="${height + LINE}"`)
  const heading = `<text x="8" y="18" font-size="14" font-weight="bold" text-anchor="start">${escapeXml(title)}</text>`
  return `${grown}${heading}<g transform="translate(0,${LINE})">${plain.slice(open.length, -'</svg>'.length)}</g></svg>`
}

/** Rasterises an SVG document to PNG bytes at `scale`× its size. */
export function svgToPng (svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } })
  return resvg.render().asPng()
}
