// No file in node/, protocol/ or ui/ may import itself through others, type-only imports included: a circle
// makes load order matter (a class read before its module ran is undefined) and ties the files into one unit
// that cannot be read, tested or split apart. dpdm walks the imports with the TypeScript parser.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { parseCircular, parseDependencyTree } from 'dpdm'

const root = fileURLToPath(new URL('../../..', import.meta.url))

test('no import circle in node/, protocol/ or ui/ (type-only imports included)', { timeout: 120_000 }, async () => {
  const tree = await parseDependencyTree(['node/**/*.ts', 'protocol/**/*.ts', 'ui/**/*.ts', 'ui/**/*.tsx'], {
    context: root,
    cwd: root,
    // Keep `import type`: a type-only circle still ties the files together for a reader and for tsc.
    transform: false,
    exclude: /node_modules|\/dist\//
  })
  const files = Object.keys(tree)
  assert.ok(files.length > 100, `only ${files.length} files parsed`)

  // A relative import dpdm cannot resolve would hide the circles through it.
  const unresolved = Object.values(tree).flatMap((deps) => deps ?? [])
    .filter((d) => d.request.startsWith('.') && d.id === null)
    .map((d) => `${d.issuer} imports ${d.request}`)
  assert.deepEqual(unresolved, [])

  const circles = parseCircular(tree).map((files) => files.join(' -> ')).sort()
  assert.deepEqual(circles, [])
})
