import { test } from 'node:test'
import assert from 'node:assert/strict'
import { TypedDataEncoder, Wallet, getAddress as ethersGetAddress, verifyTypedData, hexlify, randomBytes } from 'ethers'
import { bytesToHex } from '@noble/hashes/utils.js'
import {
  SIGNABLE_KINDS, TYPES, addressOfPrivateKey, encodeType, getAddress, hashTypedData, isChecksummedAddress,
  recoverSigner, signTyped, toEip712Json, verifySigned
} from '../../../protocol/signing/index.js'
import type { SignableKind, SignableMessages } from '../../../protocol/signing/index.js'
import {
  AGENCY, AGENCY_KEY, CONSENT_ADDRESS, CONSENT_KEY, DOMAIN, sampleConsent, sampleDeletionRequest, sampleReceipt,
  sampleRequest, sampleWithdrawal
} from '../../helpers/messages.js'

const samples: { [K in SignableKind]: [SignableMessages[K], string, string] } = {
  Request: [sampleRequest(), AGENCY_KEY, AGENCY],
  Withdrawal: [sampleWithdrawal(), AGENCY_KEY, AGENCY],
  Consent: [sampleConsent(), CONSENT_KEY, CONSENT_ADDRESS],
  Receipt: [sampleReceipt(), AGENCY_KEY, AGENCY],
  DeletionRequest: [sampleDeletionRequest(), CONSENT_KEY, CONSENT_ADDRESS]
}

/** ethers' arguments for the same typed data, from our standard JSON form. */
function forEthers (kind: SignableKind, message: never): { domain: Record<string, unknown>, types: Record<string, Array<{ name: string, type: string }>>, value: Record<string, unknown> } {
  const json = toEip712Json(kind, message, DOMAIN)
  const { EIP712Domain: _domain, ...types } = json.types
  return { domain: json.domain, types, value: json.message }
}

for (const kind of SIGNABLE_KINDS) {
  const [message, key, signer] = samples[kind] as [never, string, string]

  test(`${kind}: encodeType and the digest equal ethers' TypedDataEncoder`, () => {
    const { domain, types, value } = forEthers(kind, message)
    assert.equal(encodeType(kind, TYPES[kind]), TypedDataEncoder.from(types).encodeType(kind))
    assert.equal(`0x${bytesToHex(hashTypedData(kind, message, DOMAIN))}`, TypedDataEncoder.hash(domain, types, value))
  })

  test(`${kind}: a signature made here verifies with ethers.verifyTypedData`, () => {
    const signed = signTyped(kind, message, DOMAIN, key)
    const { domain, types, value } = forEthers(kind, message)
    assert.equal(verifyTypedData(domain, types, value, signed.signature), signer)
  })

  test(`${kind}: a signature made by ethers.Wallet.signTypedData recovers here`, async () => {
    const { domain, types, value } = forEthers(kind, message)
    const signature = await new Wallet(key).signTypedData(domain, types, value)
    const signed = { message, signature }
    assert.equal(recoverSigner(kind, signed, DOMAIN), signer)
    assert.equal(verifySigned(kind, signed, DOMAIN, signer), signer)
  })
}

test('encodeType lists only the struct types a type refers to', () => {
  assert.equal(encodeType('Clip', TYPES.Consent), 'Clip(string cid,uint64 size,uint64 start,uint64 end,string mediaType,uint64 durationMs,string camera)')
  assert.equal(encodeType('Consent', TYPES.Consent),
    'Consent(string request,Clip[] clips,string terms,address consentKey,uint64 issuedAt)Clip(string cid,uint64 size,uint64 start,uint64 end,string mediaType,uint64 durationMs,string camera)')
})

test('verifySigned rejects another domain, a changed message and the wrong signer', () => {
  const signed = signTyped('Request', sampleRequest(), DOMAIN, AGENCY_KEY)
  assert.equal(verifySigned('Request', signed, DOMAIN), AGENCY)
  const cases: Array<() => unknown> = [
    () => verifySigned('Request', signed, { ...DOMAIN, chainId: 1 }),
    () => verifySigned('Request', signed, { ...DOMAIN, verifyingContract: '0x' + '11'.repeat(20) }),
    () => verifySigned('Request', { ...signed, message: { ...signed.message, retentionDays: 91 } }, DOMAIN),
    () => verifySigned('Request', { ...signed, message: { ...signed.message, cells: signed.message.cells.slice(1) } }, DOMAIN),
    () => verifySigned('Request', signed, DOMAIN, CONSENT_ADDRESS),
    // A consent must be signed by its own consentKey, whoever else could have signed the same bytes.
    () => verifySigned('Consent', { message: { ...sampleConsent(), consentKey: AGENCY }, signature: signTyped('Consent', sampleConsent(), DOMAIN, CONSENT_KEY).signature }, DOMAIN),
    // Receipts name no signer: without an expected one there is nothing to verify against.
    () => verifySigned('Receipt', signTyped('Receipt', sampleReceipt(), DOMAIN, AGENCY_KEY), DOMAIN, undefined as unknown as string),
    () => verifySigned('Receipt', signTyped('Receipt', sampleReceipt(), DOMAIN, AGENCY_KEY), DOMAIN, CONSENT_ADDRESS)
  ]
  for (const [i, fn] of cases.entries()) assert.throws(fn, { name: 'InvalidSignatureError' }, `case ${i}`)
})

test('signatures must be low-s, v 27/28 and 65 bytes', () => {
  const signed = signTyped('Withdrawal', sampleWithdrawal(), DOMAIN, AGENCY_KEY)
  const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
  const s = BigInt('0x' + signed.signature.slice(66, 130))
  const v = signed.signature.endsWith('1b') ? '1c' : '1b'
  const twin = signed.signature.slice(0, 66) + (n - s).toString(16).padStart(64, '0') + v
  // ethers accepts the malleated twin as the same signer; we do not, so a message has one signed form.
  assert.throws(() => recoverSigner('Withdrawal', { ...signed, signature: twin }, DOMAIN), { name: 'InvalidSignatureError' })
  for (const bad of [signed.signature.slice(0, 130) + '01', signed.signature.slice(0, 128), '0x' + '00'.repeat(65), 'nope']) {
    assert.throws(() => recoverSigner('Withdrawal', { ...signed, signature: bad }, DOMAIN), { name: 'InvalidSignatureError', code: 'INVALID_SIGNATURE' })
  }
})

test('signTyped refuses a key that is not the signer the message names, and bad keys', () => {
  assert.throws(() => signTyped('Request', sampleRequest(), DOMAIN, CONSENT_KEY), { name: 'InvalidPrivateKeyError' })
  assert.throws(() => signTyped('Consent', sampleConsent(), DOMAIN, AGENCY_KEY), { name: 'InvalidPrivateKeyError' })
  assert.throws(() => signTyped('Receipt', sampleReceipt(), DOMAIN, '0x' + '00'.repeat(32)), { name: 'InvalidPrivateKeyError' })
  assert.throws(() => signTyped('Receipt', sampleReceipt(), DOMAIN, '0x1234'), { name: 'InvalidPrivateKeyError' })
  assert.throws(() => signTyped('Receipt', sampleReceipt(), { ...DOMAIN, chainId: 0 }, AGENCY_KEY), { name: 'InvalidTypedDataError' })
  assert.throws(() => signTyped('Receipt', { ...sampleReceipt(), logIndex: -1 }, DOMAIN, AGENCY_KEY), { name: 'InvalidTypedDataError' })
  assert.throws(() => hashTypedData('Request', sampleRequest({ cells: ['nope'] }), DOMAIN), { name: 'InvalidTypedDataError' })
})

test('toEip712Json is plain JSON with cells as uint64 decimal strings', () => {
  const request = sampleRequest()
  const json = toEip712Json('Request', request, DOMAIN)
  assert.deepEqual(JSON.parse(JSON.stringify(json)), json)
  assert.equal(json.primaryType, 'Request')
  assert.deepEqual(json.domain, { name: 'Porchlight', version: '1', chainId: 31337, verifyingContract: DOMAIN.verifyingContract })
  assert.deepEqual(json.types.EIP712Domain!.map((f) => f.name), ['name', 'version', 'chainId', 'verifyingContract'])
  assert.deepEqual(json.message.cells, request.cells.map((c) => BigInt('0x' + c).toString()))
  assert.equal(json.message.windowStart, request.windowStart)
  assert.deepEqual(toEip712Json('Consent', sampleConsent(), DOMAIN).types.Clip!.map((f) => f.type), ['string', 'uint64', 'uint64', 'uint64', 'string', 'uint64', 'string'])
})

test('addresses: checksum and derivation agree with ethers', () => {
  for (let i = 0; i < 50; i++) {
    const lower = hexlify(randomBytes(20))
    assert.equal(getAddress(lower), ethersGetAddress(lower))
    assert.equal(isChecksummedAddress(ethersGetAddress(lower)), true)
    const key = hexlify(randomBytes(32))
    assert.equal(addressOfPrivateKey(key), new Wallet(key).address)
  }
  const good = ethersGetAddress('0x' + 'ab'.repeat(20))
  assert.equal(isChecksummedAddress(good.toLowerCase()), false)
  const flipped = good.slice(0, 2) + [...good.slice(2)].map((c) => c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()).join('')
  assert.throws(() => getAddress(flipped), { name: 'InvalidAddressError' })
  assert.throws(() => getAddress('0x1234'), { name: 'InvalidAddressError' })
})
