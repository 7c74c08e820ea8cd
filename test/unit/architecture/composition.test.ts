// How a node is composed, checked over the source: node/roles.ts is the one file that wires services, one
// place makes a ChainClient, and no domain service mounts its own routes or imports the web framework.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { defineService, type NodeComponents } from '../../../node/index.js'
import type { ChainService } from '../../../node/chain/index.js'

const root = new URL('../../../', import.meta.url).pathname

async function sources (dir: string): Promise<Array<{ file: string, text: string }>> {
  const out: Array<{ file: string, text: string }> = []
  for (const entry of await readdir(join(root, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue
    const path = join(entry.parentPath, entry.name)
    out.push({ file: relative(root, path), text: await readFile(path, 'utf8') })
  }
  return out
}

const filesMatching = async (pattern: RegExp): Promise<string[]> =>
  (await sources('node')).filter(({ text }) => pattern.test(text)).map(({ file }) => file).sort()

test('outside tests, exactly one place in node/ makes a ChainClient', async () => {
  // chain-client.ts itself: its static `connect` calls its private constructor.
  assert.deepEqual(await filesMatching(/ChainClient\.connect\(|new ChainClient\(/), ['node/chain/chain-client.ts', 'node/chain/chain-service.ts'])
  assert.deepEqual(await filesMatching(/ChainClient\.connect\(/), ['node/chain/chain-service.ts'])
})

test('node/roles.ts is the only file that declares services', async () => {
  assert.deepEqual(await filesMatching(/defineService\(/), ['node/roles.ts'])
})

test('services declare their routes: only the node mounts routes', async () => {
  assert.deepEqual(await filesMatching(/\.addRoutes\(/), ['node/node.ts'])
})

test('domain services do not import fastify: only route files and the API server do', async () => {
  const importers = await filesMatching(/from 'fastify'/)
  const allowed = (file: string): boolean => file.startsWith('node/api/') || /(^|[-/])routes\.ts$/.test(file) || file === 'node/service.ts' || file === 'node/log/anchor-history.ts'
  assert.deepEqual(importers.filter((f) => !allowed(f)), [])
})

test('defineService: the compiler refuses a `needs` that leaves out a service the factory uses', () => {
  const factory = (c: Pick<NodeComponents, 'config'> & { chain: ChainService, log?: object }): { name: string } => ({ name: c.config.name })
  // @ts-expect-error `chain` is used by the factory but not named (typecheck fails if this stops being an error)
  defineService(factory, { needs: [] })
  // An optional component need not be named; a required one must be.
  assert.deepEqual(defineService(factory, { needs: ['chain'] }).needs, ['chain'])
  assert.deepEqual(defineService(factory, { needs: ['chain', 'log'] }).needs, ['chain', 'log'])
})
