// Splits logrus TextFormatter output (`key=value key="quoted value" …`) into key/value pairs, across the
// quoting rules of every era (shared/spec/formats-registry.md §1.2). Hand-written rather than a regex: this
// is the hot path of registry parsing, and era B's unescaped quotes need look-ahead a linear-time regex
// cannot express.
import { decodeGoEscapes } from './decode-go-escapes.js'

const SPACE = 32
const QUOTE = 34
const EQUALS = 61

/** `[A-Za-z0-9_.-]`: the characters of a logrus field name (`http.request.uri`, `vars_name`, `CF-RAY`), by code. */
const KEY_CHARS = new Uint8Array(128)
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-') KEY_CHARS[c.charCodeAt(0)] = 1

/** Index after a `key=` starting at `pos`, or -1 when `pos` does not start one. */
export function keyEnd(text: string, pos: number): number {
  let i = pos
  // A table lookup per character: this loop runs over every key of every registry line.
  let c = text.charCodeAt(i)
  while (c < 128 && KEY_CHARS[c] === 1) c = text.charCodeAt(++i)
  return i > pos && text.charCodeAt(i) === EQUALS ? i : -1
}

// Keys by a hash of their characters. The same few dozen keys repeat on every line; handing out one string
// per key (rather than a fresh slice each time) spares the allocation, and its hash, once computed, stays on
// the string, so the name lookups downstream are cheap. A profile of the text path showed both. Bounded
// so that hostile logs with endless distinct keys cannot grow it; those keys are sliced as before.
const KEY_CACHE = new Map<number, string>()
const KEY_CACHE_LIMIT = 4096

/** `text.slice(start, end)` for a key, from the cache when it holds that key. */
function keyAt(text: string, start: number, end: number): string {
  let hash = end - start
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0
  const cached = KEY_CACHE.get(hash)
  if (cached !== undefined && cached.length === end - start && text.startsWith(cached, start)) return cached
  const key = text.slice(start, end)
  if (cached === undefined && KEY_CACHE.size < KEY_CACHE_LIMIT) KEY_CACHE.set(hash, key)
  return key
}

/** Whether an elision mark (`…` or `...`, as docs and issues quote lines) stands alone at `pos`. */
function isElision(text: string, pos: number): boolean {
  const end = text.startsWith('…', pos) ? pos + 1 : text.startsWith('...', pos) ? pos + 3 : -1
  return end !== -1 && (end === text.length || text.charCodeAt(end) === SPACE)
}

/**
 * Whether a `"` just before `pos` closes a quoted value: it does when only spaces follow, or spaces and the
 * next `key=` (or an elision mark standing for elided pairs). Era-B values hold unescaped quotes, so this is
 * the only reliable end marker. Each call scans forward to the next non-key character at most, which keeps
 * the whole tokenizer linear.
 */
function closesValue(text: string, pos: number): boolean {
  if (pos === text.length) return true
  let i = pos
  while (i < text.length && text.charCodeAt(i) === SPACE) i++
  if (i === pos) return false
  return i === text.length || keyEnd(text, i) !== -1 || isElision(text, i)
}

/**
 * How quoted values of a line are read. `escaped`: Go %q (eras A, C, D, E). `raw`: era B, no escapes.
 * `loose`: no value of the rest of the line ends at a strict end marker (an elided or cut line), so the
 * first `"` before a space ends it. A line only moves down this list: each failed mode has scanned to the
 * end of the line, and retrying it per value would make the tokenizer quadratic.
 */
type QuoteMode = 'escaped' | 'raw' | 'loose'

/** A quoted value, where it ends, and the mode the rest of the line is read in. */
interface QuotedValue {
  value: string
  end: number
  mode: QuoteMode
  /** No strict closing quote: the entry may continue on the next physical line (era-B raw newline). */
  open: boolean
}

function readQuoted(text: string, quote: number, mode: QuoteMode): QuotedValue {
  if (mode === 'escaped') {
    // Jump between quotes and backslashes with indexOf (native, much faster than a per-character loop); each
    // position is remembered until passed, so no stretch of the line is searched twice.
    let i = quote + 1
    let nextQuote = text.indexOf('"', i)
    let nextBackslash = text.indexOf('\\', i)
    while (nextQuote !== -1) {
      if (nextBackslash !== -1 && nextBackslash < nextQuote) {
        i = nextBackslash + 2
        nextBackslash = text.indexOf('\\', i)
        if (nextQuote < i) nextQuote = text.indexOf('"', i)
      } else if (closesValue(text, nextQuote + 1)) {
        const body = text.slice(quote + 1, nextQuote)
        return { value: decodeGoEscapes(body) ?? body, end: nextQuote + 1, mode, open: false }
      } else {
        i = nextQuote + 1
        nextQuote = text.indexOf('"', i)
      }
    }
  }
  if (mode !== 'loose') {
    // Era B writes backslashes raw, so a value may end in `\"`.
    for (let i = text.indexOf('"', quote + 1); i !== -1; i = text.indexOf('"', i + 1)) {
      if (closesValue(text, i + 1)) return { value: text.slice(quote + 1, i), end: i + 1, mode: 'raw', open: false }
    }
  }
  for (let i = quote + 1; i < text.length; i++) {
    if (text.charCodeAt(i) === QUOTE && (i + 1 === text.length || text.charCodeAt(i + 1) === SPACE)) {
      return { value: text.slice(quote + 1, i), end: i + 1, mode: 'loose', open: true }
    }
  }
  return { value: text.slice(quote + 1).trimEnd(), end: text.length, mode: 'loose', open: true }
}

/** The pairs of a logrus field list, flat (`[key0, value0, key1, value1, …]`) to spare an array per pair. */
export interface LogrusFields {
  pairs: string[]
  /** Every token was a `key=value`; false when stray words were skipped. */
  clean: boolean
  /** The last quoted value had no strict closing quote: the entry may continue on the next physical line. */
  open: boolean
}

/** Tokenizes `key=value` pairs from `start` to the end of `text`. Never throws; stray words are skipped. */
export function tokenizeLogrusFields(text: string, start = 0): LogrusFields {
  const pairs: string[] = []
  let clean = true
  let open = false
  let mode: QuoteMode = 'escaped'
  let pos = start
  const length = text.length
  while (pos < length) {
    while (pos < length && text.charCodeAt(pos) === SPACE) pos++
    if (pos === length) break
    const equals = keyEnd(text, pos)
    if (equals === -1) {
      clean = false
      const space = text.indexOf(' ', pos)
      pos = space === -1 ? length : space
      continue
    }
    const key = keyAt(text, pos, equals)
    pos = equals + 1
    if (text.charCodeAt(pos) === QUOTE) {
      const quoted = readQuoted(text, pos, mode)
      pairs.push(key, quoted.value)
      pos = quoted.end
      open = quoted.open
      mode = quoted.mode
    } else {
      const valueStart = pos
      const space = text.indexOf(' ', pos)
      pos = space === -1 ? length : space
      pairs.push(key, text.slice(valueStart, pos))
      open = false
    }
  }
  return { pairs, clean, open }
}
