// JSON access-log layouts (`log_format … escape=json '{"time_local":"$time_local",…}'`, Omnibus 18.9+
// `nginx['log_format_escape'] = 'json'`). Every value is a string (`"status": "200"`), a missing variable is "".
// Key names vary between the snippets people copy, so each field is looked up under its usual spellings
// (ingress-nginx's documented `log-format-upstream` example uses `method`, `path`, `request_query`, `request_proto`).
import type { ParsedFields } from '../../define-source.js'
import { parseCommonLogTime, parseIsoTime } from '../../fields/parse-time.js'
import type { NginxAccessEvent } from '../../log-event.js'
import type { Unparsed } from '../../unparsed-line.js'
import { applyAccessFields, createAccessEvent, present } from './apply-access-fields.js'

// Time keys: ISO first (it carries a zone), then `$time_local`, then the names log shippers use.
const ISO_TIME_KEYS = ['time_iso8601', '@timestamp', 'timestamp', 'time']
const LOCAL_TIME_KEYS = ['time_local', 'time']

/** Parses a JSON object line into a loose record; `\xHH` (a JSON format left at `escape=default`) is repaired. */
function parseObject(text: string): Record<string, unknown> | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    if (!text.includes('\\x')) return undefined
    try {
      value = JSON.parse(text.replace(/\\x([0-9A-Fa-f]{2})/g, '\\u00$1'))
    } catch {
      return undefined
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

/** Values are strings in NGINX's JSON; numbers and booleans from other writers are stringified, objects re-serialised. */
function stringify(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return value === null || value === undefined ? '' : JSON.stringify(value)
}

/** `$request_uri`, `$uri`, or ingress-nginx's documented `path` + `request_query` (`$args`, `-` when empty). */
function targetOf(fields: Record<string, string>): string | undefined {
  const target = fields.request_uri ?? fields.uri
  if (target !== undefined) return target
  const path = present(fields.path)
  if (path === undefined) return undefined
  const query = present(fields.request_query ?? fields.args)
  return query === undefined ? path : `${path}?${query}`
}

/** The client an `X-Forwarded-For` list names first (when `remote_addr` is empty, as behind the PROXY protocol). */
function firstForwarded(list: string | undefined): string | undefined {
  return present(list?.split(',')[0]?.trim())
}

function readTime(fields: Record<string, string>): number | undefined | 'bad' {
  let seen = false
  for (const key of ISO_TIME_KEYS) {
    const value = fields[key]
    if (value === undefined || value === '') continue
    seen = true
    const time = parseIsoTime(value)
    if (time !== undefined) return time
  }
  for (const key of LOCAL_TIME_KEYS) {
    const value = fields[key]
    if (value === undefined || value === '') continue
    seen = true
    const time = parseCommonLogTime(value)
    if (time !== undefined) return time
  }
  return seen ? 'bad' : undefined
}

/** Parses one JSON access line. `bad-json` for broken JSON, `no-match` for JSON that is not an access line. */
export function parseAccessJson(text: string): ParsedFields<NginxAccessEvent> | Unparsed {
  const object = parseObject(text)
  if (object === undefined) return { unparsed: 'bad-json' }
  // A null-prototype map: a `"__proto__"` key from the line becomes a plain entry, not a prototype.
  const fields = Object.create(null) as Record<string, string>
  for (const key of Object.keys(object)) fields[key] = stringify(object[key])
  if (fields.status === undefined && fields.request === undefined && fields.request_uri === undefined) {
    return { unparsed: 'no-match' }
  }
  const time = readTime(fields)
  if (time === 'bad') return { unparsed: 'bad-timestamp' }
  const composed = [fields.request_method ?? fields.method, targetOf(fields), fields.server_protocol ?? fields.request_proto]
    .filter((part) => part !== undefined && part !== '')
    .join(' ')
  const request = fields.request !== undefined && fields.request !== '' ? fields.request : composed
  const event = createAccessEvent('json', request, fields)
  if (time !== undefined) event.time = time
  applyAccessFields(event, {
    remoteAddr: present(fields.remote_addr) ?? firstForwarded(fields['x-forward-for'] ?? fields.x_forward_for ?? fields.http_x_forwarded_for),
    remoteUser: fields.remote_user,
    request,
    status: fields.status?.trim(),
    bytes: fields.body_bytes_sent ?? fields.bytes_sent,
    referer: fields.http_referrer ?? fields.http_referer,
    userAgent: fields.http_user_agent,
  })
  return event
}
