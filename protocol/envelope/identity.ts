// age identities (`AGE-SECRET-KEY-1…`) and recipients (`age1…`), and age's identity-file format: one
// identity per line, `#` comments and empty lines ignored (as age-keygen writes and `age -i` reads). The
// agency keeps one such file per request, so any age tool can open its footage.
import { Decrypter, generateIdentity as ageGenerateIdentity, identityToRecipient as ageIdentityToRecipient } from 'age-encryption'
import { InvalidIdentityError } from './errors.js'

/** A fresh X25519 identity, `AGE-SECRET-KEY-1…`. */
export async function generateIdentity (): Promise<string> {
  return await ageGenerateIdentity()
}

/** The recipient (`age1…`) of an identity. */
export async function identityToRecipient (identity: string): Promise<string> {
  checkIdentity(identity, {})
  try {
    return await ageIdentityToRecipient(identity)
  } catch (err) {
    throw new InvalidIdentityError({ field: 'identity' }, err)
  }
}

/** The identities in an age identity file, in order; any other non-comment line is an error. */
export function parseIdentityFile (text: string): string[] {
  if (typeof text !== 'string') throw new InvalidIdentityError({ field: 'identityFile', reason: 'not text' })
  const identities: string[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line === '' || line.startsWith('#')) return
    checkIdentity(line, { field: 'identityFile', line: i + 1 })
    identities.push(line)
  })
  if (identities.length === 0) throw new InvalidIdentityError({ field: 'identityFile', reason: 'no identity' })
  return identities
}

/** An identity file in age-keygen's layout, with its public key as a comment for whoever opens it. */
export async function formatIdentityFile (identity: string, created: Date = new Date()): Promise<string> {
  const recipient = await identityToRecipient(identity)
  return `# created: ${created.toISOString().replace(/\.\d{3}Z$/, 'Z')}\n# public key: ${recipient}\n${identity}\n`
}

function checkIdentity (identity: unknown, details: Record<string, unknown>): void {
  try {
    if (typeof identity !== 'string' || !identity.startsWith('AGE-SECRET-KEY-')) throw new TypeError('not an age secret key')
    // The library's own strict parse (bech32 checksum, length); the key itself stays out of any error.
    new Decrypter().addIdentity(identity)
  } catch (err) {
    throw new InvalidIdentityError({ field: 'identity', ...details }, err)
  }
}
