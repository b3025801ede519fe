// Derives the registry route and its parts from a request path, for every source that logs URIs
// (registry access lines, NGINX, proxies, Rails). Routes: distribution's v2 API
// (https://distribution.github.io/distribution/spec/api/) plus GitLab's additions and the object-storage
// layout the registry redirects to (docker/registry/v2/blobs/sha256/<2 hex>/<hex>/data).
import type { HttpFields } from '../log-event.js'

export type RegistryPathFields = Pick<HttpFields, 'route' | 'repository' | 'digest' | 'reference' | 'uploadUuid'>

// A repository name is one or more path components; anchoring on the fixed keywords that follow it keeps
// every pattern linear (no nested quantifiers), whatever the name holds.
const MANIFEST = /^\/v2\/(.+)\/manifests\/([^/]*)$/
const BLOB_UPLOAD = /^\/v2\/(.+)\/blobs\/uploads\/?([^/]*)$/
const BLOB = /^\/v2\/(.+)\/blobs\/([^/]+)$/
const TAGS_LIST = /^\/v2\/(.+)\/tags\/list$/
const TAG_REFERENCE = /^\/v2\/(.+)\/tags\/reference\/([^/]*)$/
// Object-storage layout under any bucket prefix / rootdirectory. The digest part is optional: captures and
// docs show the path with placeholders (`…/sha256/dd/(UUID)/data(QUERYSTRING)`), still a storage hop.
const STORAGE_ROOT = /\/docker\/registry\/v[0-9a-z]{1,3}\/blobs\//
const STORAGE_BLOB = /\/docker\/registry\/v[0-9a-z]{1,3}\/blobs\/([a-z0-9]+)\/[0-9a-f]{2}\/([0-9a-f]+)\/data$/
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/
const QUERY_DIGEST = /(?:^|[?&])digest=([a-z0-9]+)(?::|%3A|%3a)([0-9a-fA-F]+)/

/** Splits `uri` at `?`: the path and the raw query (without `?`), neither decoded. */
export function splitUri(uri: string): { path: string; query: string | undefined } {
  const q = uri.indexOf('?')
  return q === -1 ? { path: uri, query: undefined } : { path: uri.slice(0, q), query: uri.slice(q + 1) }
}

/**
 * Reads route, repository, digest, reference and upload UUID from a request URI (path + optional query;
 * a full URL is accepted too). Never throws; returns `{ route: 'other' }` for paths it does not know.
 */
export function parseRegistryPath(uri: string): RegistryPathFields {
  return assignRegistryPath({}, uri)
}

/**
 * Writes what `parseRegistryPath(uri)` returns straight onto `target`, in the same key order, and returns it:
 * `Object.assign(event, parseRegistryPath(uri))` allocated a result object and went through a megamorphic
 * assign on every access line, which a parse profile showed among the top costs of the NGINX parser.
 */
export function assignRegistryPath<T extends RegistryPathFields>(target: T, uri: string): T {
  let location = uri
  if (!location.startsWith('/')) {
    // Full URL (proxy captures, error-log upstreams): drop scheme and authority.
    const scheme = location.indexOf('://')
    const slash = scheme === -1 ? -1 : location.indexOf('/', scheme + 3)
    location = slash === -1 ? '/' : location.slice(slash)
  }
  const q = location.indexOf('?')
  const path = q === -1 ? location : location.slice(0, q)
  if (path.startsWith('/v2/')) return assignV2Path(target, path, q === -1 ? undefined : location.slice(q + 1))
  if (path === '/v2') {
    target.route = 'base'
  } else if (STORAGE_ROOT.test(path)) {
    target.route = 'storage'
    const storage = STORAGE_BLOB.exec(path)
    if (storage !== null) target.digest = `${storage[1]}:${storage[2]}`
  // Only `/debug/…`: a bare `/metrics` is every Prometheus exporter's path (an ingress log carries them all).
  } else if (path.startsWith('/debug/') || path === '/debug') target.route = 'debug'
  else if (path === '/jwt/auth') target.route = 'jwt-auth'
  else if (path.startsWith('/gitlab/v1/')) target.route = 'gitlab-api'
  else target.route = 'other'
  return target
}

// `.` in the route patterns stops at line terminators; a name holding one falls back to the patterns.
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/

/**
 * The v2 routes. The patterns (`^/v2/(.+)/manifests/([^/]*)$`, …) anchor on a keyword right before the
 * last `/`, so the common paths are decided with `lastIndexOf` and `startsWith`: five regex runs over every
 * URI were a visible share of each access parser's profile. Each check below is what its pattern accepts.
 */
function assignV2Path<T extends RegistryPathFields>(target: T, path: string, query: string | undefined): T {
  if (path === '/v2/') {
    target.route = 'base'
    return target
  }
  if (path === '/v2/_catalog') {
    target.route = 'catalog'
    return target
  }
  if (LINE_TERMINATOR.test(path)) return assignV2PathByPattern(target, path, query)
  const last = path.lastIndexOf('/')
  // `/v2/<name>/manifests/<ref>`: `<ref>` holds no `/`, so `/manifests` ends at the last slash.
  if (last - 10 > 4 && path.startsWith('/manifests', last - 10)) {
    const reference = path.slice(last + 1)
    target.route = 'manifest'
    target.repository = path.slice(4, last - 10)
    target.reference = reference
    if (DIGEST.test(reference)) target.digest = reference
    return target
  }
  // `/v2/<name>/blobs/uploads/?<uuid>`: the optional `/` is the last slash, or there is none after `uploads`.
  const uploads = last - 14 > 4 && path.startsWith('/blobs/uploads', last - 14)
    ? last - 14
    : last - 6 > 4 && path.startsWith('/blobs/uploads', last - 6) ? last - 6 : -1
  if (uploads !== -1) {
    target.route = 'blob-upload'
    target.repository = path.slice(4, uploads)
    const uuid = path.slice(uploads === last - 14 ? last + 1 : last + 8)
    if (uuid !== '') target.uploadUuid = uuid
    const digest = query === undefined ? null : QUERY_DIGEST.exec(query)
    if (digest !== null) target.digest = `${digest[1]}:${(digest[2] ?? '').toLowerCase()}`
    return target
  }
  if (last - 6 > 4 && last + 1 < path.length && path.startsWith('/blobs', last - 6)) {
    target.route = 'blob'
    target.repository = path.slice(4, last - 6)
    target.digest = path.slice(last + 1)
    return target
  }
  if (last - 15 > 4 && path.startsWith('/tags/reference', last - 15)) {
    target.route = 'tag-reference'
    target.repository = path.slice(4, last - 15)
    target.reference = path.slice(last + 1)
    return target
  }
  if (last - 5 > 4 && path.endsWith('/tags/list') && last === path.length - 5) {
    target.route = 'tags-list'
    target.repository = path.slice(4, last - 5)
    return target
  }
  target.route = 'other-v2'
  return target
}

/** The same routes by their patterns, for the rare path holding a line terminator. */
function assignV2PathByPattern<T extends RegistryPathFields>(target: T, path: string, query: string | undefined): T {
  let m = MANIFEST.exec(path)
  if (m !== null) {
    const reference = m[2] ?? ''
    target.route = 'manifest'
    target.repository = m[1] ?? ''
    target.reference = reference
    if (DIGEST.test(reference)) target.digest = reference
    return target
  }
  m = BLOB_UPLOAD.exec(path)
  if (m !== null) {
    target.route = 'blob-upload'
    target.repository = m[1] ?? ''
    if (m[2] !== undefined && m[2] !== '') target.uploadUuid = m[2]
    const digest = query === undefined ? null : QUERY_DIGEST.exec(query)
    if (digest !== null) target.digest = `${digest[1]}:${(digest[2] ?? '').toLowerCase()}`
    return target
  }
  m = BLOB.exec(path)
  if (m !== null) {
    target.route = 'blob'
    target.repository = m[1] ?? ''
    target.digest = m[2] ?? ''
    return target
  }
  m = TAG_REFERENCE.exec(path)
  if (m !== null) {
    target.route = 'tag-reference'
    target.repository = m[1] ?? ''
    target.reference = m[2] ?? ''
    return target
  }
  m = TAGS_LIST.exec(path)
  if (m !== null) {
    target.route = 'tags-list'
    target.repository = m[1] ?? ''
    return target
  }
  target.route = 'other-v2'
  return target
}
