// Byte streams for tests: a buffer served in chosen chunk sizes, and a stream read to the end.
import { randomBytes } from 'node:crypto'

/** `n` random bytes as a plain Uint8Array (not a Buffer, so deepEqual compares bytes only). */
export function randomClip (n: number): Uint8Array {
  return new Uint8Array(randomBytes(n))
}

/** `n` random bytes that look like an MP4 (an `ftyp` box first), so a node serves them as video/mp4. */
export function mp4Clip (n: number): Uint8Array {
  const bytes = randomClip(n)
  bytes.set([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70], 0)
  return bytes
}

/**
 * A stream serving `bytes` in pieces of `chunk` bytes (or a list of sizes, cycled), pulled on demand.
 * `onPull` sees how many bytes have been served so far.
 */
export function byteStream (bytes: Uint8Array, chunk: number | number[] = 64 * 1024, onPull?: (served: number) => void): ReadableStream<Uint8Array> {
  const sizes = typeof chunk === 'number' ? [chunk] : chunk
  let offset = 0
  let i = 0
  return new ReadableStream<Uint8Array>({
    pull (controller) {
      if (offset >= bytes.length) { controller.close(); return }
      const size = Math.max(1, sizes[i++ % sizes.length]!)
      controller.enqueue(bytes.slice(offset, offset + size))
      offset += size
      onPull?.(Math.min(offset, bytes.length))
    }
  }, { highWaterMark: 0 })
}

/** Reads a stream to the end into one array. */
export async function readAll (stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  let length = 0
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    parts.push(value)
    length += value.length
  }
  const out = new Uint8Array(length)
  let at = 0
  for (const part of parts) { out.set(part, at); at += part.length }
  return out
}

/** Reads a stream until it fails; returns the bytes delivered before and the error (or null). */
export async function readUntilError (stream: ReadableStream<Uint8Array>): Promise<{ bytes: number, error: unknown }> {
  let bytes = 0
  const reader = stream.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return { bytes, error: null }
      bytes += value.length
    }
  } catch (error) {
    return { bytes, error }
  }
}
