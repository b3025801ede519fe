// The response half of a mitmproxy flow listing: mitmdump's ` << [HTTP/2.0 ]200 OK 1.2k` (sizes from
// mitmproxy.utils.human.pretty_size: `0b`, `169b`, `1.2k`, older `169B`; `(content missing)`), a flow error
// ` << Connection killed`, and the console's `← 307 application/octet-stream [no content] 93ms` (`<-` in ASCII).

/** What a response line says. `error` is set instead of `status` when the flow failed without a response. */
export interface FlowResponse {
  status?: number
  protocol?: string
  reason?: string
  contentType?: string
  bytes?: number
  durationMs?: number
  error?: string
}

/** A response line: optional `[replay]`, the arrow, then the rest (group `rest`). */
export const RESPONSE_LINE = /^\s*(?:\[replay\]\s*)?(?:<<|←|<-)(?<rest>(?:\s.*)?)$/

const STATUS = /^(?:(?<protocol>HTTP\/\d(?:\.\d)?) )?(?<status>\d{3})(?: |$)/
const DURATION = / (?<value>\d{1,9}(?:\.\d{1,6})?)(?<unit>ms|s)$/
const SIZE = / (?<value>\d{1,15}(?:\.\d{1,6})?) ?(?<unit>[kmgtKMGT]?)(?:i?[bB]|bytes)?$/
const NO_CONTENT = ' [no content]'
const CONTENT_MISSING = /\s[([]content missing[)\]]$/
const CONTENT_TYPE = /^[\w.+-]{1,64}\/[\w.+-]{1,128}(?:;\S*)?$/

const UNIT: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }

/** Reads the text after the arrow. Sizes are rounded to whole bytes (`1.2k` → 1229: the listing is approximate). */
export function parseFlowResponse(rest: string): FlowResponse {
  const text = rest.trim()
  const head = STATUS.exec(text)
  if (head?.groups === undefined) return text === '' ? {} : { error: text }
  const response: FlowResponse = { status: Number(head.groups.status) }
  if (head.groups.protocol !== undefined) response.protocol = head.groups.protocol
  // Peel from the right: duration (console only), then the size, leaving content type and/or reason.
  let body = ` ${text.slice(head[0].length)}`.trimEnd()
  const duration = DURATION.exec(body)
  if (duration?.groups !== undefined) {
    const value = Number(duration.groups.value)
    response.durationMs = duration.groups.unit === 's' ? Math.round(value * 1e6) / 1e3 : value
    body = body.slice(0, duration.index)
  }
  if (body.endsWith(NO_CONTENT)) {
    response.bytes = 0
    body = body.slice(0, -NO_CONTENT.length)
  } else if (CONTENT_MISSING.test(body)) {
    body = body.replace(CONTENT_MISSING, '')
  } else {
    const size = SIZE.exec(body)
    if (size?.groups !== undefined) {
      response.bytes = Math.round(Number(size.groups.value) * (UNIT[(size.groups.unit ?? '').toLowerCase()] ?? 1))
      body = body.slice(0, size.index)
    }
  }
  const words = body.trim()
  const firstSpace = words.indexOf(' ')
  const first = firstSpace === -1 ? words : words.slice(0, firstSpace)
  if (CONTENT_TYPE.test(first)) {
    response.contentType = first
    const reason = firstSpace === -1 ? '' : words.slice(firstSpace + 1).trim()
    if (reason !== '') response.reason = reason
  } else if (words !== '') {
    response.reason = words
  }
  return response
}
