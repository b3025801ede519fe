// The HTTP request line (`GET /v2/ HTTP/1.1`) as NGINX logs it in `$request` and the error log's `request:`,
// and the request target (origin-form `/v2/…` or absolute-form `https://host/v2/…`) it carries. Shared by the
// access, error and proxy parsers so the same request reads the same way whichever log it came from.
import type { HttpFields } from '../log-event.js'
import { assignRegistryPath, splitUri } from './parse-registry-path.js'

export type RequestLineFields = Pick<HttpFields, 'method' | 'uri' | 'protocol'>
export type RequestTargetFields = Pick<
  HttpFields,
  'uri' | 'path' | 'host' | 'route' | 'repository' | 'digest' | 'reference' | 'uploadUuid'
>

const METHOD = /^[A-Z][A-Z0-9_-]{0,31}$/
const PROTOCOL = /^HTTP\/\d{1,2}(?:\.\d{1,2})?$/
const ABSOLUTE = /^[a-z][a-z0-9+.-]{0,15}:\/\//i

/**
 * Writes `uri`, `path`, `host` (absolute-form only) and the registry route fields of a request target onto
 * `fields`. `uri` keeps the target as logged; `path` is the path alone (without scheme, authority and query).
 */
export function assignRequestTarget<T extends RequestTargetFields>(fields: T, target: string): T {
  fields.uri = target
  assignRegistryPath(fields, target)
  if (ABSOLUTE.test(target)) {
    const start = target.indexOf('://') + 3
    const slash = target.indexOf('/', start)
    const query = target.indexOf('?', start)
    const end = slash === -1 ? (query === -1 ? target.length : query) : query === -1 ? slash : Math.min(slash, query)
    // userinfo (`user:pass@host`) is not part of the host
    const authority = target.slice(start, end)
    const host = authority.slice(authority.lastIndexOf('@') + 1)
    if (host !== '') fields.host = host
    fields.path = slash === -1 || (query !== -1 && query < slash) ? '/' : splitUri(target.slice(slash)).path
  } else {
    const query = target.indexOf('?')
    fields.path = query === -1 ? target : target.slice(0, query)
  }
  return fields
}

/**
 * Writes a request line's method and protocol, then its target's fields (`assignRequestTarget`), onto `target`.
 * Lines that are not HTTP (TLS handshakes logged as `\x16\x03\x01…`, `-`, an empty `""`) write nothing; a line
 * without protocol (HTTP/0.9, cut) writes method and target. The target is split at the first and last space,
 * so a target holding a raw space stays whole. Fields are written in place: building an object per part and
 * merging them was the largest self time of a profile of the NGINX access parser.
 */
export function assignRequest<T extends RequestLineFields & RequestTargetFields>(target: T, line: string): T {
  const first = line.indexOf(' ')
  if (first <= 0) return target
  const method = line.slice(0, first)
  if (!METHOD.test(method)) return target
  target.method = method
  const last = line.lastIndexOf(' ')
  let uri: string
  if (last > first && PROTOCOL.test(line.slice(last + 1))) {
    target.protocol = line.slice(last + 1)
    uri = line.slice(first + 1, last)
  } else {
    uri = line.slice(first + 1)
  }
  if (uri !== '') assignRequestTarget(target, uri)
  return target
}
