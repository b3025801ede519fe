// Splits logrus TextFormatter output (`key=value key="quoted value" …`) into key/value pairs, across the
// quoting rules of every era (shared/spec/formats-registry.md §1.2). Hand-written rather than a regex: this
// is the hot path of registry parsing, and era B's unescaped quotes need look-ahead a linear-time regex
// cannot express.
import { decodeGoEscapes } from './decode-go-escapes.js'
import { fieldBit } from './field-presence.js'
import { fieldName, type FieldMap } from './normalise-fields.js'

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

// Keys seen before, in a trie walked while the key is scanned. The same few dozen keys repeat on every line;
// handing out one string per key (rather than a fresh slice each time) spares the allocation, and its field
// name (dots to underscores, refused names) is worked out once per key instead of through two hash lookups
// per line. A profile of the text path showed all three; a hash table needed a second pass over the key to
// verify a hit, which cost as much as it saved. Bounded: past MAX_TRIE_NODES no key is added.
const SYMBOLS = KEY_CHARS.reduce((count, isKey) => count + isKey, 0)
/** Key character code → its index among the key characters, or -1. */
const SYMBOL_OF = new Int8Array(128).fill(-1)
for (let c = 0, next = 0; c < 128; c++) if (KEY_CHARS[c] === 1) SYMBOL_OF[c] = next++
const MAX_TRIE_NODES = 4096
const MAX_CACHED_KEY = 64
/** Child node per (node, symbol); 0 is "none" (the root, node 0, is nobody's child). */
const TRIE_CHILD = new Int32Array(MAX_TRIE_NODES * SYMBOLS)
/** The key ending at a node, its `fieldName` ('' for a refused key) and that name's presence bit. */
const TRIE_KEY: (string | undefined)[] = [undefined]
const TRIE_NAME: string[] = ['']
const TRIE_BIT: number[] = [0]
/** The trie node of the key `scanKey` read last (0 when it is not in the trie). */
let scannedNode = 0

/** `keyEnd` that also walks the trie (into `scannedNode`). Returns the index of the `=`, or -1. */
function scanKey(text: string, pos: number): number {
  let i = pos
  let node = 0
  let c = text.charCodeAt(i)
  while (c < 128 && KEY_CHARS[c] === 1) {
    // Once off the trie (node 0 after the first step) it stays off: the root has no parent edge.
    node = i === pos || node !== 0 ? (TRIE_CHILD[node * SYMBOLS + (SYMBOL_OF[c] ?? 0)] ?? 0) : 0
    c = text.charCodeAt(++i)
  }
  scannedNode = node
  return i > pos && c === EQUALS ? i : -1
}

/** The trie node holding the key `scanKey` just read (added on a miss when there is room), or 0. */
function keyNode(text: string, start: number, end: number): number {
  if (scannedNode !== 0 && TRIE_KEY[scannedNode] !== undefined) return scannedNode
  if (end - start > MAX_CACHED_KEY || TRIE_KEY.length + (end - start) > MAX_TRIE_NODES) return 0
  let node = 0
  for (let i = start; i < end; i++) {
    const edge = node * SYMBOLS + (SYMBOL_OF[text.charCodeAt(i)] ?? 0)
    let child = TRIE_CHILD[edge] ?? 0
    if (child === 0) {
      child = TRIE_KEY.length
      TRIE_KEY.push(undefined)
      TRIE_NAME.push('')
      TRIE_BIT.push(0)
      TRIE_CHILD[edge] = child
    }
    node = child
  }
  const key = text.slice(start, end)
  TRIE_KEY[node] = key
  const name = fieldName(key) ?? ''
  TRIE_NAME[node] = name
  TRIE_BIT[node] = fieldBit(name)
  return node
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

// Where the value `readQuoted` read last ends, the mode the rest of the line is read in, and whether it had no
// strict closing quote (the entry may continue on the next physical line, era-B raw newline). Out-values
// rather than a result object per quoted value: the tokenizer is the registry parser's hottest loop.
let quotedEnd = 0
let quotedMode: QuoteMode = 'escaped'
let quotedOpen = false

function readQuoted(text: string, quote: number, mode: QuoteMode): string {
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
        return quoted(decodeGoEscapes(body) ?? body, nextQuote + 1, mode, false)
      } else {
        i = nextQuote + 1
        nextQuote = text.indexOf('"', i)
      }
    }
  }
  if (mode !== 'loose') {
    // Era B writes backslashes raw, so a value may end in `\"`.
    for (let i = text.indexOf('"', quote + 1); i !== -1; i = text.indexOf('"', i + 1)) {
      if (closesValue(text, i + 1)) return quoted(text.slice(quote + 1, i), i + 1, 'raw', false)
    }
  }
  for (let i = quote + 1; i < text.length; i++) {
    if (text.charCodeAt(i) === QUOTE && (i + 1 === text.length || text.charCodeAt(i + 1) === SPACE)) {
      return quoted(text.slice(quote + 1, i), i + 1, 'loose', true)
    }
  }
  return quoted(text.slice(quote + 1).trimEnd(), text.length, 'loose', true)
}

function quoted(value: string, end: number, mode: QuoteMode, open: boolean): string {
  quotedEnd = end
  quotedMode = mode
  quotedOpen = open
  return value
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
  const flags = scanFields(text, start, pairs, undefined)
  return { pairs, clean: (flags & UNCLEAN) === 0, open: (flags & OPEN) !== 0 }
}

/**
 * Tokenizes the whole of `text` straight into `fields` under normalised names (what `fieldMapFromPairs` of
 * `tokenizeLogrusFields(text).pairs` builds, without the pairs in between). Returns the presence bits of the
 * names stored (field-presence.ts).
 */
export function readLogrusFieldsInto(text: string, fields: FieldMap): number {
  scanFields(text, 0, undefined, fields)
  return storedPresence
}

/** The presence bits of the names the last `scanFields` into a map stored. */
let storedPresence = 0

const UNCLEAN = 1
const OPEN = 2

/** The tokenizer: appends raw pairs to `pairs`, or adds normalised ones to `fields`. Returns UNCLEAN | OPEN flags. */
function scanFields(text: string, start: number, pairs: string[] | undefined, fields: FieldMap | undefined): number {
  let clean = true
  let open = false
  let mode: QuoteMode = 'escaped'
  let pos = start
  let presence = 0
  const length = text.length
  while (pos < length) {
    while (pos < length && text.charCodeAt(pos) === SPACE) pos++
    if (pos === length) break
    const equals = scanKey(text, pos)
    if (equals === -1) {
      clean = false
      const space = text.indexOf(' ', pos)
      pos = space === -1 ? length : space
      continue
    }
    const node = keyNode(text, pos, equals)
    const keyStart = pos
    pos = equals + 1
    let value: string
    if (text.charCodeAt(pos) === QUOTE) {
      value = readQuoted(text, pos, mode)
      pos = quotedEnd
      open = quotedOpen
      mode = quotedMode
    } else {
      const valueStart = pos
      const space = text.indexOf(' ', pos)
      pos = space === -1 ? length : space
      value = text.slice(valueStart, pos)
      open = false
    }
    if (fields !== undefined) {
      const name = node === 0 ? fieldName(text.slice(keyStart, equals)) : TRIE_NAME[node]
      if (name !== undefined && name !== '') {
        fields[name] = value
        presence |= node === 0 ? fieldBit(name) : (TRIE_BIT[node] ?? 0)
      }
    } else {
      pairs?.push((node === 0 ? undefined : TRIE_KEY[node]) ?? text.slice(keyStart, equals), value)
    }
  }
  storedPresence = presence
  return (clean ? 0 : UNCLEAN) | (open ? OPEN : 0)
}
