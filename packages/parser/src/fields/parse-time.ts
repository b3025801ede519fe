// Timestamps of every layout we read, to epoch milliseconds. Hand-written rather than `Date.parse` on
// reshaped strings: these run once per line, and building an intermediate string per line is what a
// profile of the parse loop showed first. Each returns `undefined` for text it cannot read.

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
}
// The names above keyed by their three ASCII character codes (monthAt refuses anything else).
const MONTH_BY_KEY = new Map(
  Object.entries(MONTHS).map(([name, index]) => [(name.charCodeAt(0) << 16) | (name.charCodeAt(1) << 8) | name.charCodeAt(2), index]),
)

/** The month abbreviation at `start` (`Jan` → 0), read without cutting a substring out of the line. */
function monthAt(text: string, start: number): number | undefined {
  const a = text.charCodeAt(start)
  const b = text.charCodeAt(start + 1)
  const c = text.charCodeAt(start + 2)
  // Past the end charCodeAt is NaN, which fails the test too; ASCII only, so 8 bits per character suffice.
  if (!(a < 128 && b < 128 && c < 128)) return undefined
  return MONTH_BY_KEY.get((a << 16) | (b << 8) | c)
}

function digits(text: string, start: number, count: number): number {
  let value = 0
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i) - 48
    if (c < 0 || c > 9) return Number.NaN
    value = value * 10 + c
  }
  return value
}

/** Milliseconds from a fraction written after a `.` at `start` (any number of digits), and where it ends. */
function fraction(text: string, start: number): { ms: number; end: number } {
  let end = start
  let ms = 0
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) {
    // The first three digits are the milliseconds; the rest is read past.
    if (end - start < 3) ms = ms * 10 + text.charCodeAt(end) - 48
    end++
  }
  const read = Math.min(end - start, 3)
  return { ms: read === 1 ? ms * 100 : read === 2 ? ms * 10 : ms, end }
}

/** `Z`, `+01:00`, `+0100`, `-07` at `start`: offset in minutes east of UTC, or undefined. */
function zoneOffset(text: string, start: number): number | undefined {
  const sign = text[start]
  if (sign === 'Z' || sign === 'z') return 0
  if (sign !== '+' && sign !== '-') return undefined
  const hours = digits(text, start + 1, 2)
  let minutes = 0
  if (text[start + 3] === ':') minutes = digits(text, start + 4, 2)
  else if (start + 5 <= text.length) minutes = digits(text, start + 3, 2)
  if (Number.isNaN(hours) || Number.isNaN(minutes)) return undefined
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes)
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

// Date.UTC rolls impossible dates over (month 13 → next January); a log time like that is garbage, not a date.
// Checked arithmetically: the `new Date(t).getUTCDate()` round trip allocated a Date per parsed line.
function utc(year: number, month: number, day: number, h: number, m: number, s: number, ms: number): number | undefined {
  if (month < 0 || month > 11 || day < 1 || day > 31 || h > 23 || m > 59 || s > 60) return undefined
  // Date.UTC reads years 0–99 as 1900–1999, so that is the year whose calendar applies.
  const calendarYear = year >= 0 && year <= 99 ? 1900 + year : year
  const leap = calendarYear % 4 === 0 && (calendarYear % 100 !== 0 || calendarYear % 400 === 0)
  if (day > (month === 1 && leap ? 29 : (DAYS_IN_MONTH[month] ?? 0))) return undefined
  // A leap second rolls over to the next minute; at 23:59:60 that is the next day, which the round trip refused.
  if (s === 60 && h === 23 && m === 59) return undefined
  const t = Date.UTC(year, month, day, h, m, s, ms)
  return Number.isNaN(t) ? undefined : t
}

/** `YYYY-MM-DD?hh:mm:ss` at the start of `text` (any one-character separators) plus `ms`, as UTC epoch ms. */
function fixedDateTime(text: string, ms: number): number | undefined {
  const year = digits(text, 0, 4)
  const month = digits(text, 5, 2)
  const day = digits(text, 8, 2)
  const h = digits(text, 11, 2)
  const m = digits(text, 14, 2)
  const s = digits(text, 17, 2)
  if (Number.isNaN(year + month + day + h + m + s)) return undefined
  return utc(year, month - 1, day, h, m, s, ms)
}

/**
 * RFC 3339 / ISO 8601: `2024-05-02T10:11:12Z`, `…12.123456789Z`, `…12.771028+01:00`, and the space-separated
 * `2024-05-02 10:11:12.123 +0000` / `… +0000 UTC` variants (Rails, Go `time.Time` printing). No zone = UTC.
 */
export function parseIsoTime(text: string): number | undefined {
  if (text.length < 19 || text[4] !== '-' || text[7] !== '-') return undefined
  const sep = text[10]
  if (sep !== 'T' && sep !== ' ' && sep !== 't') return undefined
  let pos = 19
  let ms = 0
  if (text[pos] === '.' || text[pos] === ',') {
    const f = fraction(text, pos + 1)
    ms = f.ms
    pos = f.end
  }
  if (text[pos] === ' ') pos++
  const offset = pos < text.length ? zoneOffset(text, pos) : 0
  const t = fixedDateTime(text, ms)
  return t === undefined ? undefined : t - (offset ?? 0) * 60_000
}

/** NGINX `$time_local` / Apache: `02/May/2024:10:15:01 +0000`. */
export function parseCommonLogTime(text: string): number | undefined {
  if (text.length < 20 || text[2] !== '/' || text[6] !== '/' || text[11] !== ':') return undefined
  const month = monthAt(text, 3)
  if (month === undefined) return undefined
  const day = digits(text, 0, 2)
  const year = digits(text, 7, 4)
  const h = digits(text, 12, 2)
  const m = digits(text, 15, 2)
  const s = digits(text, 18, 2)
  if (Number.isNaN(year + day + h + m + s)) return undefined
  const offset = text.length > 21 ? zoneOffset(text, 21) : 0
  const t = utc(year, month, day, h, m, s, 0)
  return t === undefined ? undefined : t - (offset ?? 0) * 60_000
}

/** svlogd `-tt`: `2024-05-02_10:11:12.12345` (UTC). NGINX error log: `2024/05/02 10:11:12` (local time, read as UTC). */
export function parseSvlogdTime(text: string): number | undefined {
  if (text.length < 19) return undefined
  return fixedDateTime(text, text[19] === '.' ? fraction(text, 20).ms : 0)
}

/**
 * syslog `May  9 06:45:46`, optionally with a fraction (no year: the current UTC year is assumed, unless that puts the time more than a
 * day in the future, in which case the year before).
 */
export function parseSyslogTime(text: string, now: number = Date.now()): number | undefined {
  const month = monthAt(text, 0)
  if (month === undefined || text[3] !== ' ') return undefined
  const day = text[4] === ' ' ? digits(text, 5, 1) : digits(text, 4, 2)
  const h = digits(text, 7, 2)
  const m = digits(text, 10, 2)
  const s = digits(text, 13, 2)
  if (Number.isNaN(day + h + m + s)) return undefined
  // journalctl `-o short-precise`: `May 10 10:18:53.505245`.
  const ms = text[15] === '.' ? fraction(text, 16).ms : 0
  const year = new Date(now).getUTCFullYear()
  const t = utc(year, month, day, h, m, s, ms)
  if (t === undefined) return undefined
  return t > now + 86_400_000 ? utc(year - 1, month, day, h, m, s, ms) : t
}

/** Epoch ms to ISO-8601 UTC, as findings print it. */
export function formatIsoTime(time: number): string {
  return new Date(time).toISOString()
}
