// The media type of a delivered clip, read from its first bytes: a consent names a clip's CID, size and
// span, not its type, and the agency should not have to trust a resident's label for what a browser plays.
const startsWith = (bytes: Uint8Array, offset: number, magic: readonly number[]): boolean =>
  bytes.length >= offset + magic.length && magic.every((b, i) => bytes[offset + i] === b)

/** `video/mp4` (ISO BMFF `ftyp` box), `video/webm` (EBML), else `application/octet-stream`. */
export function sniffMediaType (head: Uint8Array): string {
  if (startsWith(head, 4, [0x66, 0x74, 0x79, 0x70])) return 'video/mp4'
  if (startsWith(head, 0, [0x1a, 0x45, 0xdf, 0xa3])) return 'video/webm'
  return 'application/octet-stream'
}

/** Reads the first chunk of `stream` and returns it beside a stream that still yields every byte. */
export async function peekStream (stream: ReadableStream<Uint8Array>): Promise<{ head: Uint8Array, stream: ReadableStream<Uint8Array> }> {
  const reader = stream.getReader()
  const first = await reader.read()
  const head = first.done ? new Uint8Array(0) : first.value
  let pending: Uint8Array | undefined = head.length > 0 ? head : undefined
  return {
    head,
    stream: new ReadableStream<Uint8Array>({
      async pull (controller) {
        if (pending !== undefined) { controller.enqueue(pending); pending = undefined; return }
        const next = await reader.read()
        if (next.done) controller.close()
        else controller.enqueue(next.value)
      },
      async cancel (reason) { await reader.cancel(reason) }
    }, { highWaterMark: 0 })
  }
}
