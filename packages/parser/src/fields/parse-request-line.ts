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
 * Splits a request line into method, target and protocol. Lines that are not HTTP (TLS handshakes logged as
 * `\x16\x03\x01…`, `-`, an empty `""`) give `{}`; a line without protocol (HTTP/0.9, cut) gives method and uri.
 * The target is split at the first and last space, so a target holding a raw space stays whole.
 */
export function parseRequestLine(line: string): RequestLineFields {
  const first = line.indexOf(' ')
  if (first <= 0) return {}
  const method = line.slice(0, first)
  if (!METHOD.test(method)) return {}
  const last = line.lastIndexOf(' ')
  const tail = line.slice(last + 1)
  if (last > first && PROTOCOL.test(tail)) {
    const uri = line.slice(first + 1, last)
    return uri === '' ? { method, protocol: tail } : { method, uri, protocol: tail }
  }
  const uri = line.slice(first + 1)
  return uri === '' ? { method } : { method, uri }
}

/**
 * Reads `uri`, `path`, `host` (absolute-form only) and the registry route fields from a request target.
 * `uri` keeps the target as logged; `path` is the path alone (without scheme, authority and query).
 */
export function parseRequestTarget(target: string): RequestTargetFields {
  return assignRequestTarget({}, target)
}

/** Writes what `parseRequestTarget(target)` returns onto `fields`, in the same key order. */
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

/** `parseRequestLine` followed by `parseRequestTarget` on its target: every field a request line yields. */
export function parseRequest(line: string): RequestLineFields & RequestTargetFields {
  return assignRequest({}, line)
}

/**
 * Writes what `parseRequest(line)` returns onto `target` (method, protocol, then the target's fields), as
 * `Object.assign(target, parseRequest(line))` would: that form built three objects and two spreads per line,
 * the largest self time of a profile of the NGINX access parser.
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
