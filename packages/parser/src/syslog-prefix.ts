// The syslog and journald prefixes around a line, in every layout `journalctl` and syslog daemons write:
// BSD `May  9 06:45:46 host prog[pid]: ` (journalctl `short`, `short-precise`), RFC 3339 (`short-iso`, rsyslog),
// `short-full`, `short-unix`, and `short` in other locales. Each match gives the prefix (with `host` and
// `program` groups) and its time, when one can be read; unwrap-line.ts turns it into a wrapper layer.
import { parseIsoTime, parseSyslogTime } from './fields/parse-time.js'

/** A prefix found at the start of a line, and the time it gives. */
export interface SyslogPrefix {
  match: RegExpExecArray
  time: number | undefined
}

// Named parts. Every quantifier is followed by a character it cannot match, so matching stays linear.
/** An RFC 3339 time, as syslog daemons, CRI and `docker logs -t` write it. */
export const RFC3339 = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)`
// journalctl `-o short` has seconds, `-o short-precise` microseconds.
const SYSLOG_DATE = String.raw`(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d(?:\.\d{1,6})?`
const HOST = String.raw`(?<host>[^\s]+)`
const PROGRAM = String.raw`(?<program>[^\s[\]:]+)`
const PID = String.raw`\[\d+\]`

/** BSD syslog / journald short: `May  9 06:45:46 host prog[pid]: ` (pid optional, as for `kernel: `). */
const SYSLOG = new RegExp(String.raw`^(?<time>${SYSLOG_DATE}) ${HOST} ${PROGRAM}(?:${PID})?: `)
/**
 * RFC 5424-ish / rsyslog high-precision: `2024-05-02T10:31:04.118209+00:00 host prog[pid]: `. Without a pid
 * (NGINX's own `error_log syslog:` sends none) only with a numeric offset: `docker logs -t` always writes `Z`.
 */
const SYSLOG_ISO = new RegExp(String.raw`^(?<time>${RFC3339}) ${HOST} ${PROGRAM}${PID}: `)
const SYSLOG_ISO_NO_PID = new RegExp(String.raw`^(?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?[+-]\d\d:?\d\d) ${HOST} ${PROGRAM}: `)
/**
 * journald short output in a non-English locale (`3月 11 15:18:32 host docker[10226]: `, moby#21091; `Mai 25 …`,
 * systemd#27790): the pid is required, as the month name alone says little. Its time is read for the names in
 * LOCALE_MONTHS, and left out otherwise.
 */
const SYSLOG_LOCALE = new RegExp(
  String.raw`^(?<month>\d{1,2}月|[^\s\d:[\]{}"]{2,5}\.?) (?<day>[ \d]\d) (?<clock>\d\d:\d\d:\d\d)(?:\.\d{1,6})? ${HOST} ${PROGRAM}${PID}: `,
)
/** Month names of the locales seen in real journald captures besides English (German, then French abbreviations). */
const LOCALE_MONTHS = new Map<string, number>([
  ['Mär', 2], ['Mai', 4], ['Okt', 9], ['Dez', 11],
  ['janv.', 0], ['févr.', 1], ['mars', 2], ['avril', 3], ['mai', 4], ['juin', 5], ['juil.', 6], ['août', 7], ['sept.', 8], ['oct.', 9], ['nov.', 10], ['déc.', 11],
])
/** journalctl `-o short-full`: `Fri 2024-05-10 10:18:53 +07 host prog[pid]: ` (the zone as the host names it). */
const JOURNAL_FULL = new RegExp(
  String.raw`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?) (?<zone>[A-Za-z0-9+-]{1,8}) ${HOST} ${PROGRAM}(?:${PID})?: `,
)
/** journalctl `-o short-unix`: `1715311133.505245 host prog[pid]: `. */
const JOURNAL_UNIX = new RegExp(String.raw`^(?<epoch>\d{10}\.\d{6}) ${HOST} ${PROGRAM}(?:${PID})?: `)
/** A numeric zone, or one that names UTC: anything else (`CEST`) cannot be read without the host's zone table. */
const READABLE_ZONE = /^(?:[+-]\d\d(?::?\d\d)?|UTC|GMT|Z)$/

/** The RFC 3339 forms (`short-iso`, rsyslog): they start like `docker logs -t`, so the caller tries them first. */
export function matchSyslogIsoPrefix(text: string): SyslogPrefix | undefined {
  const match = SYSLOG_ISO.exec(text) ?? SYSLOG_ISO_NO_PID.exec(text)
  return match === null ? undefined : { match, time: parseIsoTime(match.groups?.time ?? '') }
}

/** The other forms. Cheap guards first: most lines have no prefix, and this runs on every line. */
export function matchSyslogPrefix(text: string): SyslogPrefix | undefined {
  if (text.charCodeAt(3) === 32) {
    const syslog = SYSLOG.exec(text)
    if (syslog !== null) return { match: syslog, time: parseSyslogTime(syslog.groups?.time ?? '') }
    const full = JOURNAL_FULL.exec(text)
    if (full !== null) return { match: full, time: journalFullTime(full.groups?.time ?? '', full.groups?.zone ?? '') }
  }
  if (startsLikeLocaleDate(text)) {
    const locale = SYSLOG_LOCALE.exec(text)
    if (locale !== null) return { match: locale, time: localeSyslogTime(locale.groups ?? {}) }
  }
  if (text.charCodeAt(10) === 0x2e && isDigit(text.charCodeAt(0))) {
    const unix = JOURNAL_UNIX.exec(text)
    // Truncated to the millisecond, as every other layout's time is.
    if (unix !== null) return { match: unix, time: Number((unix.groups?.epoch ?? '').replace('.', '').slice(0, 13)) }
  }
  return undefined
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

/** A month name of 2–6 characters, a space, a two-character day and a space: checked by hand, as it runs on every line. */
function startsLikeLocaleDate(text: string): boolean {
  for (let space = 2; space <= 6; space++) if (text.charCodeAt(space) === 32) return text.charCodeAt(space + 3) === 32
  return false
}

/** The time of a localized journald prefix, through the English layout `parseSyslogTime` reads; undefined for an unknown month name. */
function localeSyslogTime({ month = '', day = '', clock = '' }: Record<string, string | undefined>): number | undefined {
  const numbered = month.endsWith('月') ? Number(month.slice(0, -1)) - 1 : LOCALE_MONTHS.get(month)
  const english = numbered === undefined ? undefined : ENGLISH_MONTHS[numbered]
  return english === undefined ? undefined : parseSyslogTime(`${english} ${day} ${clock}`)
}

const ENGLISH_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

function journalFullTime(time: string, zone: string): number | undefined {
  if (!READABLE_ZONE.test(zone)) return undefined
  return parseIsoTime(zone === 'UTC' || zone === 'GMT' ? `${time}Z` : `${time}${zone}`)
}
