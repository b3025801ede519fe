// Lines the registry's Go runtime writes through the standard `log` package rather than logrus: net/http's
// server errors (`2016/03/30 16:27:47 http: TLS handshake error from 172.31.0.151:43643: EOF`, distribution#1576;
// `http: panic serving <client>: …` followed by the goroutine dump, distribution#2695). They sit between the
// logrus lines of the same stream. Go prints local time without a zone; like NGINX's error log it is read as
// UTC, which is what containers run in.
import type { ParsedFields } from '../../define-source.js'
import { parseSvlogdTime } from '../../fields/parse-time.js'
import type { RegistryEvent } from '../../log-event.js'
import type { Unparsed } from '../../unparsed-line.js'
import { createFieldMap } from './normalise-fields.js'

// `log.LstdFlags` (`2006/01/02 15:04:05`), optionally `Lmicroseconds`. Not `[`: NGINX's error log starts the same way.
const GO_LOG = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})? (?=[^[\s])/
const PANIC_SERVING = 'http: panic serving '

/** Where the message of a Go `log` line starts, or -1. */
function messageStart(text: string): number {
  return text.charCodeAt(4) === 0x2f ? (GO_LOG.exec(text)?.[0].length ?? -1) : -1
}

/** Whether `text` is a Go standard-library log line. */
export function isGoLog(text: string): boolean {
  return messageStart(text) !== -1
}

/** Whether `text` is net/http's report of a handler that panicked (a goroutine dump follows). */
export function isGoLogPanic(text: string): boolean {
  const start = messageStart(text)
  return start !== -1 && text.startsWith(PANIC_SERVING, start)
}

/** Parses a Go `log` line (a recovered panic with its dump as one record). */
export function parseGoLog(text: string): ParsedFields<RegistryEvent> | Unparsed {
  const start = messageStart(text)
  if (start === -1) return { unparsed: 'no-match' }
  const message = text.slice(start)
  const event: ParsedFields<RegistryEvent> = { source: 'registry', message, format: 'go-log', access: false, fields: createFieldMap() }
  const time = parseSvlogdTime(text)
  if (time !== undefined) event.time = time
  if (message.startsWith(PANIC_SERVING)) {
    event.level = 'panic'
    event.error = message.slice(PANIC_SERVING.length)
  }
  return event
}
