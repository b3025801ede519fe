// Go `time.Duration.String()` values as logrus prints them (`8.937191ms`, `88.251µs`, `1m2.5s`, `0s`):
// https://pkg.go.dev/time#Duration.String. Hand-written because the unit list includes `µs`/`μs` and
// a combined value like `1h2m3.5s` would need a repeated group in a regex.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
}

/** Digits and the decimal point. */
function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46
}

/** Milliseconds in a Go duration string, or `undefined` when `text` is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0
  let total = 0
  let pos = 0
  let sign = 1
  if (text.startsWith('-')) {
    sign = -1
    pos = 1
  }
  if (pos === text.length) return undefined
  while (pos < text.length) {
    const numberStart = pos
    while (pos < text.length && isNumberChar(text.charCodeAt(pos))) pos++
    const unitStart = pos
    while (pos < text.length && !isNumberChar(text.charCodeAt(pos))) pos++
    const value = Number(text.slice(numberStart, unitStart))
    const unit = UNIT_MS[text.slice(unitStart, pos)]
    if (unitStart === numberStart || Number.isNaN(value) || unit === undefined) return undefined
    total += value * unit
  }
  return sign * total
}
