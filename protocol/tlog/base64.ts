// Standard base64 (RFC 4648 §4, padded) for checkpoints and notes, strict on input: only the canonical
// encoding of some bytes is accepted, so one value has exactly one text form. atob/btoa exist in browsers
// and in Node, so no Buffer.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

export function encodeBase64 (bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s)
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** The bytes of canonical base64 text, or undefined when the text is not canonical base64. */
export function decodeBase64 (text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined
  // Non-zero padding bits decode too, and would give one value a second text form: the last character before
  // `==` carries 4 unused bits, before `=` 2; they must be 0. (Checked here rather than by re-encoding: a relay
  // decodes every cosignature of every announcement.)
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  if (pad > 0 && (ALPHABET.indexOf(text[text.length - pad - 1]!) & (pad === 2 ? 0b1111 : 0b11)) !== 0) return undefined
  const bin = atob(text)
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return bytes
}
