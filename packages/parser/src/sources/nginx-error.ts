/**
 * NGINX error log: `YYYY/MM/DD HH:MM:SS [level] pid#tid: *conn message[ while action], client: …, server: …,
 * request: "…"[, subrequest: "…"][, upstream: "…"], host: "…"[, referrer: "…"]`, with or without the
 * connection (startup lines have none) and cut at 2048 bytes. Format: shared/spec/formats-nginx-rails-docker.md §1.3;
 * https://nginx.org/en/docs/ngx_core_module.html#error_log
 */
import { defineSource, type ParsedFields } from '../define-source.js'
import { assignRequest } from '../fields/parse-request-line.js'
import { parseSvlogdTime } from '../fields/parse-time.js'
import type { LogLevel, NginxErrorEvent } from '../log-event.js'
import { findErrorContext, parseErrorContext, parseUpstreamAddress } from './nginx/parse-error-context.js'

const LEVELS: Record<string, LogLevel> = {
  debug: 'debug', info: 'info', notice: 'notice', warn: 'warning', error: 'error', crit: 'fatal', alert: 'fatal', emerg: 'fatal',
}

// The date is optional only because the GitLab docs quote lines starting at `[error]`.
// Plain (numbered) groups, numbered below: a `groups` object per line showed in the profile of this parser.
const DATE = String.raw`(?:(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) )?`
const LEVEL = String.raw`\[(debug|info|notice|warn|error|crit|alert|emerg)\]`
const PROCESS = String.raw`(\d{1,10})#(\d{1,20}): `
const CONNECTION = String.raw`(?:\*(\d{1,20}) )?`
const ERROR_LINE = new RegExp(`^${DATE}${LEVEL} ${PROCESS}${CONNECTION}(.*)$`)
const DATE_GROUP = 1
const LEVEL_GROUP = 2
const PID_GROUP = 3
const CONNECTION_GROUP = 5
const MESSAGE_GROUP = 6
const CONTEXT_ONLY = /^(?:client|request|upstream|host): /
const ERRNO = /\((?<errno>\d{1,5}): [^)]{1,80}\)/

function fromContext(event: ParsedFields<NginxErrorEvent>, text: string, start: number): void {
  const context = parseErrorContext(text, start)
  if (context.client !== undefined) event.clientAddress = context.client
  if (context.server !== undefined) event.server = context.server
  if (context.request !== undefined) {
    event.request = context.request
    assignRequest(event, context.request)
  }
  if (context.upstream !== undefined) {
    event.upstream = context.upstream
    event.upstreamAddress = parseUpstreamAddress(context.upstream)
  }
  // `host:` is the Host header, more accurate than an absolute-form request target.
  if (context.host !== undefined) event.host = context.host
  if (context.referrer !== undefined) event.referer = context.referrer
}

/** NGINX error log lines. */
export const nginxError = defineSource<NginxErrorEvent>({
  id: 'nginx-error',
  description: 'NGINX error log (Omnibus gitlab_registry_error.log, nginx/current, distro error.log)',
  fileNames: [
    /(?:^|\/)nginx\/(?:current|[^/]*error[^/]*)$/,
    /(?:^|\/)(?:gitlab_registry_error|gitlab_error|error)\.log(?:\.\d+)?(?:\.gz)?$/,
  ],
  sniff(text) {
    if (!ERROR_LINE.test(text)) return CONTEXT_ONLY.test(text) && text.includes(', host: "') ? 0.5 : 0
    return text.startsWith('[') ? 0.8 : 0.95
  },
  parse(record) {
    const text = record.text
    if (text.trim() === '') return { unparsed: 'empty' }
    const head = ERROR_LINE.exec(text)
    if (head === null) {
      if (!CONTEXT_ONLY.test(text)) return { unparsed: 'no-match' }
      const event: ParsedFields<NginxErrorEvent> = { source: 'nginx-error', format: 'error-context', message: '' }
      fromContext(event, text, 0)
      return event
    }
    const event: ParsedFields<NginxErrorEvent> = {
      source: 'nginx-error',
      format: head[DATE_GROUP] === undefined ? 'error-log-no-time' : 'error-log',
      message: '',
      pid: Number(head[PID_GROUP]),
    }
    const date = head[DATE_GROUP]
    if (date !== undefined) {
      const time = parseSvlogdTime(date)
      if (time === undefined) return { unparsed: 'bad-timestamp' }
      event.time = time
    }
    const level = LEVELS[head[LEVEL_GROUP] ?? '']
    if (level !== undefined) event.level = level
    const connection = head[CONNECTION_GROUP]
    if (connection !== undefined) event.connectionId = Number(connection)
    const body = head[MESSAGE_GROUP] ?? ''
    const context = findErrorContext(body)
    const message = context === -1 ? body : body.slice(0, context)
    event.message = message
    const action = message.lastIndexOf(' while ')
    if (action !== -1) event.action = message.slice(action + 7)
    const errno = ERRNO.exec(message)?.groups?.errno
    if (errno !== undefined) event.errno = Number(errno)
    if (context !== -1) fromContext(event, body, context + 2)
    return event
  },
  examples: [
    {
      title: 'IPv6 loopback upstream refused, as quoted in the GitLab troubleshooting docs (no date)',
      lines: [
        '[error] 1201#0: *13442797 connect() failed (111: Connection refused) while connecting to upstream, client: x.x.x.x, server: registry.example.com, request: "GET /v2/<path> HTTP/1.1", upstream: "http://[::1]:5000/v2/<path>", host: "registry.example.com:5005"',
      ],
      event: {
        source: 'nginx-error', format: 'error-log-no-time', level: 'error', pid: 1201, connectionId: 13442797,
        message: 'connect() failed (111: Connection refused) while connecting to upstream', action: 'connecting to upstream',
        errno: 111, clientAddress: 'x.x.x.x', server: 'registry.example.com', request: 'GET /v2/<path> HTTP/1.1',
        method: 'GET', uri: '/v2/<path>', protocol: 'HTTP/1.1', upstream: 'http://[::1]:5000/v2/<path>',
        upstreamAddress: '[::1]:5000', host: 'registry.example.com:5005',
      },
    },
    {
      title: 'the tail of the docs\' wrapped line: context only',
      lines: ['request: "GET /v2/ HTTP/1.1", upstream: "http://[::1]:5000/v2/", host: "registry.example.com:5005"'],
      event: {
        format: 'error-context', request: 'GET /v2/ HTTP/1.1', route: 'base', upstreamAddress: '[::1]:5000',
        host: 'registry.example.com:5005',
      },
    },
    {
      title: 'distro nginx, IPv6 upstream on a custom port (gitlab#247510)',
      lines: [
        '2020/09/10 08:19:35 [error] 35832#35832: *2398985 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.167, server: registry.example.com, request: "GET /v2/bla/bla/bla/manifests/some_tag HTTP/1.1", upstream: "http://[::1]:15000/v2/bla/bla/bla/manifests/some_tag", host: "registry.example.com"',
      ],
      event: {
        format: 'error-log', time: Date.UTC(2020, 8, 10, 8, 19, 35), pid: 35832, connectionId: 2398985, errno: 111,
        route: 'manifest', repository: 'bla/bla/bla', reference: 'some_tag', upstreamAddress: '[::1]:15000',
        clientAddress: '192.0.2.167', host: 'registry.example.com',
      },
    },
    {
      title: 'upstream timed out on a blob upload (→ 504)',
      lines: [
        '2024/05/02 10:31:07 [error] 2210#0: *88121 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 198.51.100.14, server: registry.example.com, request: "PUT /v2/acme/app/blobs/uploads/3f0d6c2a-7d1e-4b59-9a0e-7c7b3c1d2e4f?_state=Vt7XbV0o&digest=sha256%3A6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b HTTP/1.1", upstream: "http://127.0.0.1:5000/v2/acme/app/blobs/uploads/3f0d6c2a-7d1e-4b59-9a0e-7c7b3c1d2e4f?_state=Vt7XbV0o&digest=sha256%3A6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b", host: "registry.example.com"',
      ],
      event: {
        errno: 110, action: 'reading response header from upstream', method: 'PUT', route: 'blob-upload',
        uploadUuid: '3f0d6c2a-7d1e-4b59-9a0e-7c7b3c1d2e4f', upstreamAddress: '127.0.0.1:5000',
        digest: 'sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b',
      },
    },
    {
      title: 'upstream prematurely closed connection (→ 502), with a referrer',
      lines: [
        '2024/05/02 10:32:00 [error] 2210#0: *88200 upstream prematurely closed connection while reading response header from upstream, client: 198.51.100.14, server: registry.example.com, request: "PATCH /v2/acme/app/blobs/uploads/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b?_state=AbCd HTTP/1.1", upstream: "http://127.0.0.1:5000/v2/acme/app/blobs/uploads/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b?_state=AbCd", host: "registry.example.com", referrer: "https://gitlab.example.com/"',
      ],
      event: { level: 'error', method: 'PATCH', referer: 'https://gitlab.example.com/', host: 'registry.example.com' },
    },
    {
      title: 'startup failure: [emerg] without a connection',
      lines: ['2024/05/02 06:00:01 [emerg] 512#0: bind() to 0.0.0.0:5005 failed (98: Address already in use)'],
      event: { level: 'fatal', pid: 512, errno: 98, message: 'bind() to 0.0.0.0:5005 failed (98: Address already in use)' },
    },
    {
      title: 'Workhorse over a unix socket (GitLab vhost)',
      lines: [
        '2024/05/02 10:40:12 [crit] 2210#0: *9001 connect() to unix:/var/opt/gitlab/gitlab-workhorse/sockets/socket failed (2: No such file or directory) while connecting to upstream, client: 198.51.100.14, server: gitlab.example.com, request: "GET /jwt/auth?service=container_registry HTTP/1.1", upstream: "http://unix:/var/opt/gitlab/gitlab-workhorse/sockets/socket:/jwt/auth?service=container_registry", host: "gitlab.example.com"',
      ],
      event: {
        level: 'fatal', errno: 2, route: 'jwt-auth', upstreamAddress: 'unix:/var/opt/gitlab/gitlab-workhorse/sockets/socket',
      },
    },
  ],
})
