// Where a batch may end: at a newline after which no line can continue the record before it. Batches are
// parsed independently (in workers, or in turn on the main thread), so a cut inside a multi-line record —
// a Rails exception block, an era-B continuation, a mitmdump flow, a CRI `P` partial — would split it.
// The check looks at bytes only (no decoding) and only at candidate newlines, so it costs nothing per line.

const NEWLINE = 0x0a
const TAB = 0x09
const SPACE = 0x20
const OPEN_BRACE = 0x7b

/**
 * Bytes after a newline the check needs to see before it can decide (or the next line's end, or the stream's):
 * it never reads past them, so a decision does not depend on how the input was chunked.
 */
export const CUT_LOOKAHEAD = 1024

const isDigit = (byte: number | undefined): boolean => byte !== undefined && byte >= 0x30 && byte <= 0x39

function startsWith(bytes: Uint8Array, at: number, ascii: string): boolean {
  if (at + ascii.length > bytes.length) return false
  for (let i = 0; i < ascii.length; i++) if (bytes[at + i] !== ascii.charCodeAt(i)) return false
  return true
}

/** svlogd `-tt` prefix `YYYY-MM-DD_HH:MM:SS.sssss ` (26 bytes) at `at`. */
function isSvlogdPrefix(bytes: Uint8Array, at: number): boolean {
  return bytes[at + 4] === 0x2d && bytes[at + 10] === 0x5f && bytes[at + 25] === SPACE && isDigit(bytes[at]) && isDigit(bytes[at + 24])
}

/** `YYYY-MM-DD` or `YYYY/MM/DD` at `at`: svlogd, ISO/CRI, `docker logs -t`, NGINX error log. */
function isDate(bytes: Uint8Array, at: number): boolean {
  const separator = bytes[at + 4]
  return (
    isDigit(bytes[at]) && isDigit(bytes[at + 3]) && (separator === 0x2d || separator === 0x2f) && bytes[at + 7] === separator && isDigit(bytes[at + 9])
  )
}

/** What follows the time of a CRI line: its stream and tag. */
const CRI_TAGS = ['stdout', 'stderr'].flatMap((stream) => [
  { text: `${stream} P `, chunk: { stream, partial: true } },
  { text: `${stream} F `, chunk: { stream, partial: false } },
])

/** The CRI stream and tag of the line starting at `start` (`<time> stdout P …`), or undefined for another line. */
function criChunk(bytes: Uint8Array, start: number, end: number): { stream: string; partial: boolean } | undefined {
  if (!isDate(bytes, start)) return undefined
  const space = bytes.indexOf(SPACE, start)
  if (space === -1 || space > end) return undefined
  return CRI_TAGS.find(({ text }) => startsWith(bytes, space + 1, text))?.chunk
}

/** GitLab Runner ≥ 17 `<time>Z 01E+` at `at`: the rest of a line the runner cut, joined to the line before it. */
function isRunnerContinuation(bytes: Uint8Array, at: number): boolean {
  return bytes[at + 26] === 0x5a && bytes[at + 27] === SPACE && bytes[at + 31] === 0x2b
}

/** The stream of a docker json-file entry and whether its `log` lacks the final `\n` (the next entry continues it). */
function jsonFileChunk(bytes: Uint8Array, start: number, end: number): { stream: string; partial: boolean } | undefined {
  if (!startsWith(bytes, start, '{"log":"')) return undefined
  const line = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)
  const at = line.indexOf('","stream":"')
  if (at === -1) return { stream: '', partial: true }
  const stream = line.toString('latin1', at + 12, line.indexOf('"', at + 12))
  return { stream, partial: !(line[at - 2] === 0x5c && line[at - 1] === 0x6e) }
}

/**
 * Lines looked back over for a container line still open: containerd and dockerd copy stdout and stderr apart
 * into one file, so lines of one stream can come between the chunks of the other. The look-back ends as soon as
 * both streams' latest lines are seen (at once in a file of both streams; a file of one stream is looked back over
 * to the bound, at cut candidates only).
 */
const CHUNK_LOOKBACK_LINES = 256

/** Whether a stream has a partial chunk (CRI `P`, json-file without `\n`) before `newline` whose line has not ended. */
function hasOpenContainerLine(bytes: Uint8Array, newline: number, chunkOf: typeof criChunk): boolean {
  const ended = new Set<string>()
  let end = newline
  for (let looked = 0; looked < CHUNK_LOOKBACK_LINES && end > 0; looked++) {
    const start = bytes.lastIndexOf(NEWLINE, end - 1) + 1
    const chunk = chunkOf(bytes, start, end)
    if (chunk === undefined) return false
    // The latest line of a stream decides: a `P` there is open, an `F` closes every earlier chunk of it.
    if (!ended.has(chunk.stream)) {
      if (chunk.partial) return true
      ended.add(chunk.stream)
    }
    if (ended.size === 2 || start === 0) return false
    end = start - 1
  }
  return false
}

/**
 * Whether a batch may end at the newline at `newline`: the next line starts a record of its own (a
 * timestamp, an IP of an access line, `{`, `Started `, `time="`) and the line before it is not a partial
 * container chunk. Lines starting with white space, backtrace frames, docker output and the like are not
 * safe: a cut there may split a record.
 */
export function isSafeCut(bytes: Uint8Array, newline: number): boolean {
  const next = newline + 1
  const first = bytes[next]
  if (first === undefined) return true
  const window = Math.min(bytes.length, next + CUT_LOOKAHEAD)
  const lineEnd = bytes.indexOf(NEWLINE, next)
  const end = lineEnd === -1 || lineEnd > window ? window : lineEnd
  if (first === OPEN_BRACE) return !hasOpenContainerLine(bytes, newline, jsonFileChunk) && isSafeLineStart(bytes, next, end)
  if (isDigit(first)) {
    // An era-B registry entry continued on the next line keeps its own svlogd prefix, then a TAB.
    if (isSvlogdPrefix(bytes, next) && bytes[next + 26] === TAB) return false
    if (isRunnerContinuation(bytes, next)) return false
    if (hasOpenContainerLine(bytes, newline, criChunk)) return false
    // `docker logs -t` / `kubectl logs --timestamps`: what follows the time decides, as for a bare line.
    if (isDate(bytes, next) && bytes[next + 10] === 0x54 && criChunk(bytes, next, end) === undefined) {
      const space = bytes.indexOf(SPACE, next)
      if (space !== -1 && space < end) return isSafeLineStart(bytes, space + 1, end)
    }
    return true
  }
  return isSafeLineStart(bytes, next, end)
}

/** The rule for the text of a line once its prefixes are known: a record of its own starts there. */
function isSafeLineStart(bytes: Uint8Array, at: number, end: number): boolean {
  const first = bytes[at]
  if (first === undefined || at >= end) return true
  if (isDigit(first)) return true
  if (first === OPEN_BRACE) return startsWith(bytes, at, '{"component"') ? startsRailsRequest(bytes, at, end) : true
  return startsWith(bytes, at, 'Started ') || startsWith(bytes, at, 'time="')
}

const SUBCOMPONENT = Buffer.from('"subcomponent":')
const MESSAGE = Buffer.from('"message":')

/** Where the value of the JSON key at `key` (its `"name":` found at that index) starts, after any spaces. */
function valueAt(line: Buffer, key: number, keyLength: number): number {
  let at = key + keyLength
  while (line[at] === SPACE) at++
  return at
}

/**
 * A gitlab-logger line (Helm chart) starts a record of its own unless it wraps a line of the text production.log,
 * whose records span lines: there, only a request's `Started …` line does.
 */
function startsRailsRequest(bytes: Uint8Array, start: number, end: number): boolean {
  const line = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)
  const subcomponent = line.indexOf(SUBCOMPONENT)
  if (subcomponent === -1 || !startsWith(line, valueAt(line, subcomponent, SUBCOMPONENT.length), '"production"')) return true
  const message = line.indexOf(MESSAGE)
  return message !== -1 && startsWith(line, valueAt(line, message, MESSAGE.length), '"Started ')
}

/** Enough bytes follow the newline at `newline` to decide (or the next line is complete). */
export function canDecideCut(bytes: Uint8Array, newline: number): boolean {
  return bytes.length - newline - 1 >= CUT_LOOKAHEAD || bytes.indexOf(NEWLINE, newline + 1) !== -1
}
