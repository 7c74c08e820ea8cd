// Preloaded (`node --import`) into a child under test: at exit, writes the CommonJS modules it loaded to
// $PORCHLIGHT_LOADED_MODULES. Hardhat is CommonJS, and an ES import of it goes through the CJS loader, so
// its files show up here whoever imported them.
import { createRequire } from 'node:module'
import { writeFileSync } from 'node:fs'

const require = createRequire(import.meta.url)
process.on('exit', () => {
  writeFileSync(process.env.PORCHLIGHT_LOADED_MODULES, JSON.stringify(Object.keys(require.cache)))
})
