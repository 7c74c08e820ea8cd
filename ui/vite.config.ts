// Vite builds the UI to ui/dist with no plugin: esbuild/oxc compiles the JSX for Preact directly.
// Everything is bundled (protocol/, h3-js, uPlot, MapLibre and its worker): the pages load nothing from
// another origin unless the node is configured with a tile server or geocoder (docs/ui.md).
import { defineConfig } from 'vite'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('.', import.meta.url))
// `PORCHLIGHT_API=http://127.0.0.1:PORT npx vite --config ui/vite.config.ts` serves the sources with hot
// reload and passes the API and the log's routes to that node, under the node's own Host (`changeOrigin`):
// the node answers only the names it is known by, and localhost:5173 is the dev server's.
const api = process.env.PORCHLIGHT_API
const toNode = api === undefined ? undefined : { target: api, changeOrigin: true }

export default defineConfig({
  root,
  base: './',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // MapLibre's worker is an ES module (it imports the code it shares with the page).
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2048
  },
  server: {
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    ...(toNode === undefined ? {} : { proxy: { '/api': toNode, '/checkpoint': toNode, '/tile': toNode } })
  }
})
