import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { LogRecord } from '../define-source.js'
import type { ProxyEvent } from '../log-event.js'
import { proxy } from './proxy.js'
import { parseFlowResponse } from './proxy/parse-flow-response.js'

const FIXTURE = new URL('./fixtures/proxy.log', import.meta.url)
const DIGEST = 'sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b'
const STORAGE = `https://s3.example.com/bucket/docker/registry/v2/blobs/sha256/6c/${DIGEST.slice(7)}/data`

/** Joins physical lines into records with `continues`, as the pipeline does, and parses each record. */
function parseLines(lines: readonly string[], file = 'test.log') {
  const records: LogRecord[] = []
  lines.forEach((text, index) => {
    const last = records.at(-1)
    if (last !== undefined && proxy.continues?.(text, last) === true) {
      last.text += `\n${text}`
      last.lineCount++
    } else {
      records.push({ text, file, line: index + 1, lineCount: 1 })
    }
  })
  return records.map((record) => ({ ...proxy.parse(record, undefined), file, line: record.line, lineCount: record.lineCount, raw: record.text }))
}

function parseFlow(lines: readonly string[]): Omit<ProxyEvent, 'file' | 'line' | 'lineCount' | 'raw'> {
  const [first, ...rest] = parseLines(lines)
  expect(rest).toEqual([])
  if (first === undefined || 'unparsed' in first) throw new Error(`expected one event from ${lines.join(' / ')}`)
  return first
}

describe('proxy flow listings', () => {
  test.each([
    ['mitmdump 1.x–6 (h1, aligned arrows)', ['127.0.0.1:59519: GET http://registry.example.com/v2/', '               << 401 Unauthorized 87b'],
      { format: 'mitmdump', status: 401, reason: 'Unauthorized', bytes: 87, route: 'base', host: 'registry.example.com', clientAddress: '127.0.0.1' }],
    ['IPv4-mapped client and a megabyte size', ['10.0.0.9:40000: GET https://registry.example.com/v2/acme/app/blobs/' + DIGEST, '      << 200 OK 3.5m'],
      { status: 200, bytes: 3_670_016, route: 'blob', digest: DIGEST }],
    ['content missing', ['127.0.0.1:1: HEAD https://r.example.com/v2/', '   << 200 OK (content missing)'], { status: 200, reason: 'OK' }],
    ['replayed response', ['127.0.0.1:1: GET https://r.example.com/v2/', '[replay] << 200 OK 2b'], { status: 200, bytes: 2 }],
    ['empty `<<`: no response', ['127.0.0.1:1: GET https://r.example.com/v2/', '            <<'], { route: 'base' }],
    ['ASCII console arrow and seconds', ['PATCH https://r.example.com/v2/a/blobs/uploads/u1?_state=s', '    <- 202 text/plain [no content] 1.25s'],
      { status: 202, durationMs: 1250, contentType: 'text/plain', uploadUuid: 'u1', uri: '/v2/a/blobs/uploads/u1?_state=s', path: '/v2/a/blobs/uploads/u1' }],
    ['S3 storage URL with its query', [`127.0.0.1:1: HEAD ${STORAGE}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc`, '  << 403 Forbidden 0b'],
      { route: 'storage', digest: DIGEST, status: 403, host: 's3.example.com', path: STORAGE.slice('https://s3.example.com'.length) }],
    ['a URL cut in its query keeps the path fields', [`127.0.0.1:1: HEAD ${STORAGE}?X-Amz-Alg…`, '  << 403 Forbidden 0b'],
      { truncated: true, route: 'storage', digest: DIGEST }],
    ['--flow-detail 2: headers joined, Content-Type read from the response headers', [
      '127.0.0.1:1: HEAD https://r.example.com/v2/a/blobs/' + DIGEST,
      '    Host: r.example.com',
      '    Authorization: Bearer x',
      ' << 307 Temporary Redirect 0b',
      '    Content-Type: application/octet-stream',
      '    Location: https://s3.example.com/x',
    ], { status: 307, reason: 'Temporary Redirect', contentType: 'application/octet-stream', digest: DIGEST }],
    ['mitmproxy ≥ 9 clock prefix', ['[10:11:12.345] 127.0.0.1:1: GET https://r.example.com/v2/', '  << 200 OK 2b'], { status: 200, clientAddress: '127.0.0.1' }],
  ])('%s', (_title, lines, expected) => {
    expect(parseFlow(lines)).toMatchObject(expected)
  })

  test('a URL cut in its path drops the values the cut may have shortened', () => {
    const event = parseFlow(['127.0.0.1:1: GET https://r.example.com/v2/acme/app/blobs/sha256:6c3c62…', '  << 307 Temporary Redirect 0b'])
    expect(event).toMatchObject({ truncated: true, route: 'blob', repository: 'acme/app' })
    expect(event).not.toHaveProperty('digest')
  })

  test('a storage URL cut in its path is still the storage hop, without a digest', () => {
    const event = parseFlow([`127.0.0.1:1: HEAD ${STORAGE.slice(0, 80)}…`, '  << 403 Forbidden 0b'])
    expect(event).toMatchObject({ truncated: true, route: 'storage', status: 403 })
    expect(event).not.toHaveProperty('digest')
  })

  test('an empty `<<` leaves status and bytes absent', () => {
    const event = parseFlow(['127.0.0.1:1: GET https://r.example.com/v2/', '  <<'])
    expect(event).not.toHaveProperty('status')
    expect(event).not.toHaveProperty('bytes')
  })

  test('two flows in a row stay two events', () => {
    const out = parseLines([
      'HEAD https://r.example.com/v2/a/blobs/sha256:aa', '    ← 307 application/octet-stream [no content] 93ms',
      'HEAD https://r.example.com/v2/a/blobs/sha256:aa', '    ← 307 application/octet-stream [no content] 101ms',
    ])
    expect(out.map((output) => ('unparsed' in output ? output.unparsed : output.durationMs))).toEqual([93, 101])
    expect(out.map((output) => output.lineCount)).toEqual([2, 2])
  })
})

describe('proxy continues', () => {
  const request: LogRecord = { text: '127.0.0.1:1: GET https://r.example.com/v2/', file: 'f', line: 1, lineCount: 1 }
  test.each([
    ['       << 200 OK 2b', request, true],
    ['    ← 307 application/octet-stream [no content] 93ms', request, true],
    ['    Host: r.example.com', request, true],
    ['127.0.0.1:1: GET https://r.example.com/v2/', request, false],
    ['', request, false],
    [' << 200 OK 2b', { ...request, text: '127.0.0.1:1: client connect' }, false],
    [' << 200 OK 2b', { ...request, lineCount: 200 }, false],
  ])('%j after the record → %s', (text, record, expected) => {
    expect(proxy.continues?.(text, record)).toBe(expected)
  })
})

describe('proxy response lines', () => {
  test.each([
    ['200 OK 0b', { status: 200, reason: 'OK', bytes: 0 }],
    ['HTTP/2.0 404 Not Found 1.2k', { protocol: 'HTTP/2.0', status: 404, reason: 'Not Found', bytes: 1229 }],
    ['302 Found 169B', { status: 302, reason: 'Found', bytes: 169 }],
    ['200 text/html 12.3kB 345ms', { status: 200, contentType: 'text/html', bytes: 12_595, durationMs: 345 }],
    ['403 application/xml [no content] 62ms', { status: 403, contentType: 'application/xml', bytes: 0, durationMs: 62 }],
    ['200 OK (content missing)', { status: 200, reason: 'OK' }],
    ['server closed connection', { error: 'server closed connection' }],
    ['', {}],
  ])('%j', (rest, expected) => {
    expect(parseFlowResponse(rest)).toEqual(expected)
  })
})

describe('proxy other lines', () => {
  test.each([
    ['127.0.0.1:51234: client connect', { format: 'mitmdump-log', message: 'client connect', clientAddress: '127.0.0.1' }],
    ['[10:11:12.345][[::1]:51234] server connect r.example.com:443 (203.0.113.9:443)', { format: 'mitmdump-log', clientAddress: '::1' }],
    ['HTTP(S) proxy listening at *:9000.', { format: 'mitmdump-log', url: '' }],
  ])('%s', (line, expected) => {
    expect(parseFlow([line])).toMatchObject(expected)
  })

  test.each([
    ['   ', 'empty'],
    ['  << 200 OK 2b', 'no-match'],
    ['Error: something', 'no-match'],
    ['203.0.113.61 - - [02/May/2024:08:01:10 +0000] "GET /v2/ HTTP/1.1" 401 104 "" "x" 0.84', 'no-match'],
  ])('%j → %s', (line, reason) => {
    expect(proxy.parse({ text: line, file: 'f', line: 1, lineCount: 1 }, undefined)).toEqual({ unparsed: reason })
  })

  test.each([
    ['127.0.0.1:51234: GET https://r.example.com/v2/', 0.85],
    ['HEAD https://r.example.com/v2/a/blobs/sha256:aa', 0.6],
    ['     << 200 OK 2b', 0.7],
    ['127.0.0.1:51234: client connect', 0.6],
    ['2024/05/02 10:31:07 [error] 1#0: x', 0],
    ['time="2024-05-02T08:01:10Z" level=info msg="GET https://x/"', 0],
  ])('sniff %j → %s', (line, score) => {
    expect(proxy.sniff(line)).toBe(score)
  })
})

describe('proxy on hostile input', () => {
  test.each([
    ['a long URL', `127.0.0.1:1: GET https://${'a'.repeat(200_000)}`],
    ['many colons', `${': '.repeat(100_000)}GET https://x/`],
    ['a long response', `  << 200 ${'OK '.repeat(100_000)}1.2k`],
    ['digits', `  << 200 OK ${'1'.repeat(200_000)}`],
  ])('%s parses in linear time without throwing', (_title, line) => {
    const started = performance.now()
    expect(() => parseLines(['127.0.0.1:1: GET https://r.example.com/', line])).not.toThrow()
    expect(() => proxy.sniff(line)).not.toThrow()
    expect(performance.now() - started).toBeLessThan(500)
  })

  test('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (a, b) => {
        for (const lines of [[a], [`127.0.0.1:1: GET https://r/${a}`, ` << ${b}`], [`HEAD https://${a}`, `    ← ${b}`]]) {
          expect(Array.isArray(parseLines(lines))).toBe(true)
        }
      }),
    )
  })
})

// The golden comparison of the fixture is in sources.test.ts; this checks what the fixture is there to show.
describe('proxy fixture', () => {
  const outputs = parseLines(readFileSync(FIXTURE, 'utf8').replace(/\n$/, '').split('\n'), 'proxy.log')

  test('every record is an event, each flow joined with its response line', () => {
    expect(outputs.filter((output) => 'unparsed' in output)).toEqual([])
    const flows = outputs.filter((output) => !('unparsed' in output) && output.url !== '')
    expect(flows.map((flow) => flow.lineCount)).toEqual(flows.map(() => 2))
  })

  test('shows the S3 redirect failing: blob HEAD 307, storage HEAD 403, also with a cut URL', () => {
    const events = outputs.flatMap((output) => ('unparsed' in output ? [] : [output]))
    expect(events.some((event) => event.route === 'blob' && event.status === 307)).toBe(true)
    expect(events.some((event) => event.route === 'storage' && event.status === 403 && event.digest !== undefined)).toBe(true)
    expect(events.some((event) => event.route === 'storage' && event.truncated)).toBe(true)
  })
})
