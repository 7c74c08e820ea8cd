// Flow control of a footage transfer, in bytes of data-frame payload. The agency grants a window with its
// answer and grants again as it writes and decrypts what arrived; the sender sends only what it holds
// credit for. The agency's memory per transfer is then bounded by the window whatever the speed of either
// side, with no reliance on pausing the libp2p stream (docs/footage.md, "Backpressure and memory").
import { StreamTimeoutError } from '../p2p/index.js'

/** The sender's side: the credit it holds, taken before each data frame. */
export class SendCredit {
  #available = 0
  #failure: Error | undefined
  #wake: (() => void) | undefined

  get available (): number { return this.#available }

  grant (bytes: number): void {
    this.#available += bytes
    this.#notify()
  }

  /** Ends every wait, now and later, with `err` (the stream closed, or the agency refused). */
  fail (err: Error): void {
    this.#failure ??= err
    this.#notify()
  }

  /** Waits until `bytes` of credit are held, then takes them; rejects after `timeoutMs` without credit. */
  async take (bytes: number, timeoutMs: number): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure
    if (this.#available < bytes) {
      let timer: NodeJS.Timeout | undefined
      try {
        await new Promise<void>((resolve, reject) => {
          timer = setTimeout(() => { reject(new StreamTimeoutError({ timeoutMs })) }, timeoutMs)
          const check = (): void => {
            if (this.#failure !== undefined) reject(this.#failure)
            else if (this.#available >= bytes) resolve()
            else this.#wake = check
          }
          check()
        })
      } finally { clearTimeout(timer); this.#wake = undefined }
    }
    this.#available -= bytes
  }

  #notify (): void { const w = this.#wake; this.#wake = undefined; w?.() }
}

/**
 * The agency's side: what it granted and when to grant again. What a sender sends beyond its credit is
 * caught where it arrives (FootageStream's `maxBuffered`), before it is read.
 */
export class ReceiveCredit {
  readonly window: number
  #granted: number
  #processed = 0

  constructor (window: number) {
    this.window = window
    this.#granted = window
  }

  /**
   * Counts bytes written and decrypted; returns the credit to grant now (0 when too little was processed
   * to be worth a control frame: a quarter window at a time).
   */
  process (bytes: number): number {
    this.#processed += bytes
    const grant = this.#processed + this.window - this.#granted
    if (grant < this.window / 4) return 0
    this.#granted += grant
    return grant
  }
}
