import fc from 'fast-check'
import { expect, test } from 'vitest'
import { assignRegistryPath, parseRegistryPath, type RegistryPathFields } from './parse-registry-path.js'

test.each([
  ['/v2/', { route: 'base' }],
  ['/v2', { route: 'base' }],
  ['/v2/_catalog?n=100', { route: 'catalog' }],
  ['/v2/group/app/manifests/latest', { route: 'manifest', repository: 'group/app', reference: 'latest' }],
  ['/v2/group/app/manifests/', { route: 'manifest', repository: 'group/app', reference: '' }],
  ['/v2/g/a/manifests/sha256:abcd', { route: 'manifest', repository: 'g/a', reference: 'sha256:abcd', digest: 'sha256:abcd' }],
  ['/v2/g/a/blobs/sha256:0123', { route: 'blob', repository: 'g/a', digest: 'sha256:0123' }],
  ['/v2/g/a/blobs/uploads/', { route: 'blob-upload', repository: 'g/a' }],
  ['/v2/g/a/blobs/uploads/?mount=sha256:1&from=x', { route: 'blob-upload', repository: 'g/a' }],
  [
    '/v2/g/a/blobs/uploads/8d2a-11?_state=abc&digest=sha256%3AAB12',
    { route: 'blob-upload', repository: 'g/a', uploadUuid: '8d2a-11', digest: 'sha256:ab12' },
  ],
  ['/v2/g/a/blobs/uploads/u1?digest=sha256:ff', { route: 'blob-upload', uploadUuid: 'u1', digest: 'sha256:ff' }],
  ['/v2/g/a/tags/list', { route: 'tags-list', repository: 'g/a' }],
  ['/v2/g/a/tags/reference/', { route: 'tag-reference', repository: 'g/a', reference: '' }],
  ['/v2/_g/a/nothing', { route: 'other-v2' }],
  ['/debug/pprof/heap', { route: 'debug' }],
  ['/metrics', { route: 'other' }],
  ['/jwt/auth?service=container_registry', { route: 'jwt-auth' }],
  ['/gitlab/v1/repositories/g/a/', { route: 'gitlab-api' }],
  ['/users/sign_in', { route: 'other' }],
  [
    'https://bucket.s3.amazonaws.com/docker/registry/v2/blobs/sha256/ab/ab12ef/data?X-Amz-Algorithm=AWS4',
    { route: 'storage', digest: 'sha256:ab12ef' },
  ],
  ['https://registry.example.com/v2/g/a/blobs/sha256:ee', { route: 'blob', repository: 'g/a', digest: 'sha256:ee' }],
])('%s', (uri, expected) => {
  expect(parseRegistryPath(uri)).toMatchObject(expected)
})

test('a repository named debug is a repository, not the debug server', () => {
  expect(parseRegistryPath('/v2/debug/manifests/latest')).toMatchObject({ route: 'manifest', repository: 'debug' })
})

test.each([
  ['https://s3.amazonaws.com/bucket/gitlab/docker/registry/v2/blobs/sha256/ab/ab12ef34/data', 'sha256:ab12ef34'],
  ['https://amazonaws.example.com/docker/registry/vs/blobs/sha256/dd/(UUID)/data(QUERYSTRING)', undefined],
])('storage hop under a prefix or with placeholders: %s', (url, digest) => {
  const fields = parseRegistryPath(url)
  expect(fields.route).toBe('storage')
  expect(fields.digest).toBe(digest)
})

// The v2 routes are decided with index arithmetic for speed; these are the patterns they must agree with.
function byPatterns(path: string, query: string | undefined): RegistryPathFields {
  if (path === '/v2/') return { route: 'base' }
  if (path === '/v2/_catalog') return { route: 'catalog' }
  let m = /^\/v2\/(.+)\/manifests\/([^/]*)$/.exec(path)
  if (m !== null) {
    const fields: RegistryPathFields = { route: 'manifest', repository: m[1] ?? '', reference: m[2] ?? '' }
    if (/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(m[2] ?? '')) fields.digest = m[2] ?? ''
    return fields
  }
  m = /^\/v2\/(.+)\/blobs\/uploads\/?([^/]*)$/.exec(path)
  if (m !== null) {
    const fields: RegistryPathFields = { route: 'blob-upload', repository: m[1] ?? '' }
    if (m[2] !== undefined && m[2] !== '') fields.uploadUuid = m[2]
    const digest = query === undefined ? null : /(?:^|[?&])digest=([a-z0-9]+)(?::|%3A|%3a)([0-9a-fA-F]+)/.exec(query)
    if (digest !== null) fields.digest = `${digest[1]}:${(digest[2] ?? '').toLowerCase()}`
    return fields
  }
  m = /^\/v2\/(.+)\/blobs\/([^/]+)$/.exec(path)
  if (m !== null) return { route: 'blob', repository: m[1] ?? '', digest: m[2] ?? '' }
  m = /^\/v2\/(.+)\/tags\/reference\/([^/]*)$/.exec(path)
  if (m !== null) return { route: 'tag-reference', repository: m[1] ?? '', reference: m[2] ?? '' }
  m = /^\/v2\/(.+)\/tags\/list$/.exec(path)
  if (m !== null) return { route: 'tags-list', repository: m[1] ?? '' }
  return { route: 'other-v2' }
}

test('v2 routes: the index-based reading agrees with the route patterns, key order included', () => {
  const word = fc.constantFrom('blobs', 'uploads', 'manifests', 'tags', 'list', 'reference', 'a', 'sha256:ab', 'x', '\n', '', '_catalog')
  const segment = fc.array(word, { maxLength: 2 }).map((words) => words.join(''))
  const query = fc.option(fc.constantFrom('digest=sha256:AB', 'a=1&digest=sha256%3Aff', 'n=1'), { nil: undefined })
  fc.assert(
    fc.property(fc.array(segment, { maxLength: 6 }), query, (segments, q) => {
      const path = `/v2/${segments.join('/')}`
      const uri = q === undefined ? path : `${path}?${q}`
      const expected = byPatterns(path, q)
      expect(JSON.stringify(parseRegistryPath(uri))).toBe(JSON.stringify(expected))
      expect(JSON.stringify(assignRegistryPath({ route: 'other' }, uri))).toBe(JSON.stringify(expected))
    }),
    { numRuns: 20000 },
  )
})
