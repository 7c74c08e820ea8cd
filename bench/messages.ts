// Request validation throughput: what a relay pays per gossiped request. "Valid" is the full check
// (size, strict decode, limits, EIP-712 signature) as a node runs it — libsecp256k1 and native Keccak, the
// agency's key kept (issue 22) — and as a browser runs it (noble, nothing kept); "invalid" requests fail a
// cheap check before the signature is looked at. The baseline is ethers.verifyTypedData on the same request,
// which checks the signature alone.
import { verifyTypedData } from 'ethers'
import { validateSignedRequest } from '../protocol/limits/index.js'
import { encodeSignedRequest } from '../protocol/messages/index.js'
import { SignatureVerifier, toEip712Json } from '../protocol/signing/index.js'
import { nodeSigningBackend } from '../node/crypto/index.js'
import { DOMAIN, NOW, signedRequest } from '../test/helpers/messages.js'
import { opsPerSecond } from './lib.js'
import type { BenchContext } from './lib.js'

export default async function (ctx: BenchContext): Promise<void> {
  const rounds = ctx.quick ? 3 : 7
  const minMs = ctx.quick ? 100 : 300
  const signed = signedRequest()
  const bytes = encodeSignedRequest(signed)
  const json = toEip712Json('Request', signed.message, DOMAIN)
  const { EIP712Domain: _domain, ...types } = json.types

  const baseline = await opsPerSecond(() => { verifyTypedData(json.domain, types, json.message, signed.signature) }, { rounds, minMs })
  const node = new SignatureVerifier({ backend: nodeSigningBackend() })
  const valid = await opsPerSecond(() => { validateSignedRequest(bytes, DOMAIN, NOW, node) }, { rounds, minMs })
  const browser = await opsPerSecond(() => { validateSignedRequest(bytes, DOMAIN, NOW) }, { rounds, minMs })
  const rejects = (now: number) => () => {
    try { validateSignedRequest(bytes, DOMAIN, now) } catch { return 1 }
    throw new Error('expected a rejection')
  }
  const expired = await opsPerSecond(rejects(NOW + 72 * 3600), { rounds, minMs })
  // A request whose window is too long for its limits: same decode work, a different cheap check.
  const longWindow = encodeSignedRequest(signedRequest({ windowStart: NOW - 14 * 3600 }))
  const tooLong = await opsPerSecond(() => {
    try { validateSignedRequest(longWindow, DOMAIN, NOW) } catch { return 1 }
    throw new Error('expected a rejection')
  }, { rounds, minMs })

  const base = { label: 'ethers.verifyTypedData', value: baseline }
  ctx.row({ section: 'messages', figure: 'valid request validations (decode + limits + signature), as a node runs them', value: valid, unit: 'req/s', baseline: base, better: 'higher', goal: '≥ 5,000/s and ≥ 10× baseline', met: valid >= 5000 && valid >= 10 * baseline })
  ctx.row({ section: 'messages', figure: 'valid request validations, as a browser runs them (noble, no key kept)', value: browser, unit: 'req/s', baseline: base, better: 'higher', goal: '≥ baseline', met: browser >= baseline })
  ctx.row({ section: 'messages', figure: 'expired requests rejected (decode + limits)', value: expired, unit: 'req/s', baseline: base, better: 'higher', goal: '≥ 5× baseline', met: expired >= 5 * baseline })
  ctx.row({ section: 'messages', figure: 'too-long-window requests rejected (decode + limits)', value: tooLong, unit: 'req/s', baseline: base, better: 'higher', goal: '≥ 5× baseline', met: tooLong >= 5 * baseline })
}
