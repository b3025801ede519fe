// Go `time.Duration.String()` values as logrus prints them (`8.937191ms`, `88.251µs`, `1m2.5s`, `0s`):
// https://pkg.go.dev/time#Duration.String. Hand-written because the unit list includes `µs`/`μs` and
// a combined value like `1h2m3.5s` would need a repeated group in a regex.

// Units as a power of ten of milliseconds, applied by writing an exponent (`88.251e-3`) so the decimal result
// is rounded once (`88.251µs` → 0.088251, where 88.251 / 1000 gives 0.08825100000000001).
const UNIT_EXPONENT: Record<string, number> = { ns: -6, us: -3, 'µs': -3, 'μs': -3, ms: 0, s: 3 }
const UNIT_FACTOR: Record<string, number> = { m: 60_000, h: 3_600_000 }

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
    const number = text.slice(numberStart, unitStart)
    const unit = text.slice(unitStart, pos)
    const exponent = UNIT_EXPONENT[unit]
    const factor = UNIT_FACTOR[unit]
    const value = exponent !== undefined ? Number(`${number}e${exponent}`) : Number(number) * (factor ?? Number.NaN)
    if (number === '' || Number.isNaN(value)) return undefined
    total += value
  }
  // Round to the nanosecond a Go duration carries, dropping the float error of summing `2m42.81467s`.
  return (sign * Math.round(total * 1e6)) / 1e6
}
