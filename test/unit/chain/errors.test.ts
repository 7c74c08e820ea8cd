import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  AuditAnchorFork, ChainRequestError, ChainUnavailableError, ContractRevertedError, agencyRegistryInterface,
  auditAnchorInterface, witnessRegistryInterface, anchorRelayInterface, decodeRevertData, revertErrors, toChainError
} from '../../../node/chain/index.js'
import { isPorchlightError } from '../../../protocol/errors.js'

test('every custom error in the contracts\' ABIs has a typed class of the same name', () => {
  for (const iface of [agencyRegistryInterface, auditAnchorInterface, witnessRegistryInterface, anchorRelayInterface]) {
    iface.forEachError((fragment) => {
      const Revert = revertErrors[fragment.name]
      assert.ok(Revert !== undefined, `no class for ${fragment.name}`)
      const err = new Revert({})
      assert.equal(err.name, fragment.name)
      assert.match(err.code, /^[A-Z0-9]+(_[A-Z0-9]+)*$/)
      assert.ok(isPorchlightError(err, fragment.name))
    })
  }
})

test('revert data decodes into the named error with its arguments in details', () => {
  const data = auditAnchorInterface.encodeErrorResult('AuditAnchorFork', ['0x' + '11'.repeat(20), 7, '0x' + 'aa'.repeat(32), '0x' + 'bb'.repeat(32)])
  const err = decodeRevertData(data)
  assert.ok(err instanceof AuditAnchorFork)
  assert.equal(err.code, 'AUDIT_ANCHOR_FORK')
  assert.deepEqual(err.details, { agency: '0x' + '11'.repeat(20), treeSize: '7', latestRoot: '0x' + 'aa'.repeat(32), root: '0x' + 'bb'.repeat(32) })
  assert.equal(err.args.treeSize, 7n)
})

test('unknown or empty revert data is ContractRevertedError', () => {
  assert.ok(decodeRevertData('0xdeadbeef') instanceof ContractRevertedError)
  assert.ok(decodeRevertData(undefined) instanceof ContractRevertedError)
  assert.equal(toChainError({ code: 'CALL_EXCEPTION', data: null }).name, 'ContractRevertedError')
})

test('socket and HTTP failures are ChainUnavailableError; other refusals ChainRequestError', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })
  assert.ok(toChainError(refused) instanceof ChainUnavailableError)
  assert.ok(toChainError({ code: 'UNKNOWN_ERROR', error: { code: 'ECONNRESET' } }) instanceof ChainUnavailableError)
  assert.ok(toChainError({ code: 'INSUFFICIENT_FUNDS', shortMessage: 'insufficient funds' }) instanceof ChainRequestError)
})
