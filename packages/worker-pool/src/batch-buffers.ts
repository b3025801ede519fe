// Recycled, shared memory for batches. A batch used to be a fresh ArrayBuffer, copied once more to be
// transferred to its worker (the original kept for a re-run). Every one of those buffers was garbage a
// moment later, and V8 collects ArrayBuffer memory only once ~64 MB of it has piled up, in each thread:
// that pile was a third of the scan's peak RSS. Batches now live in SharedArrayBuffers that return to a free
// list when their result is in: a worker reads the bytes where they are (no copy, no transfer), the same
// bytes serve a re-run if the worker dies, and the memory in use is bounded by the batches in flight.

/** Hands out byte views over recycled shared memory. */
export interface BatchBuffers {
  /** A view of exactly `length` bytes (contents undefined) over memory nobody else holds. */
  acquire(this: void, length: number): Uint8Array
  /** Gives back a view from `acquire` once nothing reads it any more; its memory may be handed out again. */
  release(this: void, bytes: Uint8Array): void
}

/** Smallest block handed out: tiny live batches (a `tail -f` line) share a size class instead of one each. */
const MIN_BLOCK_BYTES = 64 * 1024

/**
 * Blocks come in power-of-two sizes, so a block freed by one batch fits the next of similar size; at most
 * `keepPerSize` free blocks of each size are kept (the in-flight window plus the batch being filled).
 */
export function createBatchBuffers(keepPerSize: number): BatchBuffers {
  const free = new Map<number, SharedArrayBuffer[]>()
  return {
    acquire(length) {
      const size = blockSize(length)
      const block = free.get(size)?.pop() ?? new SharedArrayBuffer(size)
      return new Uint8Array(block, 0, length)
    },
    release(bytes) {
      const block = bytes.buffer
      if (!(block instanceof SharedArrayBuffer) || block.byteLength !== blockSize(block.byteLength)) return
      let list = free.get(block.byteLength)
      if (list === undefined) free.set(block.byteLength, (list = []))
      if (list.length < keepPerSize && !list.includes(block)) list.push(block)
    },
  }
}

function blockSize(length: number): number {
  let size = MIN_BLOCK_BYTES
  while (size < length) size *= 2
  return size
}
