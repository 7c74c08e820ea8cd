// Standard base64 (RFC 4648 §4, padded) for checkpoints and notes, strict on input: only the canonical
// encoding of some bytes is accepted, so one value has exactly one text form. atob/btoa exist in browsers
// and in Node, so no Buffer.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

export function encodeBase64 (bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s)
}

/** The bytes of canonical base64 text, or undefined when the text is not canonical base64. */
export function decodeBase64 (text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined
  const bin = atob(text)
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0))
  // Non-zero padding bits decode too; re-encoding rejects them.
  return encodeBase64(bytes) === text ? bytes : undefined
}
