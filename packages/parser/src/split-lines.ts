// Bytes → physical lines: splits a byte stream on LF (CRLF and a trailing CR tolerated), caps line length and
// flags invalid UTF-8 per line. Hand-written rather than split2: split2 decodes each whole chunk to a string and
// splits it with a regex, so it cannot say which line held invalid UTF-8, and its `maxLength` drops the line
// without counting its bytes. Here a chunk is scanned for 0x0a with `Buffer.indexOf` (memchr) and each line is
// decoded once; bytes past the cap are skipped without being buffered, so one 1 GB line costs 64 KB of memory.
import { Buffer, isAscii, isUtf8 } from 'node:buffer'

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
const ESC = 0x1b
// Runner section markers (`section_start:<t>:<name>`, `section_end:…`), the third thing `unwrapLine` strips
// besides ESC sequences and CR overprints. Searched for by their tails: `section_` is made of the commonest
// letters, which made a native search for it crawl (2 GB/s against 5–20 GB/s for these on our corpora).
const SECTION_START = Buffer.from('_start:', 'latin1')
const SECTION_END = Buffer.from('_end:', 'latin1')

/**
 * What the scanner hands over per line, as arguments rather than an object: a profile of the parse loop
 * counted the per-line PhysicalLine objects among the garbage that kept the collector busy.
 * `oversizedBytes` is the full length of an oversized line (its `text` is then the head), else -1.
 * `plain` promises that `text` holds no ESC, no CR and no `_start:` / `_end:` (so no runner section marker),
 * so `unwrapLine` may skip looking for terminal codes; false means "not checked", never "has some".
 */
export type LineVisitor = (text: string, line: number, invalidUtf8: boolean, oversizedBytes: number, plain: boolean) => void

/** The splitter without the per-line objects: what `createLogParser` drives. */
export interface LineScanner {
  push(chunk: Uint8Array, visit: LineVisitor): void
  end(visit: LineVisitor): void
}

/** Creates a byte-stream line splitter. Cost: one `indexOf` per line plus one decode per line. */
export function createLineSplitter(options: LineSplitterOptions = {}): LineSplitter {
  const scanner = createLineScanner(options)
  let lines: PhysicalLine[] = []
  const collect: LineVisitor = (text, line, invalidUtf8, oversizedBytes) => {
    lines.push(oversizedBytes === -1 ? { text, line, invalidUtf8 } : { text, line, invalidUtf8, oversized: { bytes: oversizedBytes } })
  }
  const take = (): PhysicalLine[] => {
    const taken = lines
    lines = []
    return taken
  }
  return {
    push(chunk) {
      scanner.push(chunk, collect)
      return take()
    },
    end() {
      scanner.end(collect)
      return take()
    },
  }
}

/**
 * The splitter as a visitor. Lines are still decoded one by one (not the chunk at once and then cut): a line's
 * text becomes the event's `raw`, and a slice of a decoded chunk would keep the whole 64 KB chunk alive for as
 * long as any event of it is held. What is decided per chunk instead, with native byte searches, is whether
 * the chunk is ASCII (then no line can hold invalid UTF-8 and Latin-1 decoding is exact and cheaper) and
 * where its ESC / lone CR / section-marker bytes are (lines clear of them are `plain`): a profile of the registry
 * parse spent 11 % of its time in `unwrapLine` searching every line for those three.
 */
export function createLineScanner(options: LineSplitterOptions = {}): LineScanner {
  const maxLineLength = options.maxLineLength ?? 65536
  // Bytes of the unfinished line kept so far. One extra byte past the cap is kept so a line of exactly
  // `maxLineLength` bytes followed by a CR (of its CRLF) split across chunks is not mistaken for an oversized one.
  const keepLimit = maxLineLength + 1
  // The head reported for an oversized line never reaches past the cap, so it is the same whichever way the
  // line was cut into chunks.
  const headBytes = Math.min(maxLineLength, OVERSIZED_HEAD_BYTES)
  // The kept bytes of the unfinished line, in one buffer reused from line to line: copying each piece into a
  // fresh Buffer and concatenating them showed in profiles (one line per chunk spans two chunks).
  let carry = Buffer.alloc(0)
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
    if (keptBytes + kept.length > carry.length) {
      const grown = Buffer.allocUnsafe(Math.max(keptBytes + kept.length, carry.length * 2, 1024))
      carry.copy(grown, 0, 0, keptBytes)
      carry = grown
    }
    // Copied, not referenced: the caller may reuse its buffer after push() returns.
    kept.copy(carry, keptBytes)
    keptBytes += kept.length
  }

  function finishLine(visit: LineVisitor): void {
    lineNumber++
    const bytes = totalBytes - (lastByte === CR ? 1 : 0)
    // Decoding copies the bytes out, so `carry` is free for the next line once the visit returns.
    const joined = carry.subarray(0, keptBytes)
    keptBytes = 0
    totalBytes = 0
    lastByte = -1
    if (bytes > maxLineLength) visitOversized(joined.subarray(0, headBytes), bytes, lineNumber, visit)
    else visitDecoded(joined, 0, bytes, false, lineNumber, false, visit)
  }

  return {
    push(chunk, visit) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      let start = 0
      let newline = buffer.indexOf(LF)
      if (newline !== -1 && totalBytes > 0) {
        append(buffer.subarray(0, newline))
        finishLine(visit)
        start = newline + 1
        newline = buffer.indexOf(LF, start)
      }
      if (newline !== -1) {
        // Fast path: whole lines inside this chunk, decoded straight from it.
        const last = buffer.lastIndexOf(LF)
        const ascii = isAscii(buffer.subarray(start, last))
        const marks = createMarkFinder(buffer, start)
        for (; newline !== -1; newline = buffer.indexOf(LF, start)) {
          lineNumber++
          let end = newline
          if (end > start && buffer[end - 1] === CR) end--
          const length = end - start
          if (length > maxLineLength) visitOversized(buffer.subarray(start, start + headBytes), length, lineNumber, visit)
          else visitDecoded(buffer, start, end, ascii, lineNumber, marks.clear(start, end), visit)
          start = newline + 1
        }
      }
      if (start < buffer.length) append(buffer.subarray(start))
    },
    end(visit) {
      if (totalBytes > 0) finishLine(visit)
    },
  }
}

/**
 * Finds, by native byte search, the ESC bytes, lone CRs and section-marker tails of a chunk, each search resumed
 * only once a line has passed its last hit, so a chunk is searched once per kind of mark in all.
 */
function createMarkFinder(buffer: Buffer, from: number): { clear(start: number, end: number): boolean } {
  let esc = buffer.indexOf(ESC, from)
  let sectionStart = buffer.indexOf(SECTION_START, from)
  let sectionEnd = buffer.indexOf(SECTION_END, from)
  let cr = nextLoneCr(buffer, from)
  return {
    clear(start, end) {
      if (esc !== -1 && esc < start) esc = buffer.indexOf(ESC, start)
      if (sectionStart !== -1 && sectionStart < start) sectionStart = buffer.indexOf(SECTION_START, start)
      if (sectionEnd !== -1 && sectionEnd < start) sectionEnd = buffer.indexOf(SECTION_END, start)
      if (cr !== -1 && cr < start) cr = nextLoneCr(buffer, start)
      return (
        (esc === -1 || esc >= end) && (sectionStart === -1 || sectionStart >= end) &&
        (sectionEnd === -1 || sectionEnd >= end) && (cr === -1 || cr >= end)
      )
    },
  }
}

/** The next CR that is not the CR of a CRLF (a CR as the chunk's last byte counts: what follows is unknown). */
function nextLoneCr(buffer: Buffer, from: number): number {
  for (let cr = buffer.indexOf(CR, from); cr !== -1; cr = buffer.indexOf(CR, cr + 1)) {
    if (buffer[cr + 1] !== LF) return cr
  }
  return -1
}

function visitDecoded(
  bytes: Buffer,
  start: number,
  end: number,
  ascii: boolean,
  line: number,
  plain: boolean,
  visit: LineVisitor,
): void {
  if (ascii) return visit(bytes.toString('latin1', start, end), line, false, -1, plain)
  const text = bytes.toString('utf8', start, end)
  // toString never throws and replaces bad sequences with U+FFFD; only when one shows up is the (rarer)
  // question "was it in the input or a replacement?" worth a full validity check.
  visit(text, line, text.includes('\uFFFD') && !isUtf8(bytes.subarray(start, end)), -1, plain)
}

function decodeLine(bytes: Buffer, line: number): PhysicalLine {
  const text = bytes.toString('utf8')
  return { text, line, invalidUtf8: text.includes('\uFFFD') && !isUtf8(bytes) }
}

function visitOversized(kept: Buffer, bytes: number, line: number, visit: LineVisitor): void {
  const head = oversizedLine(kept, bytes, line)
  visit(head.text, line, head.invalidUtf8, bytes, false)
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
