// Every error class in node/ and protocol/ with the code it carries and the HTTP status the API answers it
// with, checked against error-statuses.txt: a new class, a changed code or status shows in review as a
// change of that file. Regenerate it with `UPDATE_ERROR_STATUSES=1 node scripts/test.mjs <this file>`.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { PorchlightError } from '../../../protocol/errors.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const expectedFile = fileURLToPath(new URL('./error-statuses.txt', import.meta.url))

// It passes on the code of the node it called: the class has no code of its own.
const carriesAnothersCode = new Set(['node/api/client.ts NodeApiError'])

type ErrorClass = typeof PorchlightError

function sources (dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name)
    if (d.isDirectory()) return d.name === 'node_modules' || d.name === 'dist' ? [] : sources(path)
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [path] : []
  })
}

const declaration = /^(?:export )?class (\w+) extends (\w+)/gm

interface Row { file: string, name: string, Class: ErrorClass }

async function errorClasses (): Promise<{ rows: Row[], unexported: string[] }> {
  const files = [...sources('node'), ...sources('protocol')].filter((f) => /class \w+ extends /.test(readFileSync(join(root, f), 'utf8')))
  const rows: Row[] = []
  const seen = new Set<unknown>()
  const declared: Array<{ file: string, name: string, base: string }> = []
  for (const file of files.sort()) {
    const text = readFileSync(join(root, file), 'utf8')
    for (const m of text.matchAll(declaration)) declared.push({ file, name: m[1] ?? '', base: m[2] ?? '' })
    const mod = await import(pathToFileURL(join(root, file)).href) as Record<string, unknown>
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value !== 'function' || !(value.prototype instanceof PorchlightError) || seen.has(value)) continue
      // A re-export is listed where the class is declared.
      if (!new RegExp(`class ${name} extends`).test(text)) continue
      seen.add(value)
      rows.push({ file, name, Class: value as ErrorClass })
    }
  }
  // A class nobody exports would escape the table: every class that extends an error class is exported.
  const errorNames = new Set(['PorchlightError', 'kind', ...rows.map((r) => r.name)])
  const listed = new Set(rows.map((r) => `${r.file} ${r.name}`))
  const unexported = declared.filter((d) => errorNames.has(d.base) && !listed.has(`${d.file} ${d.name}`)).map((d) => `${d.file} ${d.name}`)
  return { rows, unexported }
}

test('every error class has a status, codes are unique, and the table is the committed one', async () => {
  const { rows, unexported } = await errorClasses()
  assert.ok(rows.length > 100, `only ${rows.length} error classes found`)
  assert.deepEqual(unexported, [])

  const bases = new Set(rows.map((r) => Object.getPrototypeOf(r.Class) as unknown))
  const noStatus = rows.filter((r) => typeof r.Class.status !== 'number').map((r) => `${r.file} ${r.name}`)
  assert.deepEqual(noStatus, [], 'an error class without a status answers 500')
  const badStatus = rows.filter((r) => !Number.isInteger(r.Class.status) || (r.Class.status ?? 0) < 400 || (r.Class.status ?? 0) > 599)
  assert.deepEqual(badStatus.map((r) => r.name), [])

  const noCode = rows.filter((r) => typeof r.Class.code !== 'string' && !bases.has(r.Class) && !carriesAnothersCode.has(`${r.file} ${r.name}`))
  assert.deepEqual(noCode.map((r) => `${r.file} ${r.name}`), [])
  const byCode = new Map<string, string[]>()
  for (const r of rows) if (typeof r.Class.code === 'string') byCode.set(r.Class.code, [...byCode.get(r.Class.code) ?? [], `${r.file} ${r.name}`])
  assert.deepEqual([...byCode].filter(([, classes]) => classes.length > 1), [], 'two classes share a code')

  const table = rows
    .map((r) => `${r.Class.code ?? '-'} ${r.Class.status} ${r.name} ${relative(root, join(root, r.file))}`)
    .sort()
  if (process.env.UPDATE_ERROR_STATUSES === '1') writeFileSync(expectedFile, `${table.join('\n')}\n`)
  assert.deepEqual(table, readFileSync(expectedFile, 'utf8').trimEnd().split('\n'))
})
