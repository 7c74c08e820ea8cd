// In-test witnesses (issue 14): each keeps the latest checkpoint it cosigned per origin and answers
// add-checkpoint as C2SP tlog-witness says — 409 with its size when the old size is not its own, a refusal
// when the consistency proof does not verify, else a cosignature/v1 line made with protocol's
// signCosignature. A double can be switched to misbehave: refuse connections, hang past any timeout, or
// return a line its registered key did not make. Until the real witness role's test helper is merged,
// the log's tests run against these.
import { ed25519 } from '@noble/curves/ed25519.js'
import { WitnessRefusedError, WitnessUnreachableError } from '../../node/witness/errors.js'
import {
  encodeVerifierKey, formatSignatureLine, parseCheckpoint, parseSignatureLine, parseSignedNote, parseVerifierKey,
  signCosignature, verifyConsistency, verifyCosignature
} from '../../protocol/tlog/index.js'
import type { RegisteredWitness, WitnessSet } from '../../protocol/api/witnesses.js'
import type { AddCheckpoint, AddCheckpointAnswer, WitnessClient } from '../../node/log/index.js'

/**
 * up: answers; down: refuses connections; hang: never answers, ignoring abort; forge: its line under its key
 * id with a signature that does not verify (the timestamp changed after signing); wrong-key: a line made
 * with another key under its name.
 */
export type WitnessMode = 'up' | 'down' | 'hang' | 'forge' | 'wrong-key'

/** The line with its timestamp's lowest bit flipped: the key id is right, the signature no longer verifies. */
function forged (line: string): string {
  const sig = parseSignatureLine(line.slice(0, -1))
  const bytes = sig.signature.slice()
  bytes[7]! ^= 1
  return formatSignatureLine({ ...sig, signature: bytes })
}

export interface WitnessDouble extends WitnessClient {
  mode: WitnessMode
  /** The size it last cosigned per origin. */
  readonly state: Map<string, { size: number, root: Uint8Array, note: string }>
  /** Every add-checkpoint request it received, in order. */
  readonly requests: AddCheckpoint[]
  /** Answers `hang` requests were left waiting on (so a test can end them). */
  releaseHung (): void
}

export function witnessDouble (name: string, opts: { now?: () => number } = {}): WitnessDouble {
  const secretKey = ed25519.utils.randomSecretKey()
  const otherKey = ed25519.utils.randomSecretKey()
  const witness: RegisteredWitness = { name, vkey: encodeVerifierKey(name, ed25519.getPublicKey(secretKey)), url: `http://${name}.invalid`, multiaddr: '' }
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000))
  const hung = new Set<() => void>()
  const double: WitnessDouble = {
    witness,
    mode: 'up',
    state: new Map(),
    requests: [],
    releaseHung () { for (const r of hung) r(); hung.clear() },
    async addCheckpoint (req: AddCheckpoint): Promise<AddCheckpointAnswer> {
      double.requests.push(req)
      if (double.mode === 'down') throw new WitnessUnreachableError({ witness: name, reason: 'ECONNREFUSED' })
      if (double.mode === 'hang') {
        await new Promise<void>((resolve) => { hung.add(resolve) })
        throw new WitnessUnreachableError({ witness: name, reason: 'ECONNREFUSED' })
      }
      const text = parseSignedNote(req.checkpoint).text
      const cp = parseCheckpoint(text)
      const known = double.state.get(cp.origin) ?? { size: 0, root: new Uint8Array(32), note: '' }
      if (req.oldSize !== known.size) return { status: 'conflict', latestSize: known.size }
      if (cp.size < known.size) throw new WitnessRefusedError({ witness: name, status: 409, reason: 'smaller than the latest' })
      if (known.size > 0) {
        try { verifyConsistency(known.size, cp.size, req.proof, known.root, cp.root) } catch {
          throw new WitnessRefusedError({ witness: name, status: 422, reason: 'inconsistent' })
        }
      } else if (req.proof.length !== 0) throw new WitnessRefusedError({ witness: name, status: 422, reason: 'proof from size 0' })
      const line = signCosignature({ name, secretKey, checkpoint: text, timestamp: now() })
      if (double.mode === 'forge') return { status: 'cosigned', cosignatures: [forged(line)] }
      if (double.mode === 'wrong-key') return { status: 'cosigned', cosignatures: [signCosignature({ name, secretKey: otherKey, checkpoint: text, timestamp: now() })] }
 double.state.set(cp.origin, { size: cp.size, root: cp.root, note: req.checkpoint + line })
      return { status: 'cosigned', cosignatures: [line] }
    },
    async latest (origin: string): Promise<string | undefined> {
      return double.state.get(origin)?.note
    }
  }
  return double
}

/** `count` doubles named w0, w1, … and their set with quorum `quorum`. */
export function witnessDoubles (count: number, quorum: number): { doubles: WitnessDouble[], set: WitnessSet, client: (w: RegisteredWitness) => WitnessClient } {
  const doubles = Array.from({ length: count }, (_, i) => witnessDouble(`w${i}.example`))
  return {
    doubles,
    set: { quorum, witnesses: doubles.map((d) => d.witness) },
    client: (w) => {
      const found = doubles.find((d) => d.witness.vkey === w.vkey)
      if (found === undefined) throw new Error(`no double for ${w.name}`)
      return found
    }
  }
}

/** The names of `witnesses` whose lines on `note` verify under their vkeys (one that does not verify throws). */
export function verifiedCosigners (note: string, witnesses: readonly RegisteredWitness[]): string[] {
  const { text, signatures } = parseSignedNote(note)
  return signatures.flatMap((s) => {
    const w = witnesses.find((x) => x.name === s.name)
    if (w === undefined) return []
    verifyCosignature({ name: w.name, publicKey: parseVerifierKey(w.vkey).publicKey, checkpoint: text, cosignature: s })
    return [s.name]
  })
}
