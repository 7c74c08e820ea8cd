// Vite builds the UI to ui/dist with no plugin: esbuild/oxc compiles the JSX for Preact directly.
// Everything is bundled (protocol/, h3-js, uPlot): the pages load nothing from another origin.
import { defineConfig } from 'vite'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('.', import.meta.url))

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
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } }
})
