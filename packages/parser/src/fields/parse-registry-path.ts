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
  let target = uri
  if (!target.startsWith('/')) {
    // Full URL (proxy captures, error-log upstreams): drop scheme and authority.
    const scheme = target.indexOf('://')
    const slash = scheme === -1 ? -1 : target.indexOf('/', scheme + 3)
    target = slash === -1 ? '/' : target.slice(slash)
  }
  const { path, query } = splitUri(target)
  if (path.startsWith('/v2/')) return parseV2Path(path, query)
  if (path === '/v2') return { route: 'base' }
  if (STORAGE_ROOT.test(path)) {
    const storage = STORAGE_BLOB.exec(path)
    return storage === null ? { route: 'storage' } : { route: 'storage', digest: `${storage[1]}:${storage[2]}` }
  }
  if (path.startsWith('/debug/') || path === '/debug' || path === '/metrics') return { route: 'debug' }
  if (path === '/jwt/auth') return { route: 'jwt-auth' }
  if (path.startsWith('/gitlab/v1/')) return { route: 'gitlab-api' }
  return { route: 'other' }
}

function parseV2Path(path: string, query: string | undefined): RegistryPathFields {
  if (path === '/v2/') return { route: 'base' }
  if (path === '/v2/_catalog') return { route: 'catalog' }
  let m = MANIFEST.exec(path)
  if (m !== null) {
    const reference = m[2] ?? ''
    const fields: RegistryPathFields = { route: 'manifest', repository: m[1] ?? '', reference }
    if (DIGEST.test(reference)) fields.digest = reference
    return fields
  }
  m = BLOB_UPLOAD.exec(path)
  if (m !== null) {
    const fields: RegistryPathFields = { route: 'blob-upload', repository: m[1] ?? '' }
    if (m[2] !== undefined && m[2] !== '') fields.uploadUuid = m[2]
    const digest = query === undefined ? null : QUERY_DIGEST.exec(query)
    if (digest !== null) fields.digest = `${digest[1]}:${(digest[2] ?? '').toLowerCase()}`
    return fields
  }
  m = BLOB.exec(path)
  if (m !== null) return { route: 'blob', repository: m[1] ?? '', digest: m[2] ?? '' }
  m = TAG_REFERENCE.exec(path)
  if (m !== null) return { route: 'tag-reference', repository: m[1] ?? '', reference: m[2] ?? '' }
  m = TAGS_LIST.exec(path)
  if (m !== null) return { route: 'tags-list', repository: m[1] ?? '' }
  return { route: 'other-v2' }
}
