// Bytes → batches of whole lines, cut where no multi-line record can be split (find-batch-cut.ts). A cut
// depends only on the bytes, never on how the input was chunked or on the number of workers, which is what
// makes a scan's output identical for every worker count. Each batch knows the number of its first line.
import { Buffer } from 'node:buffer'
import { canDecideCut, isSafeCut } from './find-batch-cut.js'

const NEWLINE = 0x0a

/** A run of whole physical lines of one input. */
export interface Batch {
  /** 0-based position of the batch in its input. */
  index: number
  /** 1-based number of the batch's first physical line. */
  firstLine: number
  /** The lines, each ending with `\n` (except possibly the last batch's last line), in memory from `allocate`. */
  bytes: Uint8Array
}

export interface BatchSplitterOptions {
  /** A batch ends at the first safe cut at or after this many bytes. */
  targetBytes: number
  /** Past this many bytes without a safe cut, the batch ends at the first newline after `targetBytes`. */
  maxBytes: number
  /**
   * Longest line kept whole, in bytes. The rest of a longer line is dropped here, so memory stays flat on a
   * file that is one huge line; the parser still sees more than its cap and reports the line as oversized.
   */
  lineCapBytes: number
  /** Where a batch's bytes go (default: a fresh `Uint8Array`); the pool hands out recycled shared memory. */
  allocate?: (length: number) => Uint8Array
}

export interface BatchSplitter {
  push(chunk: Uint8Array): Batch[]
  /** Live input went idle: everything up to the last newline becomes a batch, safe cut or not. */
  flush(): Batch[]
  /** Input ended: everything left becomes the last batch. */
  end(): Batch[]
}

export function createBatchSplitter(options: BatchSplitterOptions): BatchSplitter {
  const { targetBytes, maxBytes, lineCapBytes } = options
  const allocate = options.allocate ?? ((length: number) => new Uint8Array(length))
  // Pending bytes live in one reused staging buffer at [start, end): a cut reads them in place, where joining
  // a list of chunks allocated a new buffer on every attempt.
  let staging = Buffer.allocUnsafeSlow(Math.max(64 * 1024, targetBytes * 2))
  let start = 0
  let pendingLength = 0
  /** Bytes since the last newline seen (the unterminated tail). */
  let tailLength = 0
  let skippingLongLine = false
  let index = 0
  let nextLine = 1
  /** Newlines before this offset of the pending bytes were checked and are not safe cuts. */
  let scannedTo = 0
  /** Don't try to cut again before this many bytes are pending. */
  let retryAt = 0
  const retryStep = Math.max(1024, targetBytes >> 2)

  function take(length: number): Batch {
    const bytes = allocate(length)
    bytes.set(staging.subarray(start, start + length))
    const batch: Batch = { index: index++, firstLine: nextLine, bytes }
    nextLine += countNewlines(bytes)
    start += length
    pendingLength -= length
    if (pendingLength === 0) start = 0
    scannedTo = 0
    retryAt = 0
    return batch
  }

  function pending(): Buffer {
    return staging.subarray(start, start + pendingLength)
  }

  /** Copies `data` after the pending bytes, moving them to the front or growing the buffer when out of room. */
  function stage(data: Uint8Array): void {
    const needed = pendingLength + data.length
    if (start + needed > staging.length) {
      if (needed > staging.length) {
        const grown = Buffer.allocUnsafeSlow(Math.max(needed, staging.length * 2))
        staging.copy(grown, 0, start, start + pendingLength)
        staging = grown
      } else staging.copyWithin(0, start, start + pendingLength)
      start = 0
    }
    staging.set(data, start + pendingLength)
    pendingLength = needed
  }

  /**
   * Cuts as many full batches as the pending bytes allow. The cut is the first safe newline in
   * [targetBytes, maxBytes), else the first newline from targetBytes: a function of the bytes alone.
   */
  function cut(out: Batch[], ended: boolean): void {
    while (pendingLength >= targetBytes && (ended || pendingLength >= retryAt)) {
      const bytes = pending()
      const fallback = bytes.indexOf(NEWLINE, targetBytes - 1)
      if (fallback === -1) return
      let at = scannedTo > fallback ? bytes.indexOf(NEWLINE, scannedTo) : fallback
      let chosen = -1
      let undecided = false
      while (at !== -1 && at < maxBytes) {
        if (!ended && !canDecideCut(bytes, at)) {
          undecided = true
          break
        }
        if (isSafeCut(bytes, at)) {
          chosen = at
          break
        }
        scannedTo = at + 1
        at = bytes.indexOf(NEWLINE, at + 1)
      }
      if (chosen === -1) {
        if (!ended && (undecided || (at === -1 && pendingLength < maxBytes))) {
          // Look again once a good deal more has arrived: when we look does not move the cut, it only
          // saves re-joining and re-scanning the pending bytes on every small chunk.
          retryAt = pendingLength + retryStep
          return
        }
        chosen = fallback
      }
      out.push(take(chosen + 1))
    }
  }

  /** Appends a chunk (copied), dropping the part of an over-long line beyond `lineCapBytes`. */
  function append(chunk: Uint8Array): void {
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    if (skippingLongLine) {
      const newline = data.indexOf(NEWLINE)
      if (newline === -1) return
      skippingLongLine = false
      tailLength = 0
      data = data.subarray(newline)
    }
    const last = data.lastIndexOf(NEWLINE)
    const tail = last === -1 ? tailLength + data.length : data.length - last - 1
    if (tail > lineCapBytes) {
      // The unterminated last line passed the cap: keep its head, drop the rest up to its newline.
      data = data.subarray(0, data.length - (tail - lineCapBytes))
      skippingLongLine = true
      tailLength = lineCapBytes
    } else tailLength = tail
    if (data.length === 0) return
    stage(data)
  }

  return {
    push(chunk) {
      const out: Batch[] = []
      append(chunk)
      cut(out, false)
      return out
    },
    flush() {
      const out: Batch[] = []
      cut(out, false)
      if (pendingLength === 0) return out
      const last = pending().lastIndexOf(NEWLINE)
      if (last !== -1) out.push(take(last + 1))
      return out
    },
    end() {
      const out: Batch[] = []
      cut(out, true)
      if (pendingLength > 0) out.push(take(pendingLength))
      return out
    },
  }
}

function countNewlines(bytes: Uint8Array): number {
  let count = 0
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) count++
  return count
}
