// A file's bytes in chunks read into one reused buffer. A read stream allocates a new buffer per chunk, and
// V8 frees ArrayBuffer memory only after ~64 MB of it has piled up: reading a large file that way kept tens of
// MB of dead chunks in the scan's peak RSS. Consumers that copy what they keep (the batch splitter, the
// parser) lose nothing by the reuse.
import { open } from 'node:fs/promises'

const CHUNK_BYTES = 256 * 1024

/**
 * Yields the file's bytes in order. Each chunk is a view into a buffer the next read overwrites: use or copy
 * it before asking for the next one.
 */
export async function* readFileChunks(path: string, options: { signal?: AbortSignal | undefined } = {}): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES)
    for (;;) {
      // An abort ends the input like its end of file; the caller, who aborted, knows why.
      if (options.signal?.aborted === true) return
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null)
      if (bytesRead === 0) return
      yield buffer.subarray(0, bytesRead)
    }
  } finally {
    await handle.close()
  }
}
