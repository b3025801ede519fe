/**
 * HTTP flows captured by mitmproxy, as the GitLab docs have operators record them ("Unexpected 403 error during
 * push"): mitmdump's listing (`127.0.0.1:51234: GET https://… [HTTP/2.0]` then `     << [HTTP/2.0 ]200 OK 1.2k`;
 * before 1.0 a bare client IP and ` << 302 Found 169B`) and the console trace the docs quote (`HEAD https://…`
 * then `    ← 307 application/octet-stream [no content] 93ms`). The response line is joined to its request by
 * `continues`, as are the indented header lines of `--flow-detail 2`. Formats: shared/spec/formats-proxy.md;
 * mitmproxy/addons/dumper.py (`_echo_request_line`, `_echo_response_line`).
 */
import { defineSource, type LogRecord, type ParsedFields } from '../define-source.js'
import { assignRequestTarget, type RequestTargetFields } from '../fields/parse-request-line.js'
import type { ProxyEvent } from '../log-event.js'
import { parseFlowResponse, RESPONSE_LINE, type FlowResponse } from './proxy/parse-flow-response.js'

// mitmproxy ≥ 9 may prefix a wall-clock time `[12:34:56.789]` (no date, so no event time).
const CLOCK = String.raw`(?:\[\d\d:\d\d:\d\d(?:\.\d{1,6})?\] ?)?`
// `127.0.0.1:51234: ` / `[::1]:51234: ` / `[replay]: ` (mitmdump ≥ 1.0), a bare address and a space (0.x), or none (console).
const CLIENT = String.raw`(?:([^\s]{0,64}?): |(\S{1,64}) )?`
const METHOD = String.raw`([A-Z][A-Z0-9_-]{0,31})(?: PUSH_PROMISE)?`
const URL = String.raw`([a-z][a-z0-9+.-]{0,15}://\S+|/\S*)`
const VERSION = String.raw`(?: (HTTP/\d(?:\.\d)?))?`
// Plain (numbered) groups: a `groups` object per request line showed in this parser's profile.
const REQUEST_LINE = new RegExp(`^${CLOCK}${CLIENT}${METHOD} ${URL}${VERSION}$`)
const CLIENT_GROUP = 1
const BARE_CLIENT_GROUP = 2
const METHOD_GROUP = 3
const URL_GROUP = 4
const PROTOCOL_GROUP = 5
// Connection events mitmdump prints between flows (`127.0.0.1:51234: client connect`, `[…][127.0.0.1:51234] server connect …`).
const CONNECTION_LINE = new RegExp(
  String.raw`^${CLOCK}(?:\[(?<bracketClient>\[[^\]\s]{1,45}\](?::\d{1,5})?|[^\]\s]{1,64})\] |(?<client>\S{1,64}): )(?<message>(?:client|server) (?:connect|disconnect)(?: .*)?)$`,
)
const LISTENING_LINE = /^(?:\[[\d:.]{8,15}\] ?)?(?:HTTP\(S\) proxy|Proxy server) listening at /
const HEADER_LINE = /^\s{2,}\S/
const CONTENT_TYPE_HEADER = /^\s+content-type: (\S.*)$/i
const ELLIPSIS = '…'
const STORAGE_PREFIX = '/docker/registry/v2/blobs/'
/** A flow with its headers is a few dozen lines; past this a line is not part of it. */
const MAX_FLOW_LINES = 200

function firstLine(text: string): string {
  const end = text.indexOf('\n')
  return end === -1 ? text : text.slice(0, end)
}

/** `127.0.0.1:51234` → `127.0.0.1`, `[::1]:51234` → `::1`, `[replay]` → undefined, a bare address stays. */
function clientAddress(client: string): string | undefined {
  if (client === '' || client === '[replay]') return undefined
  if (client.startsWith('[')) {
    const end = client.indexOf(']')
    return end === -1 ? client : client.slice(1, end)
  }
  const colon = client.lastIndexOf(':')
  return colon !== -1 && client.indexOf(':') === colon && /^\d{1,5}$/.test(client.slice(colon + 1)) ? client.slice(0, colon) : client
}

/** The path and query of a URL: the host is in `host`, the whole URL in `url`. */
function originForm(url: string): string {
  if (url.startsWith('/')) return url
  const slash = url.indexOf('/', url.indexOf('://') + 3)
  return slash === -1 ? '/' : url.slice(slash)
}

function parseConnectionLine(text: string): ParsedFields<ProxyEvent> | undefined {
  const m = CONNECTION_LINE.exec(text)?.groups
  if (m !== undefined) {
    const event: ParsedFields<ProxyEvent> = { source: 'proxy', format: 'mitmdump-log', message: m.message ?? '', url: '', truncated: false }
    const address = clientAddress(m.bracketClient ?? m.client ?? '')
    if (address !== undefined) event.clientAddress = address
    return event
  }
  if (LISTENING_LINE.test(text)) return { source: 'proxy', format: 'mitmdump-log', message: text.trim(), url: '', truncated: false }
  return undefined
}

function parseFlow(record: LogRecord): ParsedFields<ProxyEvent> | undefined {
  // Lines walked with indexOf rather than `split('\n')`: the split was the top line of this parser's profile.
  const text = record.text
  const first = firstLine(text)
  const request = REQUEST_LINE.exec(first.trimEnd())
  if (request === null) return undefined
  const client = request[CLIENT_GROUP] ?? request[BARE_CLIENT_GROUP]
  const format = request[CLIENT_GROUP] !== undefined ? 'mitmdump' : request[BARE_CLIENT_GROUP] !== undefined ? 'mitmdump-legacy' : 'mitmproxy-console'
  let url = request[URL_GROUP] ?? ''
  const truncated = url.endsWith(ELLIPSIS)
  if (truncated) url = url.slice(0, -ELLIPSIS.length)
  const event: ParsedFields<ProxyEvent> = {
    source: 'proxy',
    format,
    message: first.trim(),
    url,
    truncated,
    method: request[METHOD_GROUP] ?? '',
  }
  if (truncated) assignTruncatedTarget(event, url)
  else assignRequestTarget(event, url)
  event.uri = originForm(url)
  // The storage hop of an S3 redirect is what a cut URL most often is; keep it recognisable without its digest.
  if (truncated && event.route === 'other' && event.path?.includes(STORAGE_PREFIX) === true) event.route = 'storage'
  const protocol = request[PROTOCOL_GROUP]
  if (protocol !== undefined) event.protocol = protocol
  const address = client === undefined ? undefined : clientAddress(client)
  if (address !== undefined) event.clientAddress = address
  let responded = false
  for (let start = first.length + 1; start <= text.length; ) {
    const end = text.indexOf('\n', start)
    const line = end === -1 ? text.slice(start) : text.slice(start, end)
    const response = responded ? null : RESPONSE_LINE.exec(line)
    if (response !== null) {
      responded = true
      event.message += ` ${line.trim()}`
      addResponse(event, parseFlowResponse(response.groups?.rest ?? ''))
    } else if (responded && event.contentType === undefined) {
      // --flow-detail 2: response headers follow the response line.
      const header = CONTENT_TYPE_HEADER.exec(line)?.[1]
      if (header !== undefined) event.contentType = header.trim()
    }
    if (end === -1) break
    start = end + 1
  }
  return event
}

/**
 * A cut URL's last value is incomplete: whatever was read from the cut part (the path's last segment, or an
 * upload PUT's `digest=` query) would be wrong. A cut storage URL keeps its digest: it sits before the query.
 * The fields are read into a scratch object and the wrong ones dropped there: `delete` on the event itself
 * would turn it into a slow dictionary object.
 */
function assignTruncatedTarget(event: ParsedFields<ProxyEvent>, url: string): void {
  const target: RequestTargetFields = assignRequestTarget({}, url)
  if (!url.includes('?')) {
    delete target.digest
    delete target.reference
    delete target.uploadUuid
  } else if (target.route === 'blob-upload') {
    delete target.digest
  }
  Object.assign(event, target)
}

/** The response line's fields, in the order `parseFlowResponse` sets them (what an `Object.assign` would do). */
function addResponse(event: ParsedFields<ProxyEvent>, response: FlowResponse): void {
  if (response.protocol !== undefined) event.protocol ??= response.protocol
  if (response.status !== undefined) event.status = response.status
  if (response.durationMs !== undefined) event.durationMs = response.durationMs
  if (response.bytes !== undefined) event.bytes = response.bytes
  if (response.contentType !== undefined) event.contentType = response.contentType
  if (response.reason !== undefined) event.reason = response.reason
  // A flow that failed has no status; mitmproxy's error text (`Connection killed`) stands in for the reason.
  if (response.error !== undefined) event.reason = response.error
}

// `continues` is asked once per following line with the same open record, whose first line never changes:
// the verdict on that line is kept, and reused while a record starts with the same line. Re-running
// REQUEST_LINE on it for every line was a tenth of a profile of this parser.
let lastFirstLine = ''
let lastOpensFlow = false

/** Whether the record's first line is a flow's request line. */
function opensFlow(record: LogRecord): boolean {
  const text = record.text
  const known = lastFirstLine.length
  if (known === 0 || !text.startsWith(lastFirstLine) || (text.length !== known && text.charCodeAt(known) !== 10)) {
    lastFirstLine = firstLine(text)
    lastOpensFlow = REQUEST_LINE.test(lastFirstLine.trimEnd())
  }
  return lastOpensFlow
}

/** HTTP flows as listed by mitmdump and the mitmproxy console. */
export const proxy = defineSource<ProxyEvent>({
  id: 'proxy',
  description: 'mitmproxy captures: mitmdump flow listings (all versions) and the console trace quoted in the GitLab docs',
  fileNames: [/(?:^|\/)[^/]*(?:mitm|proxy)[^/]*\.(?:log|txt|out)$/],
  sniff(text) {
    const request = REQUEST_LINE.exec(text)
    if (request !== null) return request[CLIENT_GROUP] !== undefined ? 0.85 : request[URL_GROUP]?.startsWith('/') === true ? 0.2 : 0.6
    if (/^\s*(?:<<|←|<-) (?:HTTP\/\d(?:\.\d)? )?\d{3} /.test(text)) return 0.7
    return CONNECTION_LINE.test(text) || LISTENING_LINE.test(text) ? 0.6 : 0
  },
  continues(text: string, record: LogRecord): boolean {
    if (record.lineCount >= MAX_FLOW_LINES || !opensFlow(record)) return false
    return RESPONSE_LINE.test(text) || HEADER_LINE.test(text)
  },
  parse(record) {
    if (record.text.trim() === '') return { unparsed: 'empty' }
    return parseFlow(record) ?? parseConnectionLine(record.text) ?? { unparsed: 'no-match' }
  },
  examples: [
    {
      title: 'console trace from the docs: the blob upload PUT answered 201',
      lines: [
        'PUT https://example.s3.amazonaws.com:4567/v2/root/docker-test/blobs/uploads/(UUID)/(QUERYSTRING)',
        '    ← 201 text/plain [no content] 661ms',
      ],
      event: {
        source: 'proxy', format: 'mitmproxy-console', method: 'PUT', status: 201, contentType: 'text/plain', bytes: 0,
        // The docs' `(UUID)/(QUERYSTRING)` placeholders add a path segment, so no upload route is recognised.
        durationMs: 661, host: 'example.s3.amazonaws.com:4567', route: 'other-v2',
        url: 'https://example.s3.amazonaws.com:4567/v2/root/docker-test/blobs/uploads/(UUID)/(QUERYSTRING)', truncated: false,
      },
    },
    {
      title: 'console trace from the docs: the blob HEAD redirected to object storage',
      lines: [
        'HEAD https://example.s3.amazonaws.com:4567/v2/root/docker-test/blobs/sha256:(SHA)',
        '    ← 307 application/octet-stream [no content] 93ms',
      ],
      event: {
        method: 'HEAD', status: 307, contentType: 'application/octet-stream', durationMs: 93, route: 'blob',
        repository: 'root/docker-test', uri: '/v2/root/docker-test/blobs/sha256:(SHA)',
      },
    },
    {
      title: 'console trace from the docs: the storage HEAD refused (placeholders, so no storage route)',
      lines: [
        'HEAD https://amazonaws.example.com/docker/registry/vs/blobs/sha256/dd/(UUID)/data(QUERYSTRING)',
        '    ← 403 application/xml [no content] 80ms',
      ],
      event: { method: 'HEAD', status: 403, contentType: 'application/xml', bytes: 0, durationMs: 80, host: 'amazonaws.example.com' },
    },
    {
      title: 'mitmdump 0.x listing (mitmproxy#262): bare client address, ` << 302 Found 169B`',
      lines: ['124.x.xxx.xx POST https://www.namecheap.com/myaccount/login.aspx', ' << 302 Found 169B'],
      event: { format: 'mitmdump-legacy', clientAddress: '124.x.xxx.xx', method: 'POST', status: 302, reason: 'Found', bytes: 169 },
    },
    {
      title: 'mitmdump ≥ 7: the storage HEAD of an S3 redirect answered 403 with an empty body',
      lines: [
        '[::1]:40112: HEAD https://s3.example.com/docker/registry/v2/blobs/sha256/6c/6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b/data?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=1200',
        '              << 403 Forbidden 0b',
      ],
      event: {
        format: 'mitmdump', clientAddress: '::1', status: 403, reason: 'Forbidden', bytes: 0, route: 'storage',
        digest: 'sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b', host: 's3.example.com',
      },
    },
    {
      title: 'mitmdump ≥ 8 with HTTP/2: versions on both lines, size `1.2k`',
      lines: ['127.0.0.1:51234: GET https://registry.example.com/v2/acme/app/tags/list HTTP/2.0', '     << HTTP/2.0 200 OK 1.2k'],
      event: { protocol: 'HTTP/2.0', status: 200, reason: 'OK', bytes: 1229, route: 'tags-list', repository: 'acme/app' },
    },
    {
      title: 'mitmdump default flow detail: a URL cut with `…`, and a flow killed before its response',
      lines: ['127.0.0.1:51234: PATCH https://registry.example.com/v2/acme/app/blobs/uploads/3f0d6c2a-7d1e…', '  << Connection killed'],
      event: {
        truncated: true, url: 'https://registry.example.com/v2/acme/app/blobs/uploads/3f0d6c2a-7d1e', route: 'blob-upload',
        reason: 'Connection killed',
      },
    },
    {
      title: 'mitmdump connection event between flows',
      lines: ['127.0.0.1:51234: client connect'],
      event: { format: 'mitmdump-log', message: 'client connect', clientAddress: '127.0.0.1', url: '' },
    },
  ],
})
