// Builds ui/ once per test process (about a second) into a folder of its own: node's runner runs test files
// in parallel processes, and two builds emptying one ui/dist would pull files from under each other's server.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

let built: Promise<string> | undefined

/** The folder holding the freshly built UI. */
export async function buildUi (): Promise<string> {
  built ??= (async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'porchlight-ui-'))
    await build({
      configFile: fileURLToPath(new URL('../../../ui/vite.config.ts', import.meta.url)),
      logLevel: 'error',
      build: { outDir, emptyOutDir: true }
    })
    return outDir
  })()
  return await built
}
