// Splits logrus TextFormatter output (`key=value key="quoted value" …`) into key/value pairs, across the
// quoting rules of every era (shared/spec/formats-registry.md §1.2). Hand-written rather than a regex: this
// is the hot path of registry parsing, and era B's unescaped quotes need look-ahead a linear-time regex
// cannot express.
import { decodeGoEscapes } from './decode-go-escapes.js'

const SPACE = 32
const QUOTE = 34
const BACKSLASH = 92
const EQUALS = 61

/** `[A-Za-z0-9_.-]`: the characters of a logrus field name (`http.request.uri`, `vars_name`, `CF-RAY`). */
function isKeyChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45
  )
}

/** Index after a `key=` starting at `pos`, or -1 when `pos` does not start one. */
export function keyEnd(text: string, pos: number): number {
  let i = pos
  while (i < text.length && isKeyChar(text.charCodeAt(i))) i++
  return i > pos && text.charCodeAt(i) === EQUALS ? i : -1
}

/**
 * Whether a `"` just before `pos` closes a quoted value: it does when only spaces follow, or spaces and the
 * next `key=`. Era-B values hold unescaped quotes, so this is the only reliable end marker. Each call scans
 * forward to the next non-key character at most, which keeps the whole tokenizer linear.
 */
function closesValue(text: string, pos: number): boolean {
  if (pos === text.length) return true
  let i = pos
  while (i < text.length && text.charCodeAt(i) === SPACE) i++
  if (i === pos) return false
  return i === text.length || keyEnd(text, i) !== -1
}

/** A quoted value: its body, where it ends, and whether the body held Go escapes to decode. */
interface QuotedValue {
  value: string
  end: number
  /** No closing quote before the end of the text (an era-B value cut by a raw newline). */
  open: boolean
  /** Whether the value was read as Go-escaped; false once a line proved to be raw (era B). */
  escaped: boolean
}

function readQuoted(text: string, quote: number, escaped: boolean): QuotedValue {
  if (escaped) {
    // Go %q (eras A, C, D, E): skip escaped characters, so `\"` never ends the value.
    for (let i = quote + 1; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c === BACKSLASH) i++
      else if (c === QUOTE && closesValue(text, i + 1)) {
        const body = text.slice(quote + 1, i)
        return { value: decodeGoEscapes(body) ?? body, end: i + 1, open: false, escaped }
      }
    }
  }
  // Era B writes backslashes raw, so a value may end in `\"`: look again without escapes, and keep doing so
  // for the rest of the line (a line has one era; retrying escapes per value would make the scan quadratic).
  for (let i = quote + 1; i < text.length; i++) {
    if (text.charCodeAt(i) === QUOTE && closesValue(text, i + 1)) {
      return { value: text.slice(quote + 1, i), end: i + 1, open: false, escaped: false }
    }
  }
  return { value: text.slice(quote + 1).trimEnd(), end: text.length, open: true, escaped: false }
}

/** The pairs of a logrus field list, flat (`[key0, value0, key1, value1, …]`) to spare an array per pair. */
export interface LogrusFields {
  pairs: string[]
  /** Every token was a `key=value`; false when stray words were skipped. */
  clean: boolean
  /** The last quoted value had no closing quote: the entry continues on the next physical line. */
  open: boolean
}

/** Tokenizes `key=value` pairs from `start` to the end of `text`. Never throws; stray words are skipped. */
export function tokenizeLogrusFields(text: string, start = 0): LogrusFields {
  const pairs: string[] = []
  let clean = true
  let open = false
  let escaped = true
  let pos = start
  const length = text.length
  while (pos < length) {
    while (pos < length && text.charCodeAt(pos) === SPACE) pos++
    if (pos === length) break
    const equals = keyEnd(text, pos)
    if (equals === -1) {
      clean = false
      while (pos < length && text.charCodeAt(pos) !== SPACE) pos++
      continue
    }
    const key = text.slice(pos, equals)
    pos = equals + 1
    if (text.charCodeAt(pos) === QUOTE) {
      const quoted = readQuoted(text, pos, escaped)
      pairs.push(key, quoted.value)
      pos = quoted.end
      open = quoted.open
      escaped = quoted.escaped
    } else {
      const valueStart = pos
      while (pos < length && text.charCodeAt(pos) !== SPACE) pos++
      pairs.push(key, text.slice(valueStart, pos))
      open = false
    }
  }
  return { pairs, clean, open }
}
