// GitLab Rails' JSON logs, one object per line: production_json (Lograge), api_json (Grape), exceptions_json
// (Gitlab::ErrorTracking), application_json and Sidekiq JSON. Keys: shared/spec/formats-nginx-rails-docker.md §2.2–2.5.
import type { ParsedFields } from '../../define-source.js'
import { adoptJsonFields } from '../../fields/adopt-json-fields.js'
import { assignRegistryPath } from '../../fields/parse-registry-path.js'
import { parseIsoTime } from '../../fields/parse-time.js'
import { isRefusedKey } from '../../fields/refused-keys.js'
import type { LogLevel, RailsEvent } from '../../log-event.js'
import type { Unparsed } from '../../unparsed-line.js'
import { splitClassAndMessage } from './parse-exception-block.js'

type Parsed = ParsedFields<RailsEvent>
type JsonObject = Record<string, unknown>

const SEVERITIES = new Map<string, LogLevel>([
  ['DEBUG', 'debug'], ['INFO', 'info'], ['WARN', 'warning'], ['WARNING', 'warning'], ['ERROR', 'error'], ['FATAL', 'fatal'],
])

const CALLER_ID = /^(?<controller>[A-Z][\w:]*)#(?<action>\w+)$/

/** Which of GitLab's JSON logs an object comes from, by the keys only that log writes; undefined: not Rails. */
function detectFormat(object: JsonObject): string | undefined {
  if ('jid' in object || 'job_status' in object) return 'sidekiq-json'
  if ('controller' in object) return 'production-json'
  if ('route' in object && 'method' in object) return 'api-json'
  if ('exception.class' in object && !('method' in object)) return 'exceptions-json'
  if ('severity' in object) return 'method' in object && 'path' in object ? 'api-json' : 'application-json'
  if ('meta.caller_id' in object) return 'application-json'
  // graphql_json.log (GitLab docs, logs page): one line per GraphQL query, with its complexity.
  if ('query_string' in object && 'complexity' in object) return 'graphql-json'
  return undefined
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

/** Every key flat, as a string (non-strings JSON-encoded), on an object without a prototype; refused keys dropped. */
function flatFields(object: JsonObject): Record<string, string> {
  return adoptJsonFields(object, (value) => JSON.stringify(value), (key) => !isRefusedKey(key)) ?? copyFlatFields(object, Object.keys(object))
}

function copyFlatFields(object: JsonObject, keys: readonly string[]): Record<string, string> {
  const fields = Object.create(null) as Record<string, string>
  for (const key of keys) {
    if (isRefusedKey(key)) continue
    const value = object[key]
    fields[key] = typeof value === 'string' ? value : JSON.stringify(value)
  }
  return fields
}

/** Stands in for `fields` until the object has been read (flatFields may rewrite it), keeping the key's place. */
const FIELDS_PENDING: Readonly<Record<string, string>> = Object.freeze(Object.create(null) as Record<string, string>)

/** epoch ms from an ISO string or an epoch number in seconds (Sidekiq `enqueued_at` style) or ms. */
function timeOf(value: unknown): number | undefined {
  if (typeof value === 'string') return parseIsoTime(value)
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? Math.round(value * 1000) : value
  return undefined
}

function secondsToMs(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e3
}

/** `duration_s`, else the old `duration`: milliseconds in Lograge/Grape logs (≤ 12.x), seconds in Sidekiq's. */
function durationMsOf(object: JsonObject, format: string): number | undefined {
  const seconds = object.duration_s
  if (typeof seconds === 'number' && Number.isFinite(seconds)) return secondsToMs(seconds)
  const old = object.duration
  if (typeof old !== 'number' || !Number.isFinite(old)) return undefined
  return format === 'sidekiq-json' ? secondsToMs(old) : old
}

function statusOf(value: unknown): number | undefined {
  const status = typeof value === 'string' ? Number(value) : value
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 999 ? status : undefined
}

/** `remote_ip` may be an X-Forwarded-For list; the first entry is the client. */
function clientOf(object: JsonObject): string | undefined {
  const ip = stringOf(object.remote_ip) ?? stringOf(object['meta.remote_ip'])
  if (ip === undefined || ip === '') return undefined
  const comma = ip.indexOf(',')
  return comma === -1 ? ip : ip.slice(0, comma).trim()
}

function setHttpFields(event: Parsed, object: JsonObject): void {
  const method = stringOf(object.method)
  if (method !== undefined) event.method = method
  const path = stringOf(object.path)
  if (path !== undefined) {
    event.uri = path
    event.path = path
    assignRegistryPath(event, path)
  }
  const status = statusOf(object.status)
  if (status !== undefined) event.status = status
  const durationMs = durationMsOf(object, event.format)
  if (durationMs !== undefined) event.durationMs = durationMs
  const client = clientOf(object)
  if (client !== undefined) event.clientAddress = client
  const ua = stringOf(object.ua)
  if (ua !== undefined) event.userAgent = ua
  const correlationId = stringOf(object.correlation_id)
  if (correlationId !== undefined) event.correlationId = correlationId
  const host = stringOf(object.host)
  if (host !== undefined) event.host = host
}

function setControllerFields(event: Parsed, object: JsonObject): void {
  const controller = stringOf(object.controller)
  const action = stringOf(object.action)
  if (controller !== undefined) event.controller = controller
  if (action !== undefined) event.action = action
  if (controller !== undefined) return
  const caller = CALLER_ID.exec(stringOf(object['meta.caller_id']) ?? '')?.groups
  if (caller !== undefined) {
    event.controller = caller.controller ?? ''
    event.action = caller.action ?? ''
  }
}

function setExceptionFields(event: Parsed, object: JsonObject): void {
  let exceptionClass = stringOf(object['exception.class']) ?? stringOf(object.error_class)
  let exceptionMessage = stringOf(object['exception.message']) ?? stringOf(object.error_message)
  // Old `error` value (≤ 12.x): `Errno::EADDRNOTAVAIL: Failed to open …`.
  const oldError = splitClassAndMessage(stringOf(object.error) ?? '')
  if (oldError !== undefined) {
    exceptionClass ??= oldError.exceptionClass
    exceptionMessage ??= oldError.exceptionMessage
  }
  if (exceptionClass !== undefined) event.exceptionClass = exceptionClass
  if (exceptionMessage !== undefined) event.exceptionMessage = exceptionMessage
  const backtrace = object['exception.backtrace'] ?? object.error_backtrace
  if (Array.isArray(backtrace)) event.backtrace = backtrace.filter((frame): frame is string => typeof frame === 'string')
}

function messageOf(event: Parsed, object: JsonObject): string {
  const message = stringOf(object.message)
  if (message !== undefined) return message
  if (event.exceptionMessage !== undefined) return event.exceptionMessage
  if (event.method !== undefined && event.path !== undefined) {
    return event.status === undefined ? `${event.method} ${event.path}` : `${event.method} ${event.path} ${event.status}`
  }
  return ''
}

/**
 * Parses one JSON line of a GitLab Rails log. Returns `bad-json` for a line that starts like an object
 * but is not one, and `no-match` for valid JSON without any key that only GitLab Rails logs write
 * (registry JSON has `level`/`msg`, never `severity`/`controller`).
 */
export function parseRailsJson(text: string): Parsed | Unparsed {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { unparsed: 'bad-json' }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { unparsed: 'bad-json' }
  const object = value as JsonObject
  const format = detectFormat(object)
  if (format === undefined) return { unparsed: 'no-match' }
  const event: Parsed = { source: 'rails', message: '', format, fields: FIELDS_PENDING }
  const time = timeOf(object.time)
  if (time !== undefined) event.time = time
  const level = SEVERITIES.get(stringOf(object.severity)?.toUpperCase() ?? '')
  if (level !== undefined) event.level = level
  setHttpFields(event, object)
  setControllerFields(event, object)
  setExceptionFields(event, object)
  event.message = messageOf(event, object)
  event.fields = flatFields(object)
  return event
}
