// config.json's `audit` section: auditors only, defaults filled, agency addresses checksummed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseConfig } from '../../../node/config/index.js'
import { parseLogEndpoints } from '../../../node/cli/init.js'

const auditor = { version: 1, role: 'auditor', name: 'watch' }
const agency = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

function rejects (value: unknown, field: string): void {
  assert.throws(() => parseConfig(value), (err: { name: string, details: { field: string } }) => {
    assert.equal(err.name, 'InvalidConfigError')
    assert.equal(err.details.field, field)
    return true
  })
}

test('an auditor gets the audit defaults', () => {
  assert.deepEqual(parseConfig(auditor).audit, { logs: {}, peers: [], anchorIntervalSeconds: 600, anchorGraceSeconds: 60, intervalSeconds: 300 })
})

test('log endpoints are kept under checksummed addresses', () => {
  const config = parseConfig({ ...auditor, audit: { logs: { [agency.toLowerCase()]: 'http://127.0.0.1:8080' }, anchorIntervalSeconds: 5 } })
  assert.deepEqual(config.audit?.logs, { [agency]: 'http://127.0.0.1:8080' })
  assert.equal(config.audit?.anchorIntervalSeconds, 5)
})

test('bad audit settings name their field', () => {
  rejects({ ...auditor, audit: { logs: { nope: 'http://x' } } }, '/audit/logs')
  rejects({ ...auditor, audit: { logs: { [agency]: 'ftp://x' } } }, `/audit/logs/${agency}`)
  rejects({ ...auditor, audit: { logs: { [agency]: '/ip4/127.0.0.1/tcp/1' } } }, `/audit/logs/${agency}/0`)
  rejects({ ...auditor, audit: { intervalSeconds: 0 } }, '/audit/intervalSeconds')
  rejects({ ...auditor, audit: { surprise: 1 } }, '/audit/surprise')
  rejects({ version: 1, role: 'agency', name: 'pd', audit: {} }, '/audit')
})

test('--log takes ADDRESS=ENDPOINT pairs', () => {
  assert.deepEqual(parseLogEndpoints([`${agency}=http://a`, `${agency.toLowerCase()}=/ip4/1.2.3.4/tcp/1/p2p/x`]), { [agency]: 'http://a', [agency.toLowerCase()]: '/ip4/1.2.3.4/tcp/1/p2p/x' })
  assert.throws(() => parseLogEndpoints(['http://a']), { name: 'UsageError' })
})
