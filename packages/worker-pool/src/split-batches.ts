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
  /** The lines, each ending with `\n` (except possibly the last batch's last line). Owns its ArrayBuffer. */
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
  let chunks: Buffer[] = []
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

  function take(length: number, joined: Buffer): Batch {
    // A fresh ArrayBuffer per batch so the pool can transfer it to a worker without copying again.
    const bytes = new Uint8Array(length)
    bytes.set(joined.subarray(0, length))
    const batch: Batch = { index: index++, firstLine: nextLine, bytes }
    nextLine += countNewlines(bytes)
    const rest = joined.subarray(length)
    chunks = rest.length === 0 ? [] : [rest]
    pendingLength = rest.length
    scannedTo = 0
    retryAt = 0
    return batch
  }

  function joined(): Buffer {
    if (chunks.length !== 1) chunks = [Buffer.concat(chunks, pendingLength)]
    return chunks[0] as Buffer
  }

  /**
   * Cuts as many full batches as the pending bytes allow. The cut is the first safe newline in
   * [targetBytes, maxBytes), else the first newline from targetBytes: a function of the bytes alone.
   */
  function cut(out: Batch[], ended: boolean): void {
    while (pendingLength >= targetBytes && (ended || pendingLength >= retryAt)) {
      const bytes = joined()
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
      out.push(take(chosen + 1, bytes))
    }
  }

  /** Appends a chunk (kept by reference), dropping the part of an over-long line beyond `lineCapBytes`. */
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
    chunks.push(data)
    pendingLength += data.length
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
      const bytes = joined()
      const last = bytes.lastIndexOf(NEWLINE)
      if (last !== -1) out.push(take(last + 1, bytes))
      return out
    },
    end() {
      const out: Batch[] = []
      cut(out, true)
      if (pendingLength > 0) out.push(take(pendingLength, joined()))
      return out
    },
  }
}

function countNewlines(bytes: Uint8Array): number {
  let count = 0
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) count++
  return count
}
