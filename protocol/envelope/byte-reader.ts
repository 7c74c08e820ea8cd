// Reads a byte stream in the shapes the age format needs: a delimited header, a fixed-size nonce, then
// fixed-size blocks with one block of look-ahead (STREAM must know which chunk is the last before sealing or
// opening it). Holds at most one block plus one source chunk; a source chunk that covers a whole block is
// used in place rather than copied.
export class ByteReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>
  #pending: Uint8Array = new Uint8Array(0)
  #ended = false
  /** Bytes taken from the source so far. */
  consumed = 0

  constructor (stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader()
  }

  /** Makes #pending non-empty; false at the end of the stream. */
  async #fill (): Promise<boolean> {
    while (this.#pending.length === 0) {
      if (this.#ended) return false
      const { done, value } = await this.#reader.read()
      if (done) {
        this.#ended = true
        return false
      }
      if (!(value instanceof Uint8Array)) throw new TypeError('byte stream chunks must be Uint8Array')
      this.#pending = value
      this.consumed += value.length
    }
    return true
  }

  #take (n: number): Uint8Array {
    const out = this.#pending.subarray(0, n)
    this.#pending = this.#pending.subarray(n)
    return out
  }

  /**
   * Bytes up to and including the first `\n` after a line that starts with `marker`; `'end'` when the
   * stream ends first, `'limit'` when that would take more than `max` bytes. Consumes only what it returns.
   */
  async readThroughLine (marker: Uint8Array, max: number): Promise<Uint8Array | 'end' | 'limit'> {
    let buf = new Uint8Array(0)
    let markerAt = -1
    for (;;) {
      if (buf.length >= max) return 'limit'
      if (!(await this.#fill())) return 'end'
      const prev = buf.length
      const add = this.#pending.subarray(0, max - prev)
      const grown = new Uint8Array(prev + add.length)
      grown.set(buf)
      grown.set(add, prev)
      buf = grown
      if (markerAt < 0) markerAt = findLineStart(buf, marker, Math.max(0, prev - marker.length - 1))
      const end = markerAt < 0 ? -1 : buf.indexOf(0x0a, markerAt + marker.length)
      if (end >= 0) {
        this.#take(end + 1 - prev)
        return buf.subarray(0, end + 1)
      }
      this.#take(add.length)
    }
  }

  /** Exactly `n` bytes; null when the stream ends first. */
  async readExact (n: number): Promise<Uint8Array | null> {
    const out = new Uint8Array(n)
    let used = 0
    while (used < n) {
      if (!(await this.#fill())) return null
      const part = this.#take(n - used)
      out.set(part, used)
      used += part.length
    }
    return out
  }

  /**
   * The rest of the stream as blocks of `size` bytes, each flagged whether it is the last; the last block
   * has 0..size bytes (0 only when nothing is left at all). A block is valid until the next one is asked for.
   */
  async * blocks (size: number): AsyncGenerator<{ block: Uint8Array, last: boolean }, void, undefined> {
    const staging = new Uint8Array(size)
    let used = 0
    let held: Uint8Array | null = null
    while (await this.#fill()) {
      if (held !== null) {
        yield { block: held, last: false }
        held = null
      }
      if (used === 0 && this.#pending.length >= size) {
        held = this.#take(size)
        continue
      }
      const part = this.#take(size - used)
      staging.set(part, used)
      used += part.length
      if (used === size) {
        held = staging
        used = 0
      }
    }
    yield { block: held ?? staging.subarray(0, used), last: true }
  }

  async cancel (reason?: unknown): Promise<void> {
    await this.#reader.cancel(reason)
  }

  release (): void {
    this.#reader.releaseLock()
  }
}

function findLineStart (buf: Uint8Array, marker: Uint8Array, from: number): number {
  for (let i = buf.indexOf(0x0a, from); i >= 0; i = buf.indexOf(0x0a, i + 1)) {
    let match = i + marker.length < buf.length
    for (let j = 0; match && j < marker.length; j++) match = buf[i + 1 + j] === marker[j]
    if (match) return i + 1
  }
  return -1
}
