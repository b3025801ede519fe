// Text access-log layouts: nginx `combined` and its common additions, Omnibus `gitlab_access` (8.0 to today),
// ingress-nginx's `log-format-upstream`. Formats: shared/spec/formats-nginx-rails-docker.md §1.2 and §1.4.
import type { ParsedFields } from '../../define-source.js'
import { parseCommonLogTime } from '../../fields/parse-time.js'
import type { NginxAccessEvent } from '../../log-event.js'
import type { Unparsed } from '../../unparsed-line.js'
import { decodeNginxEscapes } from './decode-nginx-escapes.js'
import { applyAccessFields, createAccessEvent } from './apply-access-fields.js'
import { tokenizeAccessTail, type AccessToken } from './tokenize-access-tail.js'

// The head every layout shares: `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent`.
// Each part ends at a delimiter its own class excludes, so the match is linear.
const REMOTE_ADDR = String.raw`(?<remoteAddr>\S+)` // IPv4, IPv6 (never split on ':') or a hostname
const REAL_IP = String.raw`(?:\[(?<realIp>[^\]\s]*)\] - )?` // ingress-nginx ≤ 0.2x: `- [$the_real_ip] -`
const REMOTE_USER = String.raw`(?<remoteUser>\S+)`
const TIME_LOCAL = String.raw`\[(?<timeLocal>[^\]]{1,40})\]`
const REQUEST = String.raw`"(?<request>[^"]*)"` // a literal quote is logged as \x22
const STATUS = String.raw`(?<status>\d{3})`
const BYTES = String.raw`(?<bytes>\d+|-)`
const TAIL = String.raw`(?<tail>(?: .*)?)`
const ACCESS_LINE = new RegExp(`^${REMOTE_ADDR} - ${REAL_IP}${REMOTE_USER} ${TIME_LOCAL} +${REQUEST} ${STATUS} ${BYTES}${TAIL}$`)

/** `$gzip_ratio`: `-`, or `%.2f`. `$request_time` has three decimals, which keeps `combined + $request_time` apart. */
const GZIP_RATIO = /^(?:-|\d{1,4}\.\d\d)$/
const REQUEST_TIME = /^\d{1,9}\.\d{3}$/

/** Cheap shape test for `sniff`: the shared head up to the quote that opens `$request`. */
export const ACCESS_HEAD = new RegExp(`^${REMOTE_ADDR} - ${REAL_IP}${REMOTE_USER} ${TIME_LOCAL} +"`)

/** Parses one text access line; `no-match` when the head is not there, `bad-timestamp` when `$time_local` is unreadable. */
export function parseAccessText(text: string): ParsedFields<NginxAccessEvent> | Unparsed {
  const head = ACCESS_LINE.exec(text)?.groups
  if (head === undefined) return { unparsed: 'no-match' }
  const time = parseCommonLogTime(head.timeLocal ?? '')
  if (time === undefined) return { unparsed: 'bad-timestamp' }
  const request = head.request ?? ''
  const tokens = tokenizeAccessTail(head.tail ?? '')
  const fields = Object.create(null) as Record<string, string>
  const firstQuoted = tokens.findIndex((token) => token.kind === 'quoted')
  const before = firstQuoted === -1 ? tokens : tokens.slice(0, firstQuoted)
  let rest = firstQuoted === -1 ? [] : tokens.slice(firstQuoted)
  const referer = rest[0]?.kind === 'quoted' ? rest[0].value : undefined
  const userAgent = rest[1]?.kind === 'quoted' ? rest[1].value : undefined
  rest = rest.slice(userAgent === undefined ? (referer === undefined ? 0 : 1) : 2)

  let format = referer === undefined ? 'common' : referer === '' ? 'gitlab-access' : 'combined'
  const event = createAccessEvent(format, request, fields)
  event.time = time
  const only = rest[0]
  if (before.length === 0 && rest.length === 1 && only?.kind === 'bare' && GZIP_RATIO.test(only.value)) {
    format = 'gitlab-access'
    fields.gzip_ratio = only.value
  } else if (rest.some((token) => token.kind === 'bracket')) {
    format = 'ingress-nginx'
    readIngressTail(rest, fields)
  } else if (before.length > 0 || rest.length > 0) {
    format = 'combined-extended'
    readExtraTokens([...before, ...rest], fields)
  }
  event.format = format
  if (head.realIp !== undefined && head.realIp !== '') fields.the_real_ip = head.realIp
  applyAccessFields(event, {
    remoteAddr: head.remoteAddr,
    remoteUser: head.remoteUser,
    request: decodeNginxEscapes(request),
    status: head.status,
    bytes: head.bytes,
    referer,
    userAgent,
  })
  return event
}

/**
 * ingress-nginx: `$request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name]
 * $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id`; releases before
 * 0.2x have no alternative name and no `$req_id`.
 */
function readIngressTail(tokens: readonly AccessToken[], fields: Record<string, string>): void {
  const bracket = tokens.findIndex((token) => token.kind === 'bracket')
  const lead = tokens.slice(0, bracket)
  if (lead.length === 2) {
    fields.request_length = lead[0]?.value ?? ''
    fields.request_time = lead[1]?.value ?? ''
  }
  fields.proxy_upstream_name = tokens[bracket]?.value ?? ''
  let next = bracket + 1
  if (tokens[next]?.kind === 'bracket') {
    fields.proxy_alternative_upstream_name = tokens[next]?.value ?? ''
    next++
  }
  const names = ['upstream_addr', 'upstream_response_length', 'upstream_response_time', 'upstream_status', 'req_id']
  for (const [i, token] of tokens.slice(next).entries()) fields[names[i] ?? `extra_${i - names.length + 1}`] = token.value
}

/**
 * Home-made additions to `combined`: the first extra quoted field is by convention `"$http_x_forwarded_for"`,
 * a three-decimal number is `$request_time`; anything else is kept by position (`extra_1`, …).
 */
function readExtraTokens(tokens: readonly AccessToken[], fields: Record<string, string>): void {
  let extra = 0
  for (const token of tokens) {
    if (token.kind === 'quoted' && fields.http_x_forwarded_for === undefined) fields.http_x_forwarded_for = token.value
    else if (token.kind === 'bare' && fields.request_time === undefined && REQUEST_TIME.test(token.value)) {
      fields.request_time = token.value
    } else fields[`extra_${++extra}`] = token.value
  }
}
