// The real-NAT harness cleans up after a run however it ends (test/support/netns.ts): a process that builds
// the topology and is then stopped by SIGTERM, or crashes, leaves no namespace behind; one that is SIGKILLed
// (no handler can run) leaves its namespaces to the next run, which deletes them. Skipped loudly where
// network namespaces are refused.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { assertNetnsAvailable, namespaceExists, namespaces, NetnsUnavailableError } from '../../support/netns.js'

const harness = new URL('../../support/netns.ts', import.meta.url).href

async function unavailable (): Promise<string | undefined> {
  try {
    await assertNetnsAvailable()
    return undefined
  } catch (err) {
    if (!(err instanceof NetnsUnavailableError)) throw err
    console.warn(`netns.test.ts: SKIPPED, ${err.message}`)
    return err.message
  }
}

/**
 * A child process that builds the NAT topology, prints its namespaces' names as one JSON line, then runs
 * `then` (JavaScript with `topology` in scope). Resolves with the child and the names.
 */
async function buildInChild (t: { after: (fn: () => void) => void }, then: string): Promise<{ child: ReturnType<typeof spawn>, names: string[] }> {
  const script = `const { buildNatTopology } = await import(${JSON.stringify(harness)})
const topology = await buildNatTopology()
console.log(JSON.stringify(Object.values(topology).filter((v) => typeof v === 'object' && v !== null && 'name' in v).map((v) => v.name)))
${then}`
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'], cwd: fileURLToPath(new URL('../../..', import.meta.url)) })
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  // Its stderr (the crash's stack) is kept for a failure message, not printed.
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const [line] = await Promise.race([
    once(createInterface({ input: child.stdout }), 'line'),
    once(child, 'exit').then(() => { throw new Error(`the child exited before building: ${stderr}`) })
  ])
  return { child, names: JSON.parse(String(line)) as string[] }
}

async function allExist (names: string[]): Promise<boolean[]> {
  return await Promise.all(names.map(namespaceExists))
}

test('a run stopped by SIGTERM deletes its namespaces', { timeout: 60_000 }, async (t) => {
  const reason = await unavailable()
  if (reason !== undefined) { t.skip(reason); return }
  const { child, names } = await buildInChild(t, 'setInterval(() => {}, 1000)')
  assert.equal(names.length, 7)
  assert.deepEqual(await allExist(names), names.map(() => true), 'built')
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  await exited
  assert.deepEqual(await allExist(names), names.map(() => false))
})

test('a run that crashes deletes its namespaces', { timeout: 60_000 }, async (t) => {
  const reason = await unavailable()
  if (reason !== undefined) { t.skip(reason); return }
  const { child, names } = await buildInChild(t, 'setTimeout(() => { throw new Error("crash") }, 10)')
  const [code] = await once(child, 'exit') as [number | null]
  assert.notEqual(code, 0, 'it crashed')
  assert.deepEqual(await allExist(names), names.map(() => false))
})

test('a SIGKILLed run leaves its namespaces to the next, which deletes them', { timeout: 60_000 }, async (t) => {
  const reason = await unavailable()
  if (reason !== undefined) { t.skip(reason); return }
  const { child, names } = await buildInChild(t, 'setInterval(() => {}, 1000)')
  const exited = once(child, 'exit')
  child.kill('SIGKILL')
  await exited
  assert.deepEqual(await allExist(names), names.map(() => true), 'no handler ran')
  const next = await namespaces()
  await next.destroy()
  assert.deepEqual(await allExist(names), names.map(() => false))
})
