import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { createBatchSplitter, type Batch } from './split-batches.js'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function split(text: string, chunkSizes: readonly number[], options = { targetBytes: 64, maxBytes: 256, lineCapBytes: 1000 }): Batch[] {
  const bytes = encoder.encode(text)
  const splitter = createBatchSplitter(options)
  const batches: Batch[] = []
  let at = 0
  for (let i = 0; at < bytes.length; i++) {
    const size = Math.max(1, chunkSizes[i % Math.max(1, chunkSizes.length)] ?? 7)
    batches.push(...splitter.push(bytes.slice(at, at + size)))
    at += size
  }
  batches.push(...splitter.end())
  return batches
}

const texts = (batches: readonly Batch[]): string[] => batches.map((batch) => decoder.decode(batch.bytes))

const RAILS_BLOCK = [
  'Started GET "/jwt/auth?service=container_registry" for 203.0.113.61 at 2024-05-02 10:11:12 +0000',
  'Processing by JwtController#auth as HTML',
  '  Parameters: {"service"=>"container_registry"}',
  'Completed 500 Internal Server Error in 38ms (Views: 0.4ms | ActiveRecord: 4.0ms)',
  '  ',
  'Errno::ENOENT (No such file or directory @ rb_sysopen - /var/opt/gitlab/gitlab-rails/etc/gitlab-registry.key):',
  '  ',
  "lib/json_web_token/rsa_token.rb:21:in `read'",
  "lib/json_web_token/rsa_token.rb:21:in `key_data'",
]
const ERA_B = [
  '2020-05-02_10:11:12.12345 time="2020-05-02T10:11:12Z" level=error msg="response completed with error" err.detail="s3aws: AccessDenied: Access Denied',
  '2020-05-02_10:11:12.12346 \tstatus code: 403, request id: 0A1B2C3D, host id: xyz" err.message="unknown error"',
]
const CRI = [
  `2024-05-02T10:11:12.123456789Z stdout P ${'x'.repeat(40)}`,
  `2024-05-02T10:11:12.123456790Z stdout F ${'y'.repeat(20)}`,
]
// containerd copies each stream apart: a line of stderr can land between the chunks of a stdout line.
const CRI_INTERLEAVED = [
  `2024-05-02T10:11:12.123456789Z stdout P ${'x'.repeat(40)}`,
  `2024-05-02T10:11:12.123456790Z stderr F ${'e'.repeat(20)}`,
  `2024-05-02T10:11:12.123456791Z stdout F ${'y'.repeat(20)}`,
]
// dockerd's json-file: an entry without `\n` is continued by the next entry of its stream, another stream between.
const JSON_FILE_INTERLEAVED = [
  JSON.stringify({ log: 'x'.repeat(40), stream: 'stdout', time: '2024-05-02T10:11:12.1Z' }),
  JSON.stringify({ log: `${'e'.repeat(20)}\n`, stream: 'stderr', time: '2024-05-02T10:11:12.2Z' }),
  JSON.stringify({ log: `${'y'.repeat(20)}\n`, stream: 'stdout', time: '2024-05-02T10:11:12.3Z' }),
]
// GitLab Runner ≥ 17 timestamped job log: the `+` header continues the line before it.
const RUNNER_CUT_LINE = [
  '2024-05-02T10:11:11.702345Z 01E Error response from daemon: Get "https://registry.example.com/v2/": x509: certificate signed',
  '2024-05-02T10:11:11.702399Z 01E+ by unknown authority',
]
// The Helm chart's gitlab-logger around a production.log exception block: one JSON line per text line.
// Spaced as gitlab-logger writes it (`"component": "gitlab","subcomponent":…`) and as other JSON writers do.
const logger = (message: string): string =>
  JSON.stringify({ component: 'gitlab', subcomponent: 'production', timestamp: '2024-01-19T14:12:25.213Z', pid: 7414, message }).replaceAll('":', '": ')
const GITLAB_LOGGER_BLOCK = [
  logger('Started GET "/jwt/auth" for 10.0.0.1 at 2024-01-19 14:12:25 +0000'),
  logger('Completed 500 Internal Server Error in 38ms'),
  logger('  '),
  logger('Errno::ENOENT (No such file or directory @ rb_sysopen - /srv/gitlab/config/registry.key):'),
  logger("lib/json_web_token/rsa_token.rb:21:in `read'"),
]
// `docker logs -t` around the same block's text.
const TIMESTAMPED_RAILS_BLOCK = [
  '2024-01-19T14:12:25.214148186Z Started GET "/jwt/auth" for 10.0.0.1 at 2024-01-19 14:12:25 +0000',
  '2024-01-19T14:12:25.314148186Z Completed 500 Internal Server Error in 38ms',
  '2024-01-19T14:12:25.314148186Z   ',
  '2024-01-19T14:12:25.314148186Z Errno::ENOENT (No such file or directory @ rb_sysopen - /srv/gitlab/config/registry.key):',
  "2024-01-19T14:12:25.314148186Z lib/json_web_token/rsa_token.rb:21:in `read'",
]
const MITMDUMP = ['10.0.0.5:51234: HEAD https://registry.example.com/v2/acme/app/blobs/sha256:abc', '     << 307 Temporary Redirect 0b']

/** Records that must stay in one batch, each followed by single-line records that are safe cut points. */
const RECORDS = [RAILS_BLOCK, ERA_B, CRI, MITMDUMP]
const SINGLE = '2024/05/02 10:11:12 [error] 1201#0: *13442797 connect() failed (111: Connection refused) while connecting to upstream'

describe('createBatchSplitter', () => {
  test('cuts the same batches however the input is chunked', () => {
    const text = Array.from({ length: 40 }, (_, i) => [...(RECORDS[i % RECORDS.length] ?? []), SINGLE].join('\n')).join('\n') + '\n'
    const reference = texts(split(text, [1 << 20]))
    expect(reference.length).toBeGreaterThan(10)
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 20 }), (sizes) => {
        expect(texts(split(text, sizes))).toEqual(reference)
      }),
    )
    expect(reference.length).toBeGreaterThan(10)
    expect(reference.join('')).toBe(text)
  })

  test.each([
    ['a Rails exception block', RAILS_BLOCK],
    ['an era-B continuation under svlogd', ERA_B],
    ['a CRI partial line', CRI],
    ['a CRI partial line with a line of the other stream inside', CRI_INTERLEAVED],
    ['a runner line cut in two', RUNNER_CUT_LINE],
    ['a json-file partial line with a line of the other stream inside', JSON_FILE_INTERLEAVED],
    ['a production.log block wrapped by gitlab-logger', GITLAB_LOGGER_BLOCK],
    ['a production.log block under docker logs -t', TIMESTAMPED_RAILS_BLOCK],
    ['a mitmdump flow', MITMDUMP],
  ])('never splits %s', (_name, record) => {
    const text = `${Array.from({ length: 30 }, () => [...record, SINGLE].join('\n')).join('\n')}\n`
    // maxBytes above the record size: below it the fallback may cut anywhere (tested below).
    for (const batch of texts(split(text, [13], { targetBytes: 64, maxBytes: 4096, lineCapBytes: 1000 }))) {
      const lines = batch.split('\n').filter((line) => line !== '')
      // Every batch starts at a record's first line or at the single-line record.
      expect([record[0], SINGLE]).toContain(lines[0])
    }
  })

  test('numbers each batch by its first line', () => {
    const text = `${Array.from({ length: 100 }, (_, i) => `${SINGLE} ${i}`).join('\n')}\n`
    const batches = split(text, [50])
    for (const batch of batches) {
      const first = decoder.decode(batch.bytes).split('\n')[0]
      expect(first).toBe(`${SINGLE} ${batch.firstLine - 1}`)
    }
    expect(batches.map((batch) => batch.index)).toEqual(batches.map((_, i) => i))
  })

  test('falls back to any newline when no safe cut comes within maxBytes', () => {
    const text = `${Array.from({ length: 200 }, (_, i) => `  frame ${i}`).join('\n')}\n`
    const batches = split(text, [100])
    expect(batches.length).toBeGreaterThan(3)
    for (const batch of batches.slice(0, -1)) expect(batch.bytes.length).toBeLessThanOrEqual(256 + 16)
    expect(texts(batches).join('')).toBe(text)
  })

  test('keeps only the head of a line longer than the cap, then carries on', () => {
    const text = `short\n${'z'.repeat(5000)}\n${SINGLE}\n`
    const batches = split(text, [333], { targetBytes: 64, maxBytes: 256, lineCapBytes: 100 })
    const joined = texts(batches).join('')
    expect(joined).toBe(`short\n${'z'.repeat(100)}\n${SINGLE}\n`)
    expect(batches.at(-1)?.firstLine).toBeLessThanOrEqual(3)
  })

  test('keeps a last line without a newline', () => {
    expect(texts(split('one\ntwo', [2])).join('')).toBe('one\ntwo')
  })

  test('flush hands over complete lines of a paused live input', () => {
    const splitter = createBatchSplitter({ targetBytes: 1 << 20, maxBytes: 1 << 22, lineCapBytes: 1000 })
    expect(splitter.push(encoder.encode('first line\nsecond li'))).toEqual([])
    const flushed = splitter.flush()
    expect(texts(flushed)).toEqual(['first line\n'])
    expect(texts(splitter.end())).toEqual(['second li'])
  })
})
