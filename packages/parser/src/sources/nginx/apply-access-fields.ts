// Turns the values an access line carried (by NGINX variable name) into the typed `NginxAccessEvent` fields.
// Text and JSON layouts both end here, so `$request_time` means `durationMs` whichever layout logged it.
import type { ParsedFields } from '../../define-source.js'
import { assignRequest } from '../../fields/parse-request-line.js'
import type { NginxAccessEvent } from '../../log-event.js'
import { decodeNginxEscapes } from './decode-nginx-escapes.js'
import { parseDigits } from '../../fields/parse-digits.js'
import { parseSecondsToMs } from './parse-seconds.js'

/** The core values of an access line, as logged (escapes still in place except in `request`). */
export interface AccessParts {
  remoteAddr?: string | undefined
  remoteUser?: string | undefined
  /** The request line, escapes already decoded. */
  request: string
  status?: string | undefined
  bytes?: string | undefined
  referer?: string | undefined
  userAgent?: string | undefined
  /**
   * The caller knows `event.fields` holds no variable but (maybe) `gzip_ratio`, as on every plain combined
   * and Omnibus line: the dozen lookups for X-Forwarded-For, host, upstream… would all miss, and they were
   * the largest self time of this function in a profile.
   */
  onlyGzipRatio?: boolean
}

/** A fresh event: `message` is the request line as logged, so rules can match TLS garbage such as `\x16\x03`. */
export function createAccessEvent(
  format: string,
  message: string,
  fields: Record<string, string>,
): ParsedFields<NginxAccessEvent> {
  return { source: 'nginx-access', format, message, fields }
}

const GZIP = /^\d{1,4}(?:\.\d{1,6})?$/

/** `-` and the empty string are how NGINX writes "no value". */
export function present(value: string | undefined): string | undefined {
  return value === undefined || value === '' || value === '-' ? undefined : value
}

/** The last status of a retried upstream list (`502, 200` → 200): the one the client got from upstream. */
function lastStatus(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const last = text.slice(Math.max(text.lastIndexOf(','), text.lastIndexOf(':')) + 1).trim()
  return parseDigits(last)
}

/** Fills the HTTP fields of `event` from `parts` and from the NGINX variables kept in `event.fields`. */
export function applyAccessFields(event: ParsedFields<NginxAccessEvent>, parts: AccessParts): void {
  const { fields } = event
  assignRequest(event, parts.request)
  const status = parseDigits(parts.status)
  if (status !== undefined) event.status = status
  const bytes = parseDigits(parts.bytes)
  if (bytes !== undefined) event.bytes = bytes
  const referer = present(parts.referer)
  if (referer !== undefined) event.referer = decodeNginxEscapes(referer)
  const userAgent = present(parts.userAgent)
  if (userAgent !== undefined) event.userAgent = decodeNginxEscapes(userAgent)
  const remoteUser = present(parts.remoteUser)
  if (remoteUser !== undefined) event.remoteUser = decodeNginxEscapes(remoteUser)

  if (parts.onlyGzipRatio === true) {
    const client = present(parts.remoteAddr)
    if (client !== undefined) event.clientAddress = client
    addGzipRatio(event, fields.gzip_ratio)
    return
  }

  // The original client, not the last proxy: ingress's real-IP, then X-Forwarded-For's first hop.
  const forwarded = present(fields.http_x_forwarded_for ?? fields.x_forwarded_for)?.split(',')[0]?.trim()
  const remoteAddr = present(parts.remoteAddr)
  const client = present(fields.the_real_ip) ?? present(forwarded) ?? remoteAddr
  if (client !== undefined) event.clientAddress = client
  if (remoteAddr !== undefined && remoteAddr !== client) fields.remote_addr ??= remoteAddr

  const host = present(fields.host) ?? present(fields.http_host) ?? present(fields.server_name)
  if (host !== undefined) event.host = host
  const durationMs = parseSecondsToMs(fields.request_time)
  if (durationMs !== undefined) event.durationMs = durationMs
  addGzipRatio(event, fields.gzip_ratio)
  const upstream = present(fields.upstream_addr)
  if (upstream !== undefined) event.upstream = upstream
  const upstreamStatus = lastStatus(present(fields.upstream_status))
  if (upstreamStatus !== undefined) event.upstreamStatus = upstreamStatus
  const requestId = present(fields.req_id) ?? present(fields.request_id)
  if (requestId !== undefined) event.requestId = requestId
}

function addGzipRatio(event: ParsedFields<NginxAccessEvent>, text: string | undefined): void {
  const gzip = present(text)
  if (gzip !== undefined && GZIP.test(gzip)) event.gzipRatio = Number(gzip)
}
