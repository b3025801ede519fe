// Decodes the backslash escapes Go's `%q` / strconv.Quote writes (logrus eras A, C, D, E; gorilla and LabKit
// access lines): https://go.dev/ref/spec#Rune_literals. Hand-written because JSON.parse rejects `\x`, `\a`,
// `\v`, `\'`, octal and `\U`, and a regex replace would allocate per escape on the hot path.

const SIMPLE: Record<string, string> = {
  a: '\u0007', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'",
}

function hexValue(text: string, start: number, count: number): number {
  if (start + count > text.length) return Number.NaN
  let value = 0
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i)
    let digit: number
    if (c >= 48 && c <= 57) digit = c - 48
    else if (c >= 97 && c <= 102) digit = c - 87
    else if (c >= 65 && c <= 70) digit = c - 55
    else return Number.NaN
    value = value * 16 + digit
  }
  return value
}

function octalValue(text: string, start: number): number {
  if (start + 3 > text.length) return Number.NaN
  let value = 0
  for (let i = start; i < start + 3; i++) {
    const digit = text.charCodeAt(i) - 48
    if (digit < 0 || digit > 7) return Number.NaN
    value = value * 8 + digit
  }
  return value > 255 ? Number.NaN : value
}

/**
 * Decodes Go escapes in the body of a quoted string (without its quotes). Returns `undefined` when the body
 * holds a backslash that is not a valid Go escape (era-B logrus writes values raw, e.g. `\(linux\)`), so the
 * caller can keep the text as written. `\xHH` bytes are decoded one character each (Latin-1), not as UTF-8.
 */
export function decodeGoEscapes(body: string): string | undefined {
  let next = body.indexOf('\\')
  if (next === -1) return body
  let out = ''
  let pos = 0
  while (next !== -1) {
    out += body.slice(pos, next)
    const kind = body[next + 1]
    if (kind === undefined) return undefined
    const simple = SIMPLE[kind]
    let code: number
    let length: number
    if (simple !== undefined) {
      out += simple
      pos = next + 2
      next = body.indexOf('\\', pos)
      continue
    }
    if (kind === 'x') [code, length] = [hexValue(body, next + 2, 2), 4]
    else if (kind === 'u') [code, length] = [hexValue(body, next + 2, 4), 6]
    else if (kind === 'U') [code, length] = [hexValue(body, next + 2, 8), 10]
    else if (kind >= '0' && kind <= '7') [code, length] = [octalValue(body, next + 1), 4]
    else return undefined
    if (Number.isNaN(code) || code > 0x10ffff) return undefined
    out += String.fromCodePoint(code)
    pos = next + length
    next = body.indexOf('\\', pos)
  }
  return out + body.slice(pos)
}
