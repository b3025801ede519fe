// Bytes → physical lines: splits a byte stream on LF (CRLF and a trailing CR tolerated), caps line length and
// flags invalid UTF-8 per line. Hand-written rather than split2: split2 decodes each whole chunk to a string and
// splits it with a regex, so it cannot say which line held invalid UTF-8, and its `maxLength` drops the line
// without counting its bytes. Here a chunk is scanned for 0x0a with `Buffer.indexOf` (memchr) and each line is
// decoded once; bytes past the cap are skipped without being buffered, so one 1 GB line costs 64 KB of memory.
import { Buffer, isUtf8 } from 'node:buffer'

/** One line of the input as read, before any wrapper was peeled. */
export interface PhysicalLine {
  /** The line without its terminator; for an oversized line, only its head (at most 200 characters). */
  text: string
  /** 1-based line number in the stream. */
  line: number
  /** Present when the line was longer than the cap: its full length in bytes (terminator excluded). */
  oversized?: { bytes: number }
  /** The line held bytes that are not UTF-8; they were decoded as U+FFFD. For an oversized line, judged on its head. */
  invalidUtf8: boolean
}

export interface LineSplitterOptions {
  /** Longest line kept, in bytes (terminator excluded). Longer lines are reported as oversized. Default 65536. */
  maxLineLength?: number
}

/** A stateful splitter: feed it chunks, cut anywhere, and collect the lines they complete. */
export interface LineSplitter {
  /** Returns the lines completed by `chunk` (possibly none). The chunk is not retained past the call except for an unfinished line. */
  push(chunk: Uint8Array): PhysicalLine[]
  /** Returns the last line when the input did not end with a newline. The splitter must not be used afterwards. */
  end(): PhysicalLine[]
}

/** Characters of an oversized line kept for reports. */
export const OVERSIZED_HEAD_CHARS = 200
// 4 bytes per character at most, so this many bytes always hold the 200-character head.
const OVERSIZED_HEAD_BYTES = OVERSIZED_HEAD_CHARS * 4

const LF = 0x0a
const CR = 0x0d

/** Creates a byte-stream line splitter. Cost: one `indexOf` per line plus one decode per line. */
export function createLineSplitter(options: LineSplitterOptions = {}): LineSplitter {
  const maxLineLength = options.maxLineLength ?? 65536
  // Bytes of the unfinished line kept so far. One extra byte past the cap is kept so a line of exactly
  // `maxLineLength` bytes followed by a CR (of its CRLF) split across chunks is not mistaken for an oversized one.
  const keepLimit = maxLineLength + 1
  // The head reported for an oversized line never reaches past the cap, so it is the same whichever way the
  // line was cut into chunks.
  const headBytes = Math.min(maxLineLength, OVERSIZED_HEAD_BYTES)
  let parts: Buffer[] = []
  let keptBytes = 0
  let totalBytes = 0
  let lastByte = -1
  let lineNumber = 0

  function append(segment: Buffer): void {
    if (segment.length === 0) return
    totalBytes += segment.length
    lastByte = segment[segment.length - 1] ?? -1
    if (keptBytes >= keepLimit) return
    const room = keepLimit - keptBytes
    const kept = segment.length > room ? segment.subarray(0, room) : segment
    // Copy only when the line spans chunks: the caller may reuse its buffer after push() returns.
    parts.push(Buffer.from(kept))
    keptBytes += kept.length
  }

  function finishLine(): PhysicalLine {
    lineNumber++
    const bytes = totalBytes - (lastByte === CR ? 1 : 0)
    const joined = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, keptBytes)
    parts = []
    keptBytes = 0
    totalBytes = 0
    lastByte = -1
    if (bytes > maxLineLength) return oversizedLine(joined.subarray(0, headBytes), bytes, lineNumber)
    return decodeLine(joined.subarray(0, bytes), lineNumber)
  }

  return {
    push(chunk) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      const lines: PhysicalLine[] = []
      let start = 0
      for (let newline = buffer.indexOf(LF, start); newline !== -1; newline = buffer.indexOf(LF, start)) {
        if (parts.length === 0 && totalBytes === 0) {
          // Fast path: the whole line is inside this chunk, decode straight from it.
          lineNumber++
          let end = newline
          if (end > start && buffer[end - 1] === CR) end--
          const length = end - start
          lines.push(
            length > maxLineLength
              ? oversizedLine(buffer.subarray(start, start + headBytes), length, lineNumber)
              : decodeLine(buffer.subarray(start, end), lineNumber),
          )
        } else {
          append(buffer.subarray(start, newline))
          lines.push(finishLine())
        }
        start = newline + 1
      }
      if (start < buffer.length) append(buffer.subarray(start))
      return lines
    },
    end() {
      return totalBytes > 0 ? [finishLine()] : []
    },
  }
}

function decodeLine(bytes: Buffer, line: number): PhysicalLine {
  const text = bytes.toString('utf8')
  // toString never throws and replaces bad sequences with U+FFFD; only when one shows up is the (rarer)
  // question "was it in the input or a replacement?" worth a full validity check.
  const invalidUtf8 = text.includes('\uFFFD') && !isUtf8(bytes)
  return { text, line, invalidUtf8 }
}

function oversizedLine(kept: Buffer, bytes: number, line: number): PhysicalLine {
  const head = kept.subarray(0, completeUtf8Prefix(kept))
  const decoded = decodeLine(head, line)
  let cut = Math.min(decoded.text.length, OVERSIZED_HEAD_CHARS)
  // Do not split a surrogate pair at the cut.
  if (cut < decoded.text.length && /[\uD800-\uDBFF]/.test(decoded.text.charAt(cut - 1))) cut--
  return { ...decoded, text: decoded.text.slice(0, cut), oversized: { bytes } }
}

/** Length of `bytes` without a trailing multi-byte character that the cut left incomplete. */
function completeUtf8Prefix(bytes: Buffer): number {
  // Walk back over at most 3 continuation bytes (10xxxxxx) to the lead byte of the last character.
  let lead = bytes.length - 1
  while (lead >= 0 && lead > bytes.length - 4 && ((bytes[lead] ?? 0) & 0xc0) === 0x80) lead--
  if (lead < 0) return bytes.length
  const first = bytes[lead] ?? 0
  const needed = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1
  return bytes.length - lead < needed ? lead : bytes.length
}
