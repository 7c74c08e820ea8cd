// A file as a pull-based ReadableStream: one read per pull into a fresh buffer, at most one chunk read ahead
// of the consumer (so the disk works while the last chunk is encrypted; Readable.toWeb queues far more):
// a clip of any size costs two chunks.
import { open, type FileHandle } from 'node:fs/promises'

/** 256 KiB: four whole age chunks per read, each used in place by the encryptor. */
export const FILE_CHUNK = 256 * 1024

export function fileSource (path: string, chunk = FILE_CHUNK): ReadableStream<Uint8Array> {
  let handle: FileHandle | undefined
  const close = async (): Promise<void> => { const h = handle; handle = undefined; await h?.close() }
  return new ReadableStream<Uint8Array>({
    async start () {
      handle = await open(path, 'r')
    },
    async pull (controller) {
      // Not zero-filled: the read overwrites it, and only the bytes read are handed on.
      const raw = Buffer.allocUnsafeSlow(chunk)
      const buf = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)
      const { bytesRead } = await handle!.read(buf, 0, chunk, null)
      if (bytesRead === 0) {
        await close()
        controller.close()
        return
      }
      controller.enqueue(bytesRead === chunk ? buf : buf.subarray(0, bytesRead))
    },
    async cancel () {
      await close()
    }
  }, { highWaterMark: 1 })
}
