// Maps the field names of every registry era (dotted A/B/E, underscored C/D, LabKit access) onto the typed
// RegistryEvent shape (shared/spec/formats-registry.md §1.3, §3.2, §7.4).
import type { ParsedFields } from '../../define-source.js'
import { assignRegistryPath, splitUri } from '../../fields/parse-registry-path.js'
import { parseDigits } from '../../fields/parse-digits.js'
import { parseIsoTime } from '../../fields/parse-time.js'
import type { LogLevel, RegistryEvent } from '../../log-event.js'
import type { Unparsed } from '../../unparsed-line.js'
import * as has from './field-presence.js'
import { ANY_FIELD } from './field-presence.js'
import { parseGoDuration } from './parse-go-duration.js'
import { isRefusedKey } from '../../fields/refused-keys.js'

/** A line's key/values under normalised names; created without a prototype so no key can reach one. */
export type FieldMap = Record<string, string>

export function createFieldMap(): FieldMap {
  return Object.create(null) as FieldMap
}

// Normalised names by logged key. The same few dozen keys repeat on every line, and rewriting them per line
// was the largest cost of a profile of the text path; the cap keeps hostile logs from growing the cache.
const NAME_CACHE = new Map<string, string>()
const NAME_CACHE_LIMIT = 4096
// Real keys and codes are short (`http.request.uri`, `BLOB_UPLOAD_INVALID`); longer text is not kept, so the
// caches stay small whatever the logs say.
const MAX_CACHED_TEXT = 64

function normaliseName(key: string): string {
  const cached = NAME_CACHE.get(key)
  if (cached !== undefined) return cached
  const name = key.includes('.') ? key.replaceAll('.', '_') : key
  if (key.length <= MAX_CACHED_TEXT && NAME_CACHE.size < NAME_CACHE_LIMIT) NAME_CACHE.set(key, name)
  return name
}


/** The name `key` is stored under (dots turned into underscores), or undefined for a refused key. */
export function fieldName(key: string): string | undefined {
  const name = normaliseName(key)
  return isRefusedKey(name) ? undefined : name
}

/** Adds `value` under `key` with dots turned into underscores (`http.request.uri` → `http_request_uri`). */
export function addField(fields: FieldMap, key: string, value: string): void {
  const name = normaliseName(key)
  if (!isRefusedKey(name)) fields[name] = value
}

/** A field map from the flat `[key, value, …]` pairs of the text tokenizer. */
export function fieldMapFromPairs(pairs: readonly string[]): FieldMap {
  const fields = createFieldMap()
  for (let i = 0; i + 1 < pairs.length; i += 2) addField(fields, pairs[i] ?? '', pairs[i + 1] ?? '')
  return fields
}

const LEVELS: Record<string, LogLevel> = {
  trace: 'trace', trac: 'trace', debug: 'debug', debu: 'debug', info: 'info', notice: 'notice',
  warning: 'warning', warn: 'warning', error: 'error', erro: 'error', err: 'error',
  fatal: 'fatal', fata: 'fatal', panic: 'panic', pani: 'panic',
}

/** `warning`, `WARN`, `ERRO`, … → the normalised level; `undefined` for anything else. */
export function normaliseLevel(text: string): LogLevel | undefined {
  return LEVELS[text.toLowerCase()]
}

// Error codes by logged text: a few dozen codes repeat, and the test, upper-casing and replace per line showed
// in the profile of error-heavy logs. Bounded like the name cache.
const ERROR_CODE_CACHE = new Map<string, string>()

/** `blob upload unknown` / `BLOB_UPLOAD_UNKNOWN` / `unknown` → the API form (`BLOB_UPLOAD_UNKNOWN`, `UNKNOWN`). */
export function normaliseErrorCode(text: string): string {
  const cached = ERROR_CODE_CACHE.get(text)
  if (cached !== undefined) return cached
  const code = text.trim()
  const normalised = /^[A-Za-z][A-Za-z_ ]*$/.test(code) ? code.toUpperCase().replaceAll(' ', '_') : code
  if (text.length <= MAX_CACHED_TEXT && ERROR_CODE_CACHE.size < NAME_CACHE_LIMIT) ERROR_CODE_CACHE.set(text, normalised)
  return normalised
}

const MAP_DATA = /^map\[data:([^]*)\]$/

/** Unwraps v2.9.1-gitlab's `map[data:…]` (text) and `{"data":…}` (JSON) error details. */
export function unwrapErrorDetail(text: string): string {
  const inMap = MAP_DATA.exec(text)
  if (inMap !== null) return inMap[1] ?? ''
  if (text.startsWith('{"data":')) {
    try {
      const data: unknown = (JSON.parse(text) as { data?: unknown }).data
      return typeof data === 'string' ? data : JSON.stringify(data) ?? text
    } catch {
      return text
    }
  }
  return text
}

/** `172.24.0.1:35512` → `172.24.0.1`, `[::1]:5000` → `::1`; bare IPv4/IPv6 unchanged. */
export function stripPort(address: string): string {
  if (address.startsWith('[')) {
    const close = address.indexOf(']')
    return close === -1 ? address : address.slice(1, close)
  }
  const colon = address.indexOf(':')
  // More than one colon and no brackets: a bare IPv6 address, which has no port.
  return colon !== -1 && address.indexOf(':', colon + 1) === -1 ? address.slice(0, colon) : address
}

/** A three-digit HTTP status, or undefined. */
export function parseStatus(text: string | undefined): number | undefined {
  return text !== undefined && text.length === 3 ? parseDigits(text) : undefined
}

function parseMilliseconds(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined
  const value = Number(text)
  return Number.isFinite(value) ? value : undefined
}

/** How a layout describes its line to `buildRegistryEvent`. */
export interface EventShape {
  format: string
  /** Overrides `msg` (access lines use the request line; TTY lines carry the message outside the fields). */
  message?: string
  /** Overrides the `level` field. */
  level?: LogLevel
}

/**
 * Builds the typed event from a line's normalised fields. Returns `bad-timestamp` when a `time` field is
 * present but unreadable. Era C/D error lines have no `err.message`; their `msg` is the API message, so it
 * fills `errorMessage` when a `code` is present. `present` (field-presence.ts) says which names the map may
 * hold; the lookups of the others are skipped.
 */
export function buildRegistryEvent(fields: FieldMap, shape: EventShape, present = ANY_FIELD): ParsedFields<RegistryEvent> | Unparsed {
  const msg = fields['msg']
  const access = msg === 'access' && (fields['status'] !== undefined || fields['uri'] !== undefined)
  const event: ParsedFields<RegistryEvent> = {
    source: 'registry',
    message: shape.message ?? msg ?? '',
    format: access ? `labkit-${shape.format === 'logrus-json' ? 'json' : 'text'}-access` : shape.format,
    access,
    fields,
  }
  const timeText = (present & has.TIME) === 0 ? undefined : fields['time']
  if (timeText !== undefined) {
    const time = parseIsoTime(timeText)
    if (time === undefined) return { unparsed: 'bad-timestamp' }
    event.time = time
  }
  const level = shape.level ?? ((present & has.LEVEL) === 0 ? undefined : normaliseLevel(fields['level'] ?? ''))
  if (level !== undefined) event.level = level
  addHttpFields(event, fields, present)
  addErrorFields(event, fields, msg, present)
  return event
}

function addHttpFields(event: ParsedFields<RegistryEvent>, fields: FieldMap, present: number): void {
  if ((present & has.METHOD) !== 0) {
    const method = fields['http_request_method'] ?? fields['method']
    if (method !== undefined && method !== '') event.method = method
  }
  if ((present & has.URI) !== 0) {
    const uri = fields['http_request_uri'] ?? fields['uri']
    if (uri !== undefined && uri !== '') setUri(event, uri)
  }
  if ((present & has.PROTOCOL) !== 0) {
    const protocol = fields['http_request_proto'] ?? fields['proto']
    if (protocol !== undefined && protocol !== '') event.protocol = protocol
  }
  if ((present & has.STATUS) !== 0) {
    const status = parseStatus(fields['http_response_status'] ?? fields['status'])
    if (status !== undefined) event.status = status
  }
  if ((present & has.BYTES) !== 0) {
    const bytes = parseDigits(fields['written_bytes'] ?? fields['http_response_written'])
    if (bytes !== undefined) event.bytes = bytes
  }
  if ((present & has.DURATION) !== 0) {
    const durationMs = fields['duration_ms'] !== undefined
      ? parseMilliseconds(fields['duration_ms'])
      : parseGoDuration(fields['http_response_duration'] ?? '')
    if (durationMs !== undefined) event.durationMs = durationMs
  }
  if ((present & has.USER_AGENT) !== 0) {
    const userAgent = fields['http_request_useragent'] ?? fields['user_agent']
    if (userAgent !== undefined && userAgent !== '') event.userAgent = userAgent
  }
  if ((present & has.REFERER) !== 0) {
    const referer = fields['http_request_referer'] ?? fields['referrer'] ?? fields['referer']
    if (referer !== undefined && referer !== '') event.referer = referer
  }
  if ((present & has.ADDRESS) !== 0) {
    const address = fields['remote_ip'] ?? fields['http_request_remoteaddr'] ?? fields['remote_addr']
    if (address !== undefined && address !== '') event.clientAddress = stripPort(address)
  }
  if ((present & has.HOST) !== 0) {
    const host = fields['http_request_host'] ?? fields['host']
    if (host !== undefined && host !== '') event.host = host
  }
  const correlationId = (present & has.CORRELATION_ID) === 0 ? undefined : fields['correlation_id']
  if (correlationId !== undefined && correlationId !== '') event.correlationId = correlationId
  const requestId = (present & has.REQUEST_ID) === 0 ? undefined : fields['http_request_id']
  if (requestId !== undefined && requestId !== '') event.requestId = requestId
  // The URI is the better witness; the mux vars fill in what it did not carry (app lines without a URI).
  const repository = (present & has.VARS_NAME) === 0 ? undefined : fields['vars_name']
  if (event.repository === undefined && repository !== undefined) event.repository = repository
  const digest = (present & has.VARS_DIGEST) === 0 ? undefined : fields['vars_digest']
  if (event.digest === undefined && digest !== undefined) event.digest = digest
  const reference = (present & has.VARS_REFERENCE) === 0 ? undefined : fields['vars_reference']
  if (event.reference === undefined && reference !== undefined) event.reference = reference
  const uploadUuid = (present & has.VARS_UUID) === 0 ? undefined : fields['vars_uuid']
  if (event.uploadUuid === undefined && uploadUuid !== undefined) event.uploadUuid = uploadUuid
}

/** Sets `uri`, `path` and the route fields `parseRegistryPath` derives from it. */
export function setUri(event: ParsedFields<RegistryEvent>, uri: string): void {
  event.uri = uri
  event.path = splitUri(uri).path
  assignRegistryPath(event, uri)
}

function addErrorFields(event: ParsedFields<RegistryEvent>, fields: FieldMap, msg: string | undefined, present: number): void {
  if ((present & (has.CODE | has.DETAIL | has.ERROR_MESSAGE | has.ERROR | has.AUTH_USER)) === 0) return
  const code = fields['err_code'] ?? fields['code']
  if (code !== undefined && code !== '') event.errorCode = normaliseErrorCode(code)
  const detail = fields['err_detail'] ?? fields['detail']
  if (detail !== undefined) event.errorDetail = unwrapErrorDetail(detail)
  const message = fields['err_message'] ?? (fields['code'] !== undefined ? msg : undefined)
  if (message !== undefined) event.errorMessage = message
  const error = fields['error']
  if (error !== undefined) event.error = error
  const authUser = fields['auth_user_name']
  if (authUser !== undefined && authUser !== '') event.authUser = authUser
}
