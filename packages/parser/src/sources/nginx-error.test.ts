import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { NginxErrorEvent } from '../log-event.js'
import { nginxError } from './nginx-error.js'
import { parseUpstreamAddress } from './nginx/parse-error-context.js'

const FIXTURE = new URL('./fixtures/nginx-error.log', import.meta.url)
const PREFIX = '2024/05/02 10:31:07 [error] 2210#0: *88121'
const CONTEXT = 'client: 198.51.100.14, server: registry.example.com'

function parse(text: string): ReturnType<typeof nginxError.parse> {
  return nginxError.parse({ text, file: 'test.log', line: 1, lineCount: 1 }, undefined)
}

function parseEvent(text: string): Omit<NginxErrorEvent, 'file' | 'line' | 'lineCount' | 'raw'> {
  const parsed = parse(text)
  if ('unparsed' in parsed) throw new Error(`expected an event, got ${parsed.unparsed}: ${text}`)
  return parsed
}

describe('nginx-error levels', () => {
  test.each([
    ['debug', 'debug'], ['info', 'info'], ['notice', 'notice'], ['warn', 'warning'], ['error', 'error'],
    ['crit', 'fatal'], ['alert', 'fatal'], ['emerg', 'fatal'],
  ])('[%s] → %s', (nginxLevel, level) => {
    expect(parseEvent(`2024/05/02 10:31:07 [${nginxLevel}] 1#0: something happened`)).toMatchObject({ level, message: 'something happened' })
  })
})

describe('nginx-error context', () => {
  test.each([
    ['IPv6 upstream', `${PREFIX} connect() failed (111: Connection refused) while connecting to upstream, ${CONTEXT}, request: "GET /v2/ HTTP/1.1", upstream: "http://[::1]:5000/v2/", host: "registry.example.com"`,
      { upstreamAddress: '[::1]:5000', errno: 111, route: 'base', connectionId: 88121, pid: 2210 }],
    ['IPv4 upstream without port', `${PREFIX} upstream prematurely closed connection while reading response header from upstream, ${CONTEXT}, request: "GET /v2/ HTTP/1.1", upstream: "http://10.0.0.5/v2/", host: "r"`,
      { upstreamAddress: '10.0.0.5', action: 'reading response header from upstream' }],
    ['subrequest between request and upstream', `${PREFIX} auth request unexpected status: 502 while sending to client, ${CONTEXT}, request: "GET /v2/ HTTP/1.1", subrequest: "/auth", upstream: "http://127.0.0.1:8080/auth", host: "r"`,
      { upstream: 'http://127.0.0.1:8080/auth', upstreamAddress: '127.0.0.1:8080', host: 'r', request: 'GET /v2/ HTTP/1.1' }],
    ['a request line holding `", ` and quotes', `${PREFIX} upstream timed out (110: Connection timed out) while reading upstream, ${CONTEXT}, request: "GET /v2/a", b"/tags/list HTTP/1.1", upstream: "http://127.0.0.1:5000/v2/", host: "r"`,
      { request: 'GET /v2/a", b"/tags/list HTTP/1.1', host: 'r', errno: 110 }],
    ['no request (TLS handshake failure)', '2024/05/02 10:31:07 [crit] 2210#0: *9 SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: 198.51.100.66, server: 0.0.0.0:443',
      { clientAddress: '198.51.100.66', server: '0.0.0.0:443', action: 'SSL handshaking', level: 'fatal' }],
    ['empty server name', `${PREFIX} recv() failed (104: Connection reset by peer) while reading response header from upstream, client: ::1, server: , request: "HEAD /v2/ HTTP/1.1", upstream: "http://127.0.0.1:5000/v2/", host: "localhost"`,
      { server: '', clientAddress: '::1', errno: 104, method: 'HEAD' }],
    ['a line cut at 2048 bytes inside the request', `${PREFIX} upstream timed out (110: Connection timed out) while reading response header from upstream, ${CONTEXT}, request: "PATCH /v2/acme/app/blobs/uploads/u1?_state=${'A'.repeat(1800)}`,
      { method: 'PATCH', route: 'blob-upload', uploadUuid: 'u1', request: `PATCH /v2/acme/app/blobs/uploads/u1?_state=${'A'.repeat(1800)}` }],
    ['a line cut inside the upstream', `${PREFIX} upstream timed out (110: Connection timed out) while connecting to upstream, ${CONTEXT}, request: "GET /v2/ HTTP/1.1", upstream: "http://[::1]:50`,
      { upstream: 'http://[::1]:50', upstreamAddress: '[::1]:50', protocol: 'HTTP/1.1' }],
    ['distro nginx pid#tid', '2024/05/02 10:31:07 [warn] 35832#35832: *7 a client request body is buffered to a temporary file /var/cache/nginx/client_temp/0000000001, client: 10.0.0.1, server: r, request: "PUT /v2/x/manifests/y HTTP/1.1", host: "r"',
      { pid: 35832, level: 'warning', route: 'manifest', reference: 'y' }],
  ])('%s', (_title, line, expected) => {
    expect(parseEvent(line)).toMatchObject(expected)
  })

  test('a startup line has no connection, context or request fields', () => {
    const event = parseEvent('2024/05/02 06:00:01 [emerg] 512#0: bind() to [::]:80 failed (97: Address family not supported by protocol)')
    for (const key of ['connectionId', 'clientAddress', 'request', 'method', 'upstream', 'action']) expect(event).not.toHaveProperty(key)
    expect(event).toMatchObject({ errno: 97, time: Date.UTC(2024, 4, 2, 6, 0, 1) })
  })

  test.each([
    ['http://[::1]:5000/v2/', '[::1]:5000'],
    ['http://127.0.0.1:5000/v2/x', '127.0.0.1:5000'],
    ['http://unix:/var/opt/gitlab/gitlab-workhorse/sockets/socket:/api/v4/jobs', 'unix:/var/opt/gitlab/gitlab-workhorse/sockets/socket'],
    ['http://unix:/run/registry.sock', 'unix:/run/registry.sock'],
    ['192.0.2.1:443', '192.0.2.1:443'],
    ['grpc://[2001:db8::1]:9000', '[2001:db8::1]:9000'],
  ])('upstream %s → %s', (upstream, address) => {
    expect(parseUpstreamAddress(upstream)).toBe(address)
  })
})

describe('nginx-error rejects and sniffs', () => {
  test.each([
    ['empty', '', 'empty'],
    ['an access line', '203.0.113.61 - - [02/May/2024:08:01:10 +0000] "GET /v2/ HTTP/1.1" 401 104 "" "x" 0.84', 'no-match'],
    ['an unknown level', '2024/05/02 10:31:07 [fatal] 1#0: x', 'no-match'],
    ['a date with a letter', '2024/05/0x 10:31:07 [error] 1#0: x', 'no-match'],
  ])('%s', (_title, line, reason) => {
    expect(parse(line)).toEqual({ unparsed: reason })
  })

  test.each([
    ['dated line', `${PREFIX} x, ${CONTEXT}`, 0.95],
    ['undated line from the docs', '[error] 1201#0: *1 x', 0.8],
    ['context-only fragment', 'request: "GET /v2/ HTTP/1.1", upstream: "http://[::1]:5000/v2/", host: "r"', 0.5],
    ['registry line', 'time="2024-05-02T08:01:10Z" level=error msg="x"', 0],
    ['access line', '203.0.113.61 - - [02/May/2024:08:01:10 +0000] "GET /v2/ HTTP/1.1" 401 104 "" "x" 0.84', 0],
  ])('sniff %s → %s', (_title, line, score) => {
    expect(nginxError.sniff(line)).toBe(score)
  })
})

describe('nginx-error on hostile input', () => {
  test.each([
    ['many `", ` without keys', `${PREFIX} x, client: a, request: "${'", '.repeat(100_000)}`],
    ['many `", key: `', `${PREFIX} x, client: a, request: "${'", a: "'.repeat(50_000)}`],
    ['a long message', `${PREFIX} ${'(1: x) while '.repeat(50_000)}`],
    ['digits', `${'9'.repeat(200_000)}`],
  ])('%s parses in linear time without throwing', (_title, line) => {
    const started = performance.now()
    expect(() => parse(line)).not.toThrow()
    expect(() => nginxError.sniff(line)).not.toThrow()
    expect(performance.now() - started).toBeLessThan(500)
  })

  test('never throws on arbitrary text or on mutations of a real line', () => {
    const real = `${PREFIX} connect() failed (111: Connection refused) while connecting to upstream, ${CONTEXT}, request: "GET /v2/ HTTP/1.1", upstream: "http://[::1]:5000/v2/", host: "r"`
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.nat(real.length), fc.nat(real.length), (noise, at, cut) => {
        for (const text of [noise, real.slice(0, at) + noise + real.slice(at), real.slice(0, cut)]) {
          expect(typeof parse(text)).toBe('object')
          nginxError.sniff(text)
        }
      }),
    )
  })
})

// The golden comparison of the fixture is in sources.test.ts; this checks what the fixture is there to show.
describe('nginx-error fixture', () => {
  const events = readFileSync(FIXTURE, 'utf8').replace(/\n$/, '').split('\n').map(parseEvent)

  test('shows IPv6 loopback refusals, 502/504 upstream failures and startup lines without a connection', () => {
    expect(events.filter((event) => event.errno === 111 && event.upstreamAddress?.startsWith('[::1]') === true).length).toBeGreaterThan(3)
    expect(events.some((event) => event.message.startsWith('upstream prematurely closed connection'))).toBe(true)
    expect(events.some((event) => event.errno === 110)).toBe(true)
    expect(events.some((event) => event.level === 'fatal' && event.connectionId === undefined)).toBe(true)
  })

  test('keeps what it can of the line cut at 2048 bytes', () => {
    const cut = events.find((event) => (event.request?.length ?? 0) > 1500)
    expect(cut).toMatchObject({ method: 'PATCH', route: 'blob-upload', uploadUuid: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d' })
    expect(cut).not.toHaveProperty('host')
    expect(cut).not.toHaveProperty('upstream')
  })
})
