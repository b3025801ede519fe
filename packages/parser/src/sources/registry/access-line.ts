// Access lines the registry writes itself: gorilla CombinedLoggingHandler (upstream, GitLab ≤ v2.9) and
// LabKit's `combined` layout (GitLab v2.10–v2.13): shared/spec/formats-registry.md §3.1, §3.3.
// Both quote with Go escapes (`\\(linux\\)`), hence the shared quoted-part and the Go decoder.
import type { ParsedFields } from '../../define-source.js'
import { parseCommonLogTime, parseIsoTime } from '../../fields/parse-time.js'
import type { RegistryEvent } from '../../log-event.js'
import type { Unparsed } from '../../unparsed-line.js'
import { decodeGoEscapes } from './decode-go-escapes.js'
import { parseDigits } from '../../fields/parse-digits.js'
import { createFieldMap, parseStatus, setUri, stripPort } from './normalise-fields.js'

/** A double-quoted, backslash-escaped string; the alternatives start with different characters, so it is linear. */
const quoted = (name: string): string => String.raw`"(?<${name}>(?:[^"\\]|\\.)*)"`

const CLIENT = String.raw`(?<client>\S+)`
const USER = String.raw`(?<user>\S+)`
const COMMON_TIME = String.raw`\[(?<time>\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\]`
const STATUS_BYTES = String.raw`(?<status>\d{3}) (?<bytes>-|\d+)`
const REQUEST_TO_AGENT = `${quoted('request')} ${STATUS_BYTES} ${quoted('referer')} ${quoted('agent')}`
/** `::1 - - [22/Oct/2015:17:31:43 +0000] "HEAD /v2/… HTTP/1.0" 404 157 "" "docker/1.8.2 …"` */
const GORILLA = new RegExp(String.raw`^${CLIENT} \S+ ${USER} ${COMMON_TIME} ${REQUEST_TO_AGENT} *$`)

const HOST = String.raw`(?<host>\S+)`
const LABKIT_TIME = String.raw`\[(?<time>\d{4}/\d{2}/\d{2}:\d{2}:\d{2}:\d{2} [+-]\d{4})\]`
// `%.3f` of the duration; LabKit copies that pass an int64 print `%!f(int64=21)`.
const DURATION = String.raw`(?:(?<duration>\d+(?:\.\d+)?)|%!f\((?:int64|float64)=(?<badDuration>[\d.]+)\))`
/** `registry.example.com 10.0.0.7 - - [2020/09/01:10:11:12 +0000] "GET /v2/ HTTP/1.1" 401 87 "" "docker/…" 0.021` */
const LABKIT_COMBINED = new RegExp(String.raw`^${HOST} ${CLIENT} - - ${LABKIT_TIME} ${REQUEST_TO_AGENT} ${DURATION} *$`)

/** Whether `text` looks like an Apache-combined access line (cheap: checks only the `- - [`/`- user [` shape). */
export function looksLikeCombined(text: string): boolean {
  const bracket = text.indexOf(' [')
  return bracket > 0 && bracket < 300 && text.indexOf('] "', bracket) !== -1
}

/** `Go` unquote of a regex group, keeping the raw text when it holds an escape Go would not write. */
function unquote(text: string | undefined): string {
  const raw = text ?? ''
  return decodeGoEscapes(raw) ?? raw
}

/** `GET /v2/ HTTP/1.1` → method, URI, protocol (the URI never holds a space: it is the raw request target). */
function addRequestLine(event: ParsedFields<RegistryEvent>, request: string): void {
  const first = request.indexOf(' ')
  const last = request.lastIndexOf(' ')
  if (first === -1) return
  event.method = request.slice(0, first)
  const uri = last > first ? request.slice(first + 1, last) : request.slice(first + 1)
  if (last > first) event.protocol = request.slice(last + 1)
  if (uri !== '') setUri(event, uri)
}

function accessEvent(groups: Record<string, string | undefined>, format: string, time: number | undefined) {
  const request = unquote(groups['request'])
  const event: ParsedFields<RegistryEvent> = {
    source: 'registry', message: request, format, access: true, fields: createFieldMap(),
  }
  if (time !== undefined) event.time = time
  addRequestLine(event, request)
  const status = parseStatus(groups['status'])
  if (status !== undefined) event.status = status
  const bytes = parseDigits(groups['bytes'])
  if (bytes !== undefined) event.bytes = bytes
  const referer = unquote(groups['referer'])
  if (referer !== '' && referer !== '-') event.referer = referer
  const agent = unquote(groups['agent'])
  if (agent !== '' && agent !== '-') event.userAgent = agent
  const client = groups['client'] ?? ''
  if (client !== '' && client !== '-') event.clientAddress = stripPort(client)
  return event
}

/**
 * Whether `parseGorillaAccess` / `parseLabkitCombinedAccess` would return an event, without building it:
 * `sniff` asks on every combined line of a file, and building the event there (URI, registry path, agent)
 * was most of the sniff's cost in a profile.
 */
export function isGorillaAccess(text: string): boolean {
  const groups = GORILLA.exec(text)?.groups
  return groups !== undefined && parseCommonLogTime(groups['time'] ?? '') !== undefined
}

export function isLabkitCombinedAccess(text: string): boolean {
  const stamp = LABKIT_COMBINED.exec(text)?.groups?.['time']
  return stamp !== undefined && labkitTime(stamp) !== undefined
}

/** `2020/09/01:10:11:12 +0000` → `2020-09-01T10:11:12+0000` → epoch ms. */
function labkitTime(stamp: string): number | undefined {
  return parseIsoTime(`${stamp.slice(0, 4)}-${stamp.slice(5, 7)}-${stamp.slice(8, 10)}T${stamp.slice(11, 19)}${stamp.slice(20)}`)
}

/** Parses a gorilla combined line (the request's start time, not its completion, is logged). */
export function parseGorillaAccess(text: string): ParsedFields<RegistryEvent> | Unparsed {
  const groups = GORILLA.exec(text)?.groups
  if (groups === undefined) return { unparsed: 'no-match' }
  const time = parseCommonLogTime(groups['time'] ?? '')
  if (time === undefined) return { unparsed: 'bad-timestamp' }
  const event = accessEvent(groups, 'gorilla-combined', time)
  const user = groups['user'] ?? '-'
  if (user !== '-') event.remoteUser = user
  return event
}

/** Parses a LabKit combined line: Host header first, `YYYY/MM/DD:` dates, duration (read as milliseconds) last. */
export function parseLabkitCombinedAccess(text: string): ParsedFields<RegistryEvent> | Unparsed {
  const groups = LABKIT_COMBINED.exec(text)?.groups
  if (groups === undefined) return { unparsed: 'no-match' }
  const time = labkitTime(groups['time'] ?? '')
  if (time === undefined) return { unparsed: 'bad-timestamp' }
  const event = accessEvent(groups, 'labkit-combined', time)
  const host = groups['host'] ?? ''
  if (host !== '' && host !== '-') event.host = host
  const duration = Number(groups['duration'] ?? groups['badDuration'])
  if (Number.isFinite(duration)) event.durationMs = duration
  return event
}
