/**
 * NGINX access log: Omnibus `gitlab_access` in all its versions (8.0–9.x `combined`, 10.0–12.10 filtered URI,
 * 13.0+ trailing `$gzip_ratio`), plain `combined` and its usual additions, ingress-nginx `log-format-upstream`,
 * and JSON `log_format`s. Formats: shared/spec/formats-nginx-rails-docker.md §1.2, §1.4;
 * https://nginx.org/en/docs/http/ngx_http_log_module.html#log_format
 */
import { defineSource } from '../define-source.js'
import type { NginxAccessEvent } from '../log-event.js'
import { parseAccessJson } from './nginx/parse-access-json.js'
import { ACCESS_HEAD, parseAccessText } from './nginx/parse-access-text.js'

// Omnibus 13.0+ ends in `$gzip_ratio`; nothing else we read ends in a quote followed by `-` or a 2-decimal float.
const GZIP_TAIL = /" (?:-|\d{1,4}\.\d\d)$/
const DOCKER_UA = String.raw`docker/24.0.7 go/go1.20.10 git-commit/311b9ff kernel/5.15.0-105-generic os/linux arch/amd64 UpstreamClient(Docker-Client/24.0.7 \x5C(linux\x5C))`
const DOCKER_UA_DECODED = DOCKER_UA.replaceAll('\\x5C', '\\')

/** NGINX access log: Omnibus `gitlab_access`, plain `combined`, ingress-nginx upstream layout and JSON formats. */
export const nginxAccess = defineSource<NginxAccessEvent>({
  id: 'nginx-access',
  description: 'NGINX access log: Omnibus gitlab_access (all versions), combined (+ additions), ingress-nginx and JSON log_format',
  fileNames: [
    /(?:^|\/)nginx\/[^/]*access[^/]*$/,
    /(?:^|\/)(?:gitlab_registry_access|gitlab_access|access)\.log(?:\.\d+)?(?:\.gz)?$/,
  ],
  sniff(text) {
    if (text.startsWith('{')) {
      return text.includes('"remote_addr"') && (text.includes('"status"') || text.includes('"request')) ? 0.8 : 0
    }
    if (!ACCESS_HEAD.test(text)) return 0
    // A bare combined line could be the registry's own gorilla access line; only file names tell them apart.
    if (text.endsWith('"')) return 0.7
    return GZIP_TAIL.test(text) ? 0.9 : 0.8
  },
  parse(record) {
    const text = record.text
    if (text.trim() === '') return { unparsed: 'empty' }
    return text.startsWith('{') ? parseAccessJson(text) : parseAccessText(text)
  },
  examples: [
    {
      title: 'Omnibus 13.0+ gitlab_access: the 401 challenge of a docker login (spec §1.2)',
      lines: [String.raw`203.0.113.61 - - [02/May/2024:08:01:10 +0000] "GET /v2/ HTTP/1.1" 401 104 "" "${DOCKER_UA}" 0.84`],
      event: {
        source: 'nginx-access', format: 'gitlab-access', time: Date.UTC(2024, 4, 2, 8, 1, 10), message: 'GET /v2/ HTTP/1.1',
        method: 'GET', uri: '/v2/', path: '/v2/', protocol: 'HTTP/1.1', status: 401, bytes: 104, gzipRatio: 0.84,
        clientAddress: '203.0.113.61', userAgent: DOCKER_UA_DECODED, route: 'base',
      },
    },
    {
      title: 'Omnibus gitlab_access.log: a /jwt/auth token request with Basic credentials (spec §1.2)',
      lines: [
        '203.0.113.61 - jdoe [02/May/2024:08:01:11 +0000] "GET /jwt/auth?account=jdoe&client_id=docker&offline_token=true&service=container_registry HTTP/1.1" 200 742 "" "docker/24.0.7 ..." 1.29',
      ],
      event: {
        format: 'gitlab-access', method: 'GET', path: '/jwt/auth', route: 'jwt-auth', status: 200, remoteUser: 'jdoe',
        uri: '/jwt/auth?account=jdoe&client_id=docker&offline_token=true&service=container_registry', gzipRatio: 1.29,
      },
    },
    {
      title: 'Omnibus 10.0–12.10: no $gzip_ratio, empty filtered referer, a blob upload chunk',
      lines: [
        String.raw`198.51.100.14 - - [14/Jan/2020:16:40:02 +0100] "PATCH /v2/acme/app/blobs/uploads/3f0d6c2a-7d1e-4b59-9a0e-7c7b3c1d2e4f?_state=Vt7XbV0o HTTP/1.1" 202 0 "" "${DOCKER_UA}"`,
      ],
      event: {
        format: 'gitlab-access', time: Date.UTC(2020, 0, 14, 15, 40, 2), method: 'PATCH', status: 202, bytes: 0,
        route: 'blob-upload', repository: 'acme/app', uploadUuid: '3f0d6c2a-7d1e-4b59-9a0e-7c7b3c1d2e4f',
        path: '/v2/acme/app/blobs/uploads/3f0d6c2a-7d1e-4b59-9a0e-7c7b3c1d2e4f',
      },
    },
    {
      title: 'Omnibus 8.x / plain combined from an IPv6 client: `"-"` referer, manifest PUT',
      lines: [
        '2001:db8::17 - - [02/May/2016:10:15:01 +0000] "PUT /v2/acme/app/manifests/1.4.2 HTTP/1.1" 201 0 "-" "docker/1.11.1 go/go1.5.4 git-commit/5604cbe kernel/4.4.0-21-generic os/linux arch/amd64"',
      ],
      event: {
        format: 'combined', clientAddress: '2001:db8::17', method: 'PUT', status: 201, route: 'manifest',
        repository: 'acme/app', reference: '1.4.2',
      },
    },
    {
      title: 'ingress-nginx ≤ 0.2x: `[$the_real_ip]`, upstream block without $req_id (kubernetes-retired/contrib#2444)',
      lines: [
        '::ffff:198.51.100.7 - [::ffff:198.51.100.7] - ucpapp [03/Mar/2017:14:36:30 +0000] "GET /v2/ HTTP/1.1" 200 2 "-" "curl/7.51.0" 133 0.003 [tools-docker-registry-5000] 10.254.31.12:5000 2 0.003 200',
      ],
      event: {
        format: 'ingress-nginx', clientAddress: '::ffff:198.51.100.7', remoteUser: 'ucpapp', status: 200, bytes: 2,
        durationMs: 3, upstream: '10.254.31.12:5000', upstreamStatus: 200, route: 'base', userAgent: 'curl/7.51.0',
      },
    },
    {
      title: 'ingress-nginx current: alternative upstream name, retried upstream list and $req_id',
      lines: [
        String.raw`198.51.100.9 - - [02/May/2024:09:12:44 +0000] "PUT /v2/acme/app/blobs/uploads/5b1e2a3c-9f0d-4e7a-8c6b-2d4f1e0a9b7c?_state=x1&digest=sha256%3A6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b HTTP/1.1" 502 150 "-" "${DOCKER_UA}" 1024 12.004 [gitlab-registry-5000] [] 10.1.2.3:5000, 10.1.2.4:5000 0, 0 6.002, 6.002 502, 502 9f1c0e6b2a7d4c3e8f5a1b0c2d3e4f5a`,
      ],
      event: {
        format: 'ingress-nginx', status: 502, durationMs: 12004, upstream: '10.1.2.3:5000, 10.1.2.4:5000', upstreamStatus: 502,
        requestId: '9f1c0e6b2a7d4c3e8f5a1b0c2d3e4f5a', route: 'blob-upload', uploadUuid: '5b1e2a3c-9f0d-4e7a-8c6b-2d4f1e0a9b7c',
        digest: 'sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b',
      },
    },
    {
      title: 'JSON log_format (escape=json): every value a string, `"status": "200"`',
      lines: [
        String.raw`{"time_local":"02/May/2024:10:15:01 +0000","remote_addr":"198.51.100.20","remote_user":"","request":"HEAD /v2/acme/app/blobs/sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b HTTP/1.1","status": "307","body_bytes_sent":"0","request_time":"0.012","http_referrer":"","http_user_agent":"docker/24.0.7 go/go1.20.10 UpstreamClient(Docker-Client/24.0.7 \\(linux\\))"}`,
      ],
      event: {
        format: 'json', time: Date.UTC(2024, 4, 2, 10, 15, 1), method: 'HEAD', status: 307, bytes: 0, durationMs: 12,
        route: 'blob', repository: 'acme/app', clientAddress: '198.51.100.20',
        digest: 'sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b',
        userAgent: 'docker/24.0.7 go/go1.20.10 UpstreamClient(Docker-Client/24.0.7 \\(linux\\))',
      },
    },
    {
      title: 'a TLS handshake sent to the plain-HTTP port: the request is garbage, the status still counts',
      lines: [String.raw`198.51.100.66 - - [02/May/2024:10:20:00 +0000] "\x16\x03\x01\x00\xFC\x01\x00\x00\xF8\x03\x03" 400 157 "-" "-"`],
      event: { format: 'combined', status: 400, bytes: 157, message: String.raw`\x16\x03\x01\x00\xFC\x01\x00\x00\xF8\x03\x03` },
    },
    {
      title: 'a custom `combined` with $request_time and $request_length and an absolute-form URL (moby#43640, syslog peeled)',
      lines: [
        String.raw`198.51.100.30 - - [25/May/2022:05:52:06 +0000]  "GET https://registry.example.com/v2/ HTTP/1.1" 401 172 0.000 260 "-" "docker/20.10.12 go/go1.16.2 git-commit/20.10.12-0ubuntu2~20.04.1 kernel/5.4.0-113-generic os/linux arch/amd64 UpstreamClient(Docker-Client/20.10.12 \x5C(linux\x5C))" "-" "-"`,
      ],
      event: {
        format: 'combined-extended', status: 401, durationMs: 0, host: 'registry.example.com', path: '/v2/', route: 'base',
        uri: 'https://registry.example.com/v2/',
      },
    },
  ],
})
