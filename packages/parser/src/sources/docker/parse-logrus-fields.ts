// A logrus TextFormatter line (`time="…" level=error msg="Upload failed, retrying: EOF" key=value …`) to its
// key/value pairs. Hand-written rather than one regex: values are quoted Go strings with `\"` escapes, and a
// scan that moves forward only is linear whatever the line holds.
// Format: https://github.com/sirupsen/logrus/blob/master/text_formatter.go

/** Keys that would reach an object's prototype: never stored. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

function isKeyChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57)
    || code === 95 || code === 46 || code === 45 // _ . -
}

/** Reads a quoted value starting after its opening `"`; returns the unescaped text and where it ended. */
function readQuoted(line: string, start: number): { value: string; end: number } {
  let value = ''
  let i = start
  while (i < line.length) {
    const c = line[i]
    if (c === '\\' && i + 1 < line.length) {
      const next = line[i + 1]
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next
      i += 2
      continue
    }
    // logrus quotes with strconv.Quote, so an unescaped `"` ends the value; the seeds also hold lines whose
    // message contains bare quotes (`msg="… ID: "TOKE:…""`): a `"` not followed by a space or the end is text.
    if (c === '"' && (i + 1 === line.length || line[i + 1] === ' ')) return { value, end: i + 1 }
    value += c
    i++
  }
  return { value, end: i }
}

/**
 * The `key=value` pairs of a logrus text line, in order, on an object without a prototype; `undefined`
 * when the line does not start with a `key=` pair.
 */
export function parseLogrusFields(line: string): Record<string, string> | undefined {
  const fields = Object.create(null) as Record<string, string>
  let i = 0
  let count = 0
  while (i < line.length) {
    while (line[i] === ' ') i++
    const keyStart = i
    while (i < line.length && isKeyChar(line.charCodeAt(i))) i++
    if (i === keyStart || line[i] !== '=') {
      if (count === 0) return undefined
      break
    }
    const key = line.slice(keyStart, i)
    i++
    let value: string
    if (line[i] === '"') {
      const quoted = readQuoted(line, i + 1)
      value = quoted.value
      i = quoted.end
    } else {
      const end = line.indexOf(' ', i)
      value = line.slice(i, end === -1 ? line.length : end)
      i = end === -1 ? line.length : end
    }
    if (!FORBIDDEN_KEYS.has(key)) fields[key] = value
    count++
  }
  return fields
}
