import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { NginxAccessEvent } from '../log-event.js'
import { nginxAccess } from './nginx-access.js'

const FIXTURE = new URL('./fixtures/nginx-access.log', import.meta.url)
const UA = String.raw`docker/24.0.7 go/go1.20.10 UpstreamClient(Docker-Client/24.0.7 \x5C(linux\x5C))`
const HEAD = '203.0.113.61 - - [02/May/2024:08:01:10 +0000]'
const DIGEST = 'sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b'

function parse(text: string): ReturnType<typeof nginxAccess.parse> {
  return nginxAccess.parse({ text, file: 'test.log', line: 1, lineCount: 1 }, undefined)
}

function parseEvent(text: string): Omit<NginxAccessEvent, 'file' | 'line' | 'lineCount' | 'raw'> {
  const parsed = parse(text)
  if ('unparsed' in parsed) throw new Error(`expected an event, got ${parsed.unparsed}: ${text}`)
  return parsed
}

describe('nginx-access text layouts', () => {
  test.each([
    ['Omnibus 13+ with `-` gzip ratio', `${HEAD} "HEAD /v2/acme/app/blobs/${DIGEST} HTTP/1.1" 307 0 "" "${UA}" -`,
      { format: 'gitlab-access', status: 307, route: 'blob', digest: DIGEST, userAgent: String.raw`docker/24.0.7 go/go1.20.10 UpstreamClient(Docker-Client/24.0.7 \(linux\))` }],
    ['`\\x22` in the URI is decoded, the message keeps it', String.raw`${HEAD} "GET /v2/a\x22b/tags/list HTTP/1.1" 404 19 "" "curl/8.0" -`,
      { uri: '/v2/a"b/tags/list', message: String.raw`GET /v2/a\x22b/tags/list HTTP/1.1`, route: 'tags-list', repository: 'a"b' }],
    ['UTF-8 bytes escaped one by one decode to one character', String.raw`${HEAD} "GET /v2/ HTTP/1.1" 200 2 "https://gitlab.example.com/caf\xC3\xA9" "curl/8.0" -`,
      { referer: 'https://gitlab.example.com/café' }],
    ['invalid escaped UTF-8 becomes U+FFFD', String.raw`${HEAD} "GET /v2/ HTTP/1.1" 200 2 "" "bad\xFF" -`, { userAgent: 'bad\uFFFD' }],
    ['IPv6 loopback client', '::1 - - [02/May/2024:08:01:10 +0000] "GET /v2/ HTTP/1.1" 200 2 "-" "curl/8.0"', { clientAddress: '::1', format: 'combined' }],
    ['X-Forwarded-For names the client, remote_addr kept in fields',
      '10.0.0.2 - - [02/May/2024:08:01:10 +0000] "GET /v2/ HTTP/1.1" 401 87 "-" "curl/8.0" "203.0.113.5, 10.0.0.1"',
      { clientAddress: '203.0.113.5', fields: { http_x_forwarded_for: '203.0.113.5, 10.0.0.1', remote_addr: '10.0.0.2' }, format: 'combined-extended' }],
    ['combined + $request_time (three decimals) is a duration, not a gzip ratio',
      '10.0.0.2 - - [02/May/2024:08:01:10 +0000] "PATCH /v2/acme/app/blobs/uploads/u1 HTTP/1.1" 202 0 "-" "curl/8.0" 1803.512',
      { durationMs: 1_803_512, format: 'combined-extended', uploadUuid: 'u1' }],
    ['a zone other than UTC', '10.0.0.2 - - [02/May/2024:10:01:10 +0200] "GET /v2/ HTTP/1.1" 200 2 "-" "-"', { time: Date.UTC(2024, 4, 2, 8, 1, 10) }],
    ['common log format: no referer or UA', '10.0.0.2 - - [02/May/2024:08:01:10 +0000] "GET /v2/ HTTP/1.0" 200 2', { format: 'common', protocol: 'HTTP/1.0' }],
    ['port-80 redirect server (301, HTML compressed)', `${HEAD} "GET /v2/ HTTP/1.1" 301 134 "" "${UA}" 1.31`, { status: 301, gzipRatio: 1.31 }],
    ['request without protocol (HTTP/0.9 or cut)', `${HEAD} "GET /v2/" 400 150 "" "-" -`, { method: 'GET', uri: '/v2/', route: 'base' }],
    ['request `-` (client closed before sending)', `${HEAD} "-" 400 0 "-" "-"`, { status: 400, bytes: 0, message: '-' }],
    ['Omnibus 10+ malformed request: empty method and protocol', `${HEAD} "-  -" 400 150 "" "-" -`, { status: 400, format: 'gitlab-access' }],
    ['TLS handshake bytes', String.raw`${HEAD} "\x16\x03\x01\x02\x00\x01\x00\x01\xFC\x03\x03" 400 157 "-" "-"`, { status: 400, format: 'combined' }],
    ['$remote_user with Basic credentials', '203.0.113.61 - ci-bot [02/May/2024:08:01:10 +0000] "GET /jwt/auth?service=container_registry HTTP/1.1" 200 742 "" "docker/24.0.7" 1.29',
      { remoteUser: 'ci-bot', route: 'jwt-auth' }],
    ['ingress-nginx with $req_id and the empty alternative upstream',
      '198.51.100.9 - - [02/May/2024:09:12:44 +0000] "GET /v2/ HTTP/2.0" 401 87 "-" "curl/8.0" 41 0.001 [ns-registry-5000] [] 10.1.2.3:5000 87 0.001 401 0123abcd',
      { format: 'ingress-nginx', upstream: '10.1.2.3:5000', upstreamStatus: 401, requestId: '0123abcd', protocol: 'HTTP/2.0', durationMs: 1 }],
    // elastic/integrations#4128: a dual-stack cluster, upstream addresses in brackets with their port.
    ['ingress-nginx with an IPv6 upstream',
      '2a02:cf40:: - remote_monitoring_user [24/Aug/2022:21:04:17 +0000] "POST /_bulk HTTP/1.1" 200 470 "-" "Elastic-metricbeat/7.16.3" 2057 0.033 [esmon-esmon-es-http-9200] [] [2a02:cf40::]:9200 470 0.036 200 3db73c6c673c4256ade033a6ce08c2ab',
      { format: 'ingress-nginx', upstream: '[2a02:cf40::]:9200', upstreamStatus: 200, requestId: '3db73c6c673c4256ade033a6ce08c2ab' }],
    ['ingress-nginx with IPv6 upstreams retried',
      '2a02:cf40::4e36 - - [24/Aug/2022:18:05:41 +0000] "GET /v2/ HTTP/2.0" 502 552 "-" "docker/24.0.7" 27 0.000 [ns-registry-5000] [] [2a02:cf40::7]:5000, [2a02:cf40::4e36]:5000 0, 0, 0 0.000, 0.000, 0.000 502, 502, 502 3db73c6c673c4256ade033a6ce08c2ab',
      { format: 'ingress-nginx', upstream: '[2a02:cf40::7]:5000, [2a02:cf40::4e36]:5000', upstreamStatus: 502, requestId: '3db73c6c673c4256ade033a6ce08c2ab' }],
    ['ingress-nginx with an upstream that never answered', '198.51.100.9 - - [02/May/2024:09:12:44 +0000] "GET /v2/ HTTP/1.1" 503 190 "-" "curl/8.0" 41 0.000 [ns-registry-5000] [] - - - - 0123abcd',
      { format: 'ingress-nginx', status: 503, requestId: '0123abcd' }],
    ['a digest in the PUT query (percent-encoded colon)', `${HEAD} "PUT /v2/acme/app/blobs/uploads/u1?_state=s&digest=sha256%3A${DIGEST.slice(7)} HTTP/1.1" 201 0 "" "${UA}" -`,
      { route: 'blob-upload', digest: DIGEST, uploadUuid: 'u1', path: '/v2/acme/app/blobs/uploads/u1' }],
  ])('%s', (_title, line, expected) => {
    expect(parseEvent(line)).toMatchObject(expected)
  })

  test.each([
    ['`""` referer', `${HEAD} "GET /v2/ HTTP/1.1" 200 2 "" "curl/8.0" -`, ['referer', 'remoteUser', 'gzipRatio']],
    ['`"-"` referer and UA', `${HEAD} "GET /v2/ HTTP/1.1" 200 2 "-" "-"`, ['referer', 'userAgent', 'durationMs']],
    ['garbage request line', String.raw`${HEAD} "\x16\x03\x01" 400 157 "-" "-"`, ['method', 'uri', 'path', 'protocol', 'route']],
  ])('%s leaves fields absent', (_title, line, absent) => {
    const event = parseEvent(line)
    for (const key of absent) expect(event).not.toHaveProperty(key)
  })
})

describe('nginx-access JSON layouts', () => {
  test.each([
    ['the common json_combined snippet', '{"time_local":"02/May/2024:08:01:10 +0000","remote_addr":"203.0.113.61","remote_user":"","request":"GET /v2/ HTTP/1.1","status": "401","body_bytes_sent":"87","request_time":"0.001","http_referrer":"","http_user_agent":"curl/8.0"}',
      { format: 'json', status: 401, bytes: 87, durationMs: 1, time: Date.UTC(2024, 4, 2, 8, 1, 10), route: 'base' }],
    ['split request fields, ISO time, upstream and host',
      '{"time_iso8601":"2024-05-02T10:01:10+02:00","remote_addr":"10.0.0.2","x_forwarded_for":"203.0.113.5","request_method":"PATCH","request_uri":"/v2/acme/app/blobs/uploads/u1?_state=s","server_protocol":"HTTP/1.1","status":"202","body_bytes_sent":"0","upstream_addr":"127.0.0.1:5000","upstream_status":"202","host":"registry.example.com","http_referer":"-","request_id":"r1"}',
      { method: 'PATCH', uri: '/v2/acme/app/blobs/uploads/u1?_state=s', protocol: 'HTTP/1.1', uploadUuid: 'u1', time: Date.UTC(2024, 4, 2, 8, 1, 10),
        clientAddress: '203.0.113.5', upstream: '127.0.0.1:5000', upstreamStatus: 202, host: 'registry.example.com', requestId: 'r1' }],
    ['a JSON format left at escape=default (`\\x22`) is repaired', String.raw`{"remote_addr":"10.0.0.2","request":"GET /v2/a\x22b/tags/list HTTP/1.1","status":"404"}`,
      { uri: '/v2/a"b/tags/list', status: 404 }],
    // ingress-nginx docs/user-guide/configmap.md `log-format-upstream` example, as a controller logs it.
    ['ingress-nginx documented JSON: method, path and request_query, request_proto',
      '{"time": "2019-10-25T09:02:48+00:00", "remote_addr": "192.168.1.3","x-forward-for": "192.168.1.3", "remote_user":"", "bytes_sent": 657, "request_time": 0.102, "status":200, "vhost": "registry.example.com", "request_proto": "HTTP/1.1", "path": "/v2/acme/app/manifests/1.0","request_query": "-", "method": "PUT", "http_referrer": "", "http_user_agent": "docker/24.0.7"}',
      { method: 'PUT', uri: '/v2/acme/app/manifests/1.0', protocol: 'HTTP/1.1', route: 'manifest', repository: 'acme/app', status: 200, clientAddress: '192.168.1.3' }],
    ['ingress-nginx documented JSON: a query, and the client from x-forward-for when remote_addr is empty (PROXY protocol)',
      '{"time": "2019-10-25T09:02:48+00:00", "remote_addr": "", "x-forward-for": "203.0.113.7, 10.0.0.2", "status":401, "request_proto": "HTTP/1.1", "path": "/jwt/auth","request_query": "service=container_registry", "method": "GET"}',
      { uri: '/jwt/auth?service=container_registry', route: 'jwt-auth', clientAddress: '203.0.113.7' }],
    ['numbers from other writers are stringified into fields', '{"remote_addr":"10.0.0.2","request":"GET /v2/ HTTP/1.1","status":200,"ok":true,"nested":{"a":1},"nothing":null}',
      { status: 200, fields: { status: '200', ok: 'true', nested: '{"a":1}', nothing: '' } }],
  ])('%s', (_title, line, expected) => {
    expect(parseEvent(line)).toMatchObject(expected)
  })

  test('a `__proto__` key stays a plain entry of `fields`', () => {
    const event = parseEvent('{"remote_addr":"10.0.0.2","request":"GET /v2/ HTTP/1.1","status":"200","__proto__":{"polluted":"yes"}}')
    expect(Object.getPrototypeOf(event.fields)).toBeNull()
    expect(Object.hasOwn(event.fields, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('nginx-access rejects', () => {
  test.each([
    ['empty', '   ', 'empty'],
    ['a registry logrus line', 'time="2024-05-02T08:01:10Z" level=info msg="response completed"', 'no-match'],
    ['an NGINX error line', '2024/05/02 08:01:10 [error] 1#0: *1 connect() failed', 'no-match'],
    ['an unreadable $time_local', '10.0.0.2 - - [02/Foo/2024:08:01:10 +0000] "GET /v2/ HTTP/1.1" 200 2 "-" "-"', 'bad-timestamp'],
    ['broken JSON', '{"remote_addr":"10.0.0.2","status":', 'bad-json'],
    ['a JSON array', '[1,2]', 'no-match'],
    ['JSON that is not an access line', '{"level":"info","msg":"hello"}', 'no-match'],
    ['JSON with an unreadable time', '{"time_local":"yesterday","status":"200","request":"GET / HTTP/1.1"}', 'bad-timestamp'],
  ])('%s', (_title, line, reason) => {
    expect(parse(line)).toEqual({ unparsed: reason })
  })
})

describe('nginx-access sniff', () => {
  test.each([
    ['Omnibus gzip layout', `${HEAD} "GET /v2/ HTTP/1.1" 401 104 "" "${UA}" 0.84`, 0.9],
    ['bare combined (could be the registry\'s own access line)', `${HEAD} "GET /v2/ HTTP/1.1" 401 104 "-" "curl/8.0"`, 0.7],
    ['ingress-nginx', '10.0.0.1 - - [02/May/2024:09:12:44 +0000] "GET /v2/ HTTP/1.1" 401 87 "-" "curl/8.0" 41 0.001 [ns-r-5000] [] 10.1.2.3:5000 87 0.001 401 0123', 0.8],
    ['JSON access line', '{"remote_addr":"10.0.0.2","request":"GET /v2/ HTTP/1.1","status":"200"}', 0.8],
    ['registry JSON line', '{"level":"info","msg":"access","status":200}', 0],
    ['NGINX error line', '2024/05/02 08:01:10 [error] 1#0: *1 x, client: 1.2.3.4', 0],
    ['mitmdump line', '127.0.0.1:51234: GET https://registry.example.com/v2/', 0],
  ])('%s → %s', (_title, line, score) => {
    expect(nginxAccess.sniff(line)).toBe(score)
  })
})

describe('nginx-access on hostile input', () => {
  test.each([
    ['many quotes', `${HEAD} "GET / HTTP/1.1" 200 2 ${'"'.repeat(200_000)}`],
    ['many brackets', `${'['.repeat(100_000)}] "`],
    ['an unclosed time', `10.0.0.1 - - [${'a'.repeat(200_000)}`],
    ['a long request', `${HEAD} "GET /${'a '.repeat(100_000)}`],
    ['spaces', ' '.repeat(200_000)],
    ['a huge JSON string', `{"status":"${'x'.repeat(200_000)}`],
  ])('%s parses in linear time without throwing', (_title, line) => {
    const started = performance.now()
    expect(() => parse(line)).not.toThrow()
    expect(() => nginxAccess.sniff(line)).not.toThrow()
    expect(performance.now() - started).toBeLessThan(500)
  })

  test('never throws on arbitrary text or on mutations of a real line', () => {
    const real = `${HEAD} "GET /v2/ HTTP/1.1" 401 104 "" "${UA}" 0.84`
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.nat(real.length), fc.nat(real.length), (noise, at, cut) => {
        for (const text of [noise, real.slice(0, at) + noise + real.slice(at), real.slice(0, cut), `{${noise}}`]) {
          const out = parse(text)
          expect(typeof out).toBe('object')
          nginxAccess.sniff(text)
        }
      }),
    )
  })
})

// The golden comparison of the fixture is in sources.test.ts; this checks what the fixture is there to show.
describe('nginx-access fixture', () => {
  const events = readFileSync(FIXTURE, 'utf8').replace(/\n$/, '').split('\n').map(parseEvent)

  test('every line is an event of the Omnibus 13+ layout', () => {
    expect(events.map((event) => event.format)).toEqual(events.map(() => 'gitlab-access'))
  })

  test('shows a push: 401 challenge, upload POST/PATCH/PUT, blob HEADs redirected to storage, manifest PUT', () => {
    const seen = new Set(events.map((event) => `${event.method ?? '-'} ${event.route ?? '-'} ${event.status ?? '-'}`))
    for (const step of ['GET base 401', 'POST blob-upload 202', 'PATCH blob-upload 202', 'PUT blob-upload 201', 'HEAD blob 307', 'PUT manifest 201']) {
      expect(seen).toContain(step)
    }
  })

  test('shows the port-80 redirect, a 404, and a request that was not HTTP', () => {
    expect(events.some((event) => event.status === 301)).toBe(true)
    expect(events.some((event) => event.status === 404 && event.route === 'manifest')).toBe(true)
    expect(events.some((event) => event.status === 400 && event.method === undefined)).toBe(true)
  })
})
