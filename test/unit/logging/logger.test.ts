import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { createLogger, getLogLevel, serializeError } from '../../../node/logging/index.js'
import { PorchlightError } from '../../../protocol/errors.js'

/** A logger whose JSON lines land in `lines`. */
function captured (level: 'trace' | 'info' = 'trace'): { logger: ReturnType<typeof createLogger>, lines: string[] } {
  const lines: string[] = []
  const destination = new Writable({ write (chunk: Buffer, _enc, done) { lines.push(...chunk.toString().split('\n').filter((l) => l !== '')); done() } })
  return { logger: createLogger({ level, destination }), lines }
}

test('fields that hold secrets are censored at the top, one level down and in error details', () => {
  const { logger, lines } = captured()
  logger.info({ token: 'tok-123', apiToken: 'tok-456', headers: { authorization: 'Bearer tok-789' }, key: '0xkey', lat: 47.123456, lng: -122.654321, cameras: [{ name: 'porch-cam' }], file: 'front-door.mp4', kept: 'visible' }, 'a line')
  logger.warn({ outer: { privateKey: '0xpriv', camera: 'porch-cam', fileName: 'garage.webm' } }, 'another')
  assert.equal(lines.length, 2)
  const text = lines.join('\n')
  for (const secret of ['tok-123', 'tok-456', 'tok-789', '0xkey', '47.123456', '-122.654321', 'porch-cam', 'front-door.mp4', '0xpriv', 'garage.webm']) {
    assert.equal(text.includes(secret), false, secret)
  }
  assert.equal((JSON.parse(lines[0]!) as { kept: string }).kept, 'visible')
})

test('errors are logged by name, code, field and stack frames, never by their message', () => {
  const { logger, lines } = captured()
  const inner = new Error("ENOENT: no such file or directory, open '/home/x/clips/front-door.mp4'")
  const err = new PorchlightError('UNKNOWN_CAMERA', "'porch-cam' is not a camera of this node", { cause: inner, details: { field: 'camera', value: 'porch-cam' } })
  err.name = 'UnknownCameraError'
  logger.error({ err }, 'failed')
  const line = JSON.parse(lines[0]!) as { err: { type: string, code: string, field: string, stack: string, cause: { type: string } } }
  assert.equal(line.err.type, 'UnknownCameraError')
  assert.equal(line.err.code, 'UNKNOWN_CAMERA')
  assert.equal(line.err.field, 'camera')
  assert.match(line.err.stack, /^\s+at /)
  assert.equal(line.err.cause.type, 'Error')
  for (const secret of ['porch-cam', 'front-door.mp4']) assert.equal(lines[0]!.includes(secret), false, secret)
  assert.deepEqual(serializeError('not an error'), { type: 'string' })
})

test('the level: PORCHLIGHT_LOG_LEVEL over the config, over info; a bad one is a typed error', () => {
  assert.equal(getLogLevel(undefined, {}), 'info')
  assert.equal(getLogLevel('debug', {}), 'debug')
  assert.equal(getLogLevel('debug', { PORCHLIGHT_LOG_LEVEL: 'warn' }), 'warn')
  assert.equal(getLogLevel('debug', { PORCHLIGHT_LOG_LEVEL: '' }), 'debug')
  assert.throws(() => getLogLevel(undefined, { PORCHLIGHT_LOG_LEVEL: 'loud' }), { name: 'InvalidLogLevelError', code: 'INVALID_LOG_LEVEL' })
  const { logger, lines } = captured('info')
  logger.debug('hidden')
  logger.info('shown')
  assert.equal(lines.length, 1)
})
