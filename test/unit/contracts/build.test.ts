import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { artifactsDir, compileContracts, compileSources, contractNames, formatArtifact } from '../../../contracts/build.js'

test('the committed artifacts are exactly what the sources compile to', async () => {
  const built = compileContracts()
  for (const name of contractNames) {
    const committed = await readFile(join(artifactsDir, `${name}.json`), 'utf8')
    assert.equal(committed, formatArtifact(built[name]), `contracts/artifacts/${name}.json is stale: run node --import tsx contracts/build.ts`)
  }
})

test('artifacts carry the ABI, the bytecode and the compiler settings', () => {
  const { AuditAnchor } = compileContracts()
  assert.match(AuditAnchor.bytecode, /^0x[0-9a-f]+$/)
  assert.equal(AuditAnchor.compiler.settings.evmVersion, 'cancun')
  assert.equal(AuditAnchor.compiler.settings.optimizer.enabled, true)
  assert.ok(AuditAnchor.abi.some((item) => (item as { name?: string }).name === 'anchorBatch'))
})

test('a compile error is reported as SolidityCompileError', () => {
  assert.throws(() => compileSources({ 'Broken.sol': 'pragma solidity 0.8.37; contract Broken { function f( }' }), { name: 'SolidityCompileError' })
})
