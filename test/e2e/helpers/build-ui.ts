// Builds ui/ into ui/dist once per test process (about a second), so the browser tests always run the
// current sources.
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

export const UI_DIST = fileURLToPath(new URL('../../../ui/dist', import.meta.url))
let built: Promise<void> | undefined

export async function buildUi (): Promise<void> {
  built ??= build({ configFile: fileURLToPath(new URL('../../../ui/vite.config.ts', import.meta.url)), logLevel: 'error' }).then(() => {})
  await built
}
