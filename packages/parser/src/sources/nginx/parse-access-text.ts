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
// Plain (numbered) groups: `groups` would allocate one more object per line on the hottest parse path.
const REMOTE_ADDR = String.raw`(\S+)` // IPv4, IPv6 (never split on ':') or a hostname
const REAL_IP = String.raw`(?:\[([^\]\s]*)\] - )?` // ingress-nginx ≤ 0.2x: `- [$the_real_ip] -`
const REMOTE_USER = String.raw`(\S+)`
const TIME_LOCAL = String.raw`\[([^\]]{1,40})\]`
const REQUEST = String.raw`"([^"]*)"` // a literal quote is logged as \x22
const STATUS = String.raw`(\d{3})`
const BYTES = String.raw`(\d+|-)`
const TAIL = String.raw`((?: .*)?)`
const ACCESS_LINE = new RegExp(`^${REMOTE_ADDR} - ${REAL_IP}${REMOTE_USER} ${TIME_LOCAL} +${REQUEST} ${STATUS} ${BYTES}${TAIL}$`)
// Group numbers of ACCESS_LINE, in the order of the parts above.
const REMOTE_ADDR_GROUP = 1
const REAL_IP_GROUP = 2
const REMOTE_USER_GROUP = 3
const TIME_LOCAL_GROUP = 4
const REQUEST_GROUP = 5
const STATUS_GROUP = 6
const BYTES_GROUP = 7
const TAIL_GROUP = 8

/** `$gzip_ratio`: `-`, or `%.2f`. `$request_time` has three decimals, which keeps `combined + $request_time` apart. */
const GZIP_RATIO = /^(?:-|\d{1,4}\.\d\d)$/
const REQUEST_TIME = /^\d{1,9}\.\d{3}$/

/** Cheap shape test for `sniff`: the shared head up to the quote that opens `$request`. */
export const ACCESS_HEAD = new RegExp(`^${REMOTE_ADDR} - ${REAL_IP}${REMOTE_USER} ${TIME_LOCAL} +"`)

/** Parses one text access line; `no-match` when the head is not there, `bad-timestamp` when `$time_local` is unreadable. */
export function parseAccessText(text: string): ParsedFields<NginxAccessEvent> | Unparsed {
  const head = ACCESS_LINE.exec(text)
  if (head === null) return { unparsed: 'no-match' }
  const time = parseCommonLogTime(head[TIME_LOCAL_GROUP] ?? '')
  if (time === undefined) return { unparsed: 'bad-timestamp' }
  const request = head[REQUEST_GROUP] ?? ''
  const tokens = tokenizeAccessTail(head[TAIL_GROUP] ?? '')
  const fields = Object.create(null) as Record<string, string>
  // Tokens before the first quoted one are extras; the quoted referer and User-Agent follow, then the rest.
  let firstQuoted = 0
  while (firstQuoted < tokens.length && tokens[firstQuoted]?.kind !== 'quoted') firstQuoted++
  const referer = tokens[firstQuoted]?.value
  const userAgentToken = tokens[firstQuoted + 1]
  const userAgent = referer !== undefined && userAgentToken?.kind === 'quoted' ? userAgentToken.value : undefined
  const restStart = firstQuoted + (userAgent === undefined ? (referer === undefined ? 0 : 1) : 2)
  const restLength = tokens.length - restStart

  let format = referer === undefined ? 'common' : referer === '' ? 'gitlab-access' : 'combined'
  const event = createAccessEvent(format, request, fields)
  event.time = time
  const only = tokens[restStart]
  // No extra token, or Omnibus' `$gzip_ratio` alone: `fields` gets nothing else (but `the_real_ip`, below).
  let onlyGzipRatio = firstQuoted === 0 && restLength === 0
  if (firstQuoted === 0 && restLength === 1 && only?.kind === 'bare' && GZIP_RATIO.test(only.value)) {
    format = 'gitlab-access'
    fields.gzip_ratio = only.value
    onlyGzipRatio = true
  } else if (restLength > 0 && tokens.some((token, i) => i >= restStart && token.kind === 'bracket')) {
    format = 'ingress-nginx'
    readIngressTail(tokens.slice(restStart), fields)
  } else if (firstQuoted > 0 || restLength > 0) {
    format = 'combined-extended'
    readExtraTokens([...tokens.slice(0, firstQuoted), ...tokens.slice(restStart)], fields)
  }
  event.format = format
  const realIp = head[REAL_IP_GROUP]
  if (realIp !== undefined && realIp !== '') {
    fields.the_real_ip = realIp
    onlyGzipRatio = false
  }
  applyAccessFields(event, {
    onlyGzipRatio,
    remoteAddr: head[REMOTE_ADDR_GROUP],
    remoteUser: head[REMOTE_USER_GROUP],
    request: decodeNginxEscapes(request),
    status: head[STATUS_GROUP],
    bytes: head[BYTES_GROUP],
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
