// Vite builds the UI to ui/dist with no plugin: esbuild/oxc compiles the JSX for Preact directly.
// Everything is bundled (protocol/, h3-js, uPlot): the pages load nothing from another origin.
import { defineConfig } from 'vite'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('.', import.meta.url))
// `PORCHLIGHT_API=http://127.0.0.1:PORT npx vite --config ui/vite.config.ts` serves the sources with hot
// reload and passes the API and the log's routes to that node.
const api = process.env.PORCHLIGHT_API

export default defineConfig({
  root,
  base: './',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2048
  },
  server: {
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    ...(api === undefined ? {} : { proxy: { '/api': api, '/checkpoint': api, '/tile': api } })
  }
})
