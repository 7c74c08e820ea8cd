// The k-of-n witness check (issue 14): a checkpoint counts only once a quorum of the council's registered
// witnesses have cosigned it (C2SP tlog-cosignature/v1). Honest witnesses cosign only checkpoints consistent
// with every checkpoint they cosigned before for the log, so two trees of one size can never both reach a
// quorum of honest witnesses: a private fork shown to residents cannot carry one.
// Relays (node/network) and residents' browsers (ui/src/verify) run this same function.
import type { RegisteredWitness, WitnessSet } from '../api/witnesses.js'
import { toHex } from '../codec/hex.js'
import { COSIGNATURE_V1_TYPE, parseVerifierKey, verifyCosignature, type Ed25519Verify } from './cosignature.js'
import { CosignatureOutOfWindowError, NoWitnessQuorumError, WitnessQuorumNotMetError } from './errors.js'
import { parseSignedNote } from './signed-note.js'

export interface WitnessQuorum {
  /** k: the cosignatures the set requires. */
  quorum: number
  /** n: the registered witnesses whose cosignatures could count. */
  total: number
  /** The registered witnesses whose cosignature verified and falls in the window, in note order. */
  cosigned: Array<{ name: string, timestamp: number }>
}

/** Unix seconds, both inclusive: when a cosignature must have been made to count (`cosignatureWindow`). */
export interface CosignatureWindow {
  notBefore: number
  notAfter: number
}

interface Usable { name: string, publicKey: Uint8Array }

/**
 * The set's witnesses by `name ‖ key id`, the way their lines are matched. An entry whose vkey is not a
 * cosignature/v1 key under its own name cannot cosign and is left out (the chain client drops those too).
 * A key registered under a second name is left out as well: the signed message does not commit to the name,
 * so one key would otherwise count twice towards the quorum.
 */
function usableWitnesses (witnesses: readonly RegisteredWitness[]): Map<string, Usable> {
  const byLine = new Map<string, Usable>()
  const keys = new Set<string>()
  for (const w of witnesses) {
    let key
    try { key = parseVerifierKey(w.vkey) } catch { continue }
    if (key.type !== COSIGNATURE_V1_TYPE || key.name !== w.name) continue
    const keyHex = toHex(key.publicKey)
    if (keys.has(keyHex)) continue
    keys.add(keyHex)
    byLine.set(`${key.name}\n${key.keyId}`, { name: key.name, publicKey: key.publicKey })
  }
  return byLine
}

/**
 * Checks that the signed checkpoint `note` carries cosignatures, made within `window`, from at least
 * `set.quorum` distinct witnesses of `set`. Every line by a registered witness is verified: one that does not
 * verify is ForgedCosignatureError (or InvalidCosignatureError when malformed), whatever the others say, so
 * every node decides the same. Lines by unknown keys (the agency's own among them) are ignored, as C2SP
 * requires. Throws NoWitnessQuorumError when no quorum is set (k = 0), CosignatureOutOfWindowError when
 * cosignatures outside the window are what is missing, WitnessQuorumNotMetError otherwise. The agency's own
 * signature is not checked here (openCheckpoint does that). `opts.verify` replaces noble's Ed25519 check.
 */
export function checkWitnessQuorum (note: string, set: WitnessSet, window: CosignatureWindow, opts: { verify?: Ed25519Verify } = {}): WitnessQuorum {
  if (!Number.isSafeInteger(set.quorum) || set.quorum < 1) throw new NoWitnessQuorumError()
  const { text, signatures } = parseSignedNote(note)
  const witnesses = usableWitnesses(set.witnesses)
  // Per witness: the first of its lines made in the window, or whether it has only lines outside it.
  const inWindow = new Map<string, number>()
  const outside = new Set<string>()
  for (const signature of signatures) {
    const w = witnesses.get(`${signature.name}\n${signature.keyId}`)
    if (w === undefined) continue
    const { timestamp } = verifyCosignature({ name: w.name, publicKey: w.publicKey, checkpoint: text, cosignature: signature, ...opts })
    if (timestamp >= window.notBefore && timestamp <= window.notAfter) {
      if (!inWindow.has(w.name)) inWindow.set(w.name, timestamp)
    } else {
      outside.add(w.name)
    }
  }
  const valid = inWindow.size
  if (valid < set.quorum) {
    const outsideWindow = [...outside].filter((name) => !inWindow.has(name)).length
    if (valid + outsideWindow >= set.quorum) throw new CosignatureOutOfWindowError({ required: set.quorum, valid, outsideWindow, ...window })
    throw new WitnessQuorumNotMetError({ required: set.quorum, valid, outsideWindow })
  }
  return { quorum: set.quorum, total: witnesses.size, cosigned: [...inWindow].map(([name, timestamp]) => ({ name, timestamp })) }
}
