// Format-specific vectors for the registry source: quoting eras, continuations, field normalisation,
// access layouts, sniffing and hostile input. Catalogue-wide checks live in sources.test.ts.
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { createRecordAssembler } from '../create-record-assembler.js'
import type { LogRecord } from '../define-source.js'
import type { RegistryEvent } from '../log-event.js'
import type { ParseOutput } from '../parse-output.js'
import { unwrapLine } from '../unwrap-line.js'
import { registry } from './registry.js'
import { decodeGoEscapes } from './registry/decode-go-escapes.js'
import { normaliseErrorCode, stripPort, unwrapErrorDetail } from './registry/normalise-fields.js'
import { parseGoDuration } from './registry/parse-go-duration.js'

function record(text: string, lineCount = 1): LogRecord {
  return { text, file: 'registry/current', line: 1, lineCount }
}

/** Physical lines through the real pipeline (wrappers peeled, `continues` joining), registry forced. */
function parseLines(lines: readonly string[], file = 'registry/current'): ParseOutput[] {
  const assembler = createRecordAssembler({ file, source: 'registry' })
  const out: ParseOutput[] = []
  lines.forEach((line, index) => {
    const { text, wrapper } = unwrapLine(line)
    const item = { kind: 'line' as const, text, line: index + 1, lineCount: 1, invalidUtf8: 0 }
    assembler.push(wrapper === undefined ? item : { ...item, wrapper }, out)
  })
  assembler.flush(out)
  return out
}

function parseEvent(line: string): RegistryEvent {
  const parsed = registry.parse(record(line), undefined)
  if ('unparsed' in parsed) throw new Error(`unparsed (${parsed.unparsed}): ${line}`)
  return parsed as RegistryEvent
}

describe('examples', () => {
  test.each(registry.examples)('$title', ({ lines, event }) => {
    const out = parseLines(lines)
    expect(out).toHaveLength(1)
    expect(out[0]).toMatchObject({ ...event, lineCount: lines.length })
  })
})

describe('logrus text quoting', () => {
  test.each([
    ['bare values', 'level=info msg=access status=200', { msg: 'access', status: '200' }],
    ['empty bare value', 'level=info msg=x referer= http.request.useragent= next=1', { referer: '', http_request_useragent: '', next: '1' }],
    ['trailing spaces', 'level=info msg="a b" vars.name="x/y"   ', { msg: 'a b', vars_name: 'x/y' }],
    ['escaped quote and backslash', String.raw`level=info msg="say \"hi\" C:\\dir"`, { msg: 'say "hi" C:\\dir' }],
    ['\\u and \\x escapes', String.raw`level=info msg="\u00b5s \x41 \101"`, { msg: 'µs A A' }],
    ['raw µ in a quoted value', 'level=info http.response.duration="88.251µs"', { http_response_duration: '88.251µs' }],
    ['era-B inner quotes end only before key=', 'level=info msg="a "b c" d" x=1', { msg: 'a "b c" d', x: '1' }],
    ['era-B inner quote followed by a space and a word', 'level=info msg="ID: "K" not a key" y=2', { msg: 'ID: "K" not a key', y: '2' }],
    ['era-B raw backslash before the closing quote', String.raw`level=info path="C:\" z=3`, { path: 'C:\\', z: '3' }],
    ['era-B raw \\( kept as written', String.raw`level=info ua="x \(linux\)" k=v`, { ua: String.raw`x \(linux\)`, k: 'v' }],
    ['a quote inside a bare value is data', 'level=info a=b"c d=e', { a: 'b"c', d: 'e' }],
    ['stray words are skipped', 'level=info msg=x … garbage k=v', { msg: 'x', k: 'v' }],
    ['CF-RAY and dotted keys', 'level=info CF-RAY=7d3 auth.user.name=root', { 'CF-RAY': '7d3', auth_user_name: 'root' }],
    ['unterminated quote takes the rest', 'level=info msg="never closed k=v', { msg: 'never closed k=v' }],
    ['no strict end: the first quote before a space ends it', 'level=info msg="a b" zz method=PUT', { msg: 'a b', method: 'PUT' }],
    ['an elision mark ends a value like a key', 'level=info msg="a "b"" … c="d" ... e=f', { msg: 'a "b"', c: 'd', e: 'f' }],
  ])('%s', (_title, line, fields) => {
    expect(parseEvent(line).fields).toMatchObject(fields)
  })

  test('a value holding a joined newline keeps it', () => {
    const event = parseEvent('level=error msg="first\n\tsecond" x=1')
    expect(event.message).toBe('first\n\tsecond')
    expect(event.fields['x']).toBe('1')
  })
})

describe('field normalisation', () => {
  test.each([
    ['remote_ip wins over remote_addr', 'level=info remote_addr="10.0.0.1:1234" remote_ip=192.0.2.9', { clientAddress: '192.0.2.9' }],
    ['port stripped from remoteaddr', 'level=info http.request.remoteaddr="10.0.0.1:1234"', { clientAddress: '10.0.0.1' }],
    ['IPv6 brackets removed', 'level=info remote_addr="[2001:db8::1]:5000"', { clientAddress: '2001:db8::1' }],
    ['vars fill in without a URI', 'level=info vars.name=g/p vars.reference=v1 vars.digest=sha256:ab', { repository: 'g/p', reference: 'v1', digest: 'sha256:ab' }],
    ['URI wins over vars', 'level=info uri=/v2/a/b/manifests/t vars_name=other', { repository: 'a/b', reference: 't', route: 'manifest' }],
    ['upload digest from the query', 'level=info uri="/v2/a/blobs/uploads/u1?digest=sha256%3Aab12"', { uploadUuid: 'u1', digest: 'sha256:ab12', path: '/v2/a/blobs/uploads/u1' }],
    ['lower-case spaced code', 'level=error err.code="blob upload invalid"', { errorCode: 'BLOB_UPLOAD_INVALID' }],
    ['level=warn is warning', 'level=warn msg=x', { level: 'warning' }],
    ['Go duration with minutes', 'level=info http.response.duration=1m2.5s', { durationMs: 62_500 }],
    ['time with offset', 'time="2020-07-24T10:55:59.771028+01:00" level=info', { time: Date.UTC(2020, 6, 24, 9, 55, 59, 771) }],
  ])('%s', (_title, line, expected) => {
    expect(parseEvent(line)).toMatchObject(expected)
  })

  test.each([
    ['status only when three digits', 'level=info status=abc', 'status'],
    ['unknown level left out', 'level=loud msg=x', 'level'],
    ['empty user agent left out', 'level=info http.request.useragent=', 'userAgent'],
    ['no time field, no time', 'level=info msg=x', 'time'],
  ])('%s', (_title, line, property) => {
    expect(parseEvent(line)).not.toHaveProperty(property)
  })

  test('a message is not an access line unless LabKit wrote it', () => {
    expect(parseEvent('level=info msg=access').access).toBe(false)
    expect(parseEvent('level=info msg=access status=200 uri=/v2/').access).toBe(true)
  })
})

describe('helpers', () => {
  test.each([
    ['plain', 'plain'],
    [String.raw`a\tb`, 'a\tb'],
    [String.raw`\U0001F600`, '😀'],
    [String.raw`\'`, "'"],
    [String.raw`bad \( escape`, undefined],
    [String.raw`trailing \ `, undefined],
    [String.raw`short \x4`, undefined],
    [String.raw`\400`, undefined],
  ])('decodeGoEscapes(%j)', (input, expected) => {
    expect(decodeGoEscapes(input)).toBe(expected)
  })

  test.each([
    ['8.937191ms', 8.937191], ['88.251µs', 0.088251], ['88.251μs', 0.088251], ['2us', 0.002], ['1h', 3_600_000],
    ['1.5s', 1500], ['2m42.81467s', 162_814.67], ['0s', 0], ['0', 0], ['500ns', 0.0005], ['-1s', -1000], ['', undefined], ['ms', undefined],
    ['12', undefined], ['1x', undefined], ['1.2.3s', undefined],
  ])('parseGoDuration(%j)', (input, expected) => {
    const value = parseGoDuration(input)
    if (expected === undefined) expect(value).toBeUndefined()
    else expect(value).toBe(expected)
  })

  test.each([
    ['10.0.0.1:80', '10.0.0.1'], ['10.0.0.1', '10.0.0.1'], ['[::1]:5000', '::1'], ['::1', '::1'], ['fe80::1%eth0', 'fe80::1%eth0'],
    ['[::1', '[::1'],
  ])('stripPort(%j)', (input, expected) => {
    expect(stripPort(input)).toBe(expected)
  })

  test.each([
    ['unknown', 'UNKNOWN'], ['manifest blob unknown', 'MANIFEST_BLOB_UNKNOWN'], ['BLOB_UNKNOWN', 'BLOB_UNKNOWN'],
    [' name invalid ', 'NAME_INVALID'], ['500', '500'],
  ])('normaliseErrorCode(%j)', (input, expected) => {
    expect(normaliseErrorCode(input)).toBe(expected)
  })

  test.each([
    ['map[data:unexpected EOF]', 'unexpected EOF'], ['{"data":"x"}', 'x'], ['{"data":{"a":1}}', '{"a":1}'],
    ['{"data":', '{"data":'], ['plain', 'plain'], ['map[other:1]', 'map[other:1]'],
  ])('unwrapErrorDetail(%j)', (input, expected) => {
    expect(unwrapErrorDetail(input)).toBe(expected)
  })
})

describe('access lines', () => {
  test('gorilla: remote user, Go escapes in the request and a dash size', () => {
    const event = parseEvent(String.raw`192.0.2.1 - alice [02/May/2024:10:11:12 +0200] "GET /v2/a%20b/tags/list HTTP/1.1" 200 - "http://x/\"q\"" "ua"`)
    expect(event).toMatchObject({
      format: 'gorilla-combined', remoteUser: 'alice', route: 'tags-list', referer: 'http://x/"q"', time: Date.UTC(2024, 4, 2, 8, 11, 12),
    })
    expect(event.bytes).toBeUndefined()
  })

  test.each([
    ['NGINX gitlab_access with gzip ratio', '10.0.0.1 - - [02/May/2024:10:11:12 +0000] "GET /v2/ HTTP/1.1" 401 87 "-" "docker/24.0.7" 2.27'],
    ['unterminated request', '10.0.0.1 - - [02/May/2024:10:11:12 +0000] "GET /v2/ HTTP/1.1 401 87'],
  ])('not a registry access line: %s', (_title, line) => {
    expect(registry.parse(record(line), undefined)).toEqual({ unparsed: 'no-match' })
  })

  test('LabKit combined with the int64 formatting bug', () => {
    const line = 'reg.example.com 10.0.0.7 - - [2020/09/01:10:11:12 +0000] "GET /v2/ HTTP/1.1" 401 87 "" "ua" %!f(int64=21)'
    expect(parseEvent(line)).toMatchObject({ format: 'labkit-combined', durationMs: 21, status: 401 })
  })
})

describe('unparsed', () => {
  test.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['hello world', 'no-match'],
    ['{"log":"x"', 'bad-json'],
    ['{"severity":"INFO","message":"rails"}', 'no-match'],
    ['time="yesterday" level=info msg=x', 'bad-timestamp'],
    ['10.0.0.1 - - [02/Foo/2024:10:11:12 +0000] "GET /v2/ HTTP/1.1" 401 87 "" "ua"', 'bad-timestamp'],
    ['{"level":"info","msg":"x","time":"not a time"}', 'bad-timestamp'],
    ['XXXX[0000] unknown level', 'no-match'],
    ['2024/05/02 10:11:12 [error] 123#0: nginx', 'no-match'],
  ])('%j → %s', (line, reason) => {
    expect(registry.parse(record(line), undefined)).toEqual({ unparsed: reason })
  })
})

describe('continues', () => {
  const eraB = 'time="2019-06-11T09:14:03Z" level=error msg="response completed with error" err.detail="s3aws: AccessDenied: Access Denied'
  test.each([
    ['TAB line after an era-B entry', eraB, '\tstatus code: 403" err.message="unknown error"', true],
    ['untabbed line while a quote is open', eraB, 'more text" k=v', true],
    ['a new entry never continues', eraB, 'time="2019-06-11T09:14:04Z" level=info msg=x', false],
    ['a JSON line never continues', eraB, '{"level":"info"}', false],
    ['closed entry, untabbed line', 'level=info msg="done"', 'stray text', false],
    ['TAB line after a TTY entry', 'ERRO[0001] boom', '\tdetail', true],
    ['panic: status code line', 'panic: s3aws: AccessDenied: x', 'status code: 403, request id: X', true],
    ['panic: goroutine header', 'panic: boom', 'goroutine 1 [running]:', true],
    ['panic: frame function', 'panic: boom', 'main.main()', true],
    ['panic: next log entry', 'panic: boom', 'time="2019-06-11T09:14:04Z" level=info msg=x', false],
    ['recovered handler panic: goroutine header', '2019/07/05 00:37:45 http: panic serving 10.0.0.4:58994: boom', 'goroutine 49 [running]:', true],
    ['other Go log lines continue nothing', '2016/03/30 16:27:47 http: TLS handshake error from 10.0.0.1:43643: EOF', 'goroutine 49 [running]:', false],
    ['access line claims nothing', '10.0.0.1 - - [02/May/2024:10:11:12 +0000] "GET / HTTP/1.1" 200 1 "" ""', '\tx', false],
  ])('%s', (_title, head, next, expected) => {
    expect(registry.continues?.(next, record(head))).toBe(expected)
  })

  test('stops claiming after a cap, so a runaway quote cannot swallow the file', () => {
    expect(registry.continues?.('\tmore', record(eraB, 50))).toBe(false)
  })
})

describe('sniff', () => {
  test.each([
    ['logrus text with registry keys', 'time="2020-01-01T00:00:00Z" level=info msg=x go.version=go1.12 http.request.uri=/v2/', 0.9, 1],
    ['logrus text without registry keys (dockerd looks alike)', 'time="2020-01-01T00:00:00Z" level=info msg="Loading containers"', 0.7, 0.9],
    ['LabKit JSON access', '{"level":"info","msg":"access","correlation_id":"x","status":200}', 0.9, 1],
    ['JSON without msg/level', '{"severity":"INFO"}', 0, 0],
    ['gorilla with "" referer', '10.0.0.1 - - [02/May/2024:10:11:12 +0000] "GET /v2/ HTTP/1.1" 401 87 "" "docker"', 0.7, 0.7],
    ['gorilla with a "-" referer (NGINX combined looks alike)', '10.0.0.1 - - [02/May/2024:10:11:12 +0000] "GET /v2/ HTTP/1.1" 401 87 "-" "docker"', 0.2, 0.4],
    ['NGINX combined with gzip ratio', '10.0.0.1 - - [02/May/2024:10:11:12 +0000] "GET /v2/ HTTP/1.1" 401 87 "-" "docker" 1.5', 0, 0],
    ['LabKit combined', 'h 10.0.0.7 - - [2020/09/01:10:11:12 +0000] "GET /v2/ HTTP/1.1" 401 87 "" "ua" 0.021', 0.7, 0.9],
    ['TTY line', 'INFO[0000] listening on [::]:5000', 0.5, 0.9],
    ['free text', 'Error response from daemon: unauthorized', 0, 0],
  ])('%s', (_title, line, min, max) => {
    const confidence = registry.sniff(line)
    expect(confidence).toBeGreaterThanOrEqual(min)
    expect(confidence).toBeLessThanOrEqual(max)
  })
})

describe('hostile input', () => {
  test.each([
    ['__proto__ in JSON', '{"level":"info","msg":"x","__proto__":{"polluted":"yes"},"constructor":"c","prototype":"p"}'],
    ['__proto__ in text', 'level=info msg=x __proto__=yes constructor=c prototype=p'],
  ])('%s never reaches a prototype', (_title, line) => {
    const event = parseEvent(line)
    expect(Object.keys(event.fields).sort()).toEqual(['level', 'msg'])
    expect(Object.getPrototypeOf(event.fields)).toBeNull()
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })

  // Each shape targets a different scan: escaped-quote retries, key look-ahead after quotes, TTY field starts.
  test.each([
    ['escaped quotes that never close', `level=info ${'a="x\\" '.repeat(60_000)}`],
    ['quotes followed by key-like runs', `level=info msg="${'" aaaaaaaa'.repeat(60_000)}`],
    ['TTY message of fake keys', `INFO[0000] ${'a=b "c '.repeat(60_000)}`],
    ['deep JSON', `{"level":"info","msg":"x","d":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
    ['long combined line', `10.0.0.1 - - [02/May/2024:10:11:12 +0000] "${'\\"'.repeat(200_000)}`],
  ])('%s parses in linear time', (_title, line) => {
    const started = performance.now()
    expect(() => registry.parse(record(line), undefined)).not.toThrow()
    expect(() => registry.sniff(line)).not.toThrow()
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

describe('registry fixture', () => {
  test('an Omnibus current across an upgrade day parses into the reviewed golden events', async () => {
    const text = readFileSync(new URL('./fixtures/registry.log', import.meta.url), 'utf8')
    const out = parseLines(text.replace(/\n$/, '').split('\n'), 'registry.log')
    expect(out.filter((output) => 'unparsed' in output)).toEqual([])
    await expect(`${out.map((output) => JSON.stringify(output)).join('\n')}\n`).toMatchFileSnapshot('./fixtures/registry.events.jsonl')
  })
})
