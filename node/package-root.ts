// Where the project's non-TypeScript files are (contracts/artifacts, ui/dist, bin/). This module runs from
// node/ in the sources (through tsx) and from dist/node/ once built (`npm run build`), so a path written
// relative to a module's own URL would point into dist/ after the build; paths from here do not.
import { fileURLToPath } from 'node:url'

const parent = new URL('..', import.meta.url)

/** The project folder (the one with package.json), from the sources or from the build. */
export const packageRoot: URL = parent.pathname.endsWith('/dist/') ? new URL('..', parent) : parent

/** A path inside the project folder, e.g. `packagePath('ui/dist')`. */
export function packagePath (relative: string): string {
  return fileURLToPath(new URL(relative, packageRoot))
}
