import { describe, expect, test } from 'vitest'
import type { SourceParser } from './define-source.js'
import { detectSource, detectSourceByContent, detectSourceByPath, rankSources, safeSniff } from './detect-source.js'
import { sources } from './sources/index.js'

describe('detectSourceByPath', () => {
  test.each([
    { path: '/var/log/gitlab/registry/current', source: 'registry' },
    { path: '/var/log/gitlab/registry/@400000005f8eaf6f1a80ef5c.s', source: 'registry' },
    { path: '/var/log/gitlab/registry/@400000005f8eaf6f1a80ef5c.u', source: 'registry' },
    { path: 'C:\\support\\var\\log\\gitlab\\registry\\current', source: 'registry' },
    { path: '/var/log/gitlab/nginx/gitlab_registry_access.log', source: 'nginx-access' },
    { path: '/var/log/gitlab/nginx/gitlab_registry_access.log.1', source: 'nginx-access' },
    { path: '/var/log/gitlab/nginx/gitlab_registry_access.log.2.gz', source: 'nginx-access' },
    { path: '/var/log/gitlab/nginx/gitlab_access.log', source: 'nginx-access' },
    { path: 'gitlab_access.log-20240502.gz', source: 'nginx-access' },
    { path: '/var/log/gitlab/nginx/gitlab_registry_error.log', source: 'nginx-error' },
    { path: '/var/log/gitlab/nginx/gitlab_error.log.1', source: 'nginx-error' },
    { path: '/var/log/gitlab/nginx/current', source: 'nginx-error' },
    { path: '/var/log/gitlab/gitlab-rails/production.log', source: 'rails' },
    { path: '/var/log/gitlab/gitlab-rails/production_json.log.3.gz', source: 'rails' },
    { path: 'api_json.log', source: 'rails' },
    { path: 'exceptions_json.log', source: 'rails' },
    { path: 'application_json.log', source: 'rails' },
    { path: '/var/log/gitlab/sidekiq/current', source: 'rails' },
  ] as const)('$path → $source', ({ path, source }) => {
    expect(detectSourceByPath(path)).toBe(source)
  })

  test.each(['-', 'notes.txt', '/tmp/x', ''])('%j names no source', (path) => {
    expect(detectSourceByPath(path)).toBeUndefined()
  })
})

describe('detectSource', () => {
  test('the file name wins over the content', () => {
    const nginxLine = '10.0.0.1 - - [02/May/2024:10:15:01 +0000] "GET /v2/ HTTP/1.1" 401 87 "" "docker/24.0.7" -'
    expect(detectSource({ path: '/var/log/gitlab/registry/current', sample: [nginxLine] })).toBe('registry')
  })

  test('nothing to go on → undefined', () => {
    expect(detectSource({})).toBeUndefined()
    expect(detectSource({ path: '-', sample: ['', '   ', 'hello'] })).toBeUndefined()
  })

  // Each source's own examples, wrappers included, are detected as that source by content alone.
  describe.each(sources.filter((source) => source.examples.length > 0))('$id examples', (source) => {
    test('are detected by content', () => {
      const sample = source.examples.flatMap((example) => example.lines)
      expect(detectSource({ sample })).toBe(source.id)
    })
  })
})

describe('detectSourceByContent', () => {
  const fake = (id: SourceParser['id'], sniff: (text: string) => number): SourceParser => ({
    id, description: '', fileNames: [], sniff, parse: () => ({ unparsed: 'no-match' }), examples: [],
  })

  test('reads at most 20 non-empty lines', () => {
    const registryLine = 'time="2019-01-02T22:46:08Z" level=info msg="response completed"'
    const nginxLine = '2024/05/02 10:11:12 [error] 1234#0: *5 connect() failed (111: Connection refused)'
    const texts = ['', ...Array<string>(20).fill(nginxLine), ...Array<string>(40).fill(registryLine)]
    expect(detectSourceByContent(texts)).toBe('nginx-error')
  })

  test('safeSniff clamps, and turns a throwing or NaN sniff into 0', () => {
    expect(safeSniff(fake('proxy', () => 7), 'x')).toBe(1)
    expect(safeSniff(fake('proxy', () => -1), 'x')).toBe(0)
    expect(safeSniff(fake('proxy', () => Number.NaN), 'x')).toBe(0)
    expect(
      safeSniff(
        fake('proxy', () => {
          throw new Error('bug')
        }),
        'x',
      ),
    ).toBe(0)
  })

  test('rankSources leaves out the excluded source and those that score 0', () => {
    const ranked = rankSources('garbage that no source claims')
    expect(ranked).toEqual([])
    const line = '2024/05/02 10:11:12 [error] 1234#0: *5 connect() failed (111: Connection refused)'
    expect(rankSources(line)[0]?.id).toBe('nginx-error')
    expect(rankSources(line, 'nginx-error').map((source) => source.id)).not.toContain('nginx-error')
  })
})
