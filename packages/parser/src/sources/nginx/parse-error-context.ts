// The context NGINX's HTTP module appends to error-log messages (ngx_http_log_error_handler):
// `, client: <addr>, server: <name>, request: "<line>"[, subrequest: "<uri>"][, upstream: "<url>"], host: "<h>"[, referrer: "<r>"]`.
// Values are written raw (no escaping), so a quoted value ends only at `", <key>: ` or at the end of the line;
// lines cut at NGX_MAX_ERROR_STR (2048 bytes) just end, and the last value is kept as far as it goes.

/** The context keys NGINX writes (HTTP and stream modules), values as logged. */
export type ErrorContext = Partial<Record<string, string>>

const CONTEXT_START = ', client: '
const KEY = /[a-z][a-z _]{0,30}: /y

/** Index of `, client: ` that opens the context, or -1. The first one: the message comes before it. */
export function findErrorContext(text: string): number {
  return text.indexOf(CONTEXT_START)
}

function keyAt(text: string, at: number): string | undefined {
  KEY.lastIndex = at
  const m = KEY.exec(text)
  return m === null ? undefined : m[0].slice(0, -2)
}

/** Reads `key: value, key: "value", …` from `start` (which points at a key). Never throws; stops at anything unexpected. */
export function parseErrorContext(text: string, start: number): ErrorContext {
  const context: ErrorContext = Object.create(null) as ErrorContext
  let at = start
  while (at < text.length) {
    const key = keyAt(text, at)
    if (key === undefined) break
    at += key.length + 2
    let value: string
    if (text[at] === '"') {
      // Ends at the first `", ` that is followed by another key, else at a closing quote at the end of the line.
      let end = -1
      let search = at + 1
      for (;;) {
        const candidate = text.indexOf('", ', search)
        if (candidate === -1) break
        if (keyAt(text, candidate + 3) !== undefined) {
          end = candidate
          break
        }
        search = candidate + 1
      }
      if (end === -1) {
        // The last value: closed by the line's final quote, or cut with the line.
        context[key] = text.endsWith('"') && text.length > at + 1 ? text.slice(at + 1, -1) : text.slice(at + 1)
        break
      }
      value = text.slice(at + 1, end)
      at = end + 3
    } else {
      const end = text.indexOf(', ', at)
      value = end === -1 ? text.slice(at) : text.slice(at, end)
      at = end === -1 ? text.length : end + 2
    }
    context[key] = value
  }
  return context
}

/**
 * The peer part of an upstream URL: `http://[::1]:5000/v2/` → `[::1]:5000`,
 * `http://unix:/var/opt/gitlab/gitlab-workhorse/sockets/socket:/api/v4/…` → `unix:/var/opt/…/socket`,
 * a stream-module `1.2.3.4:443` → itself.
 */
export function parseUpstreamAddress(upstream: string): string {
  const scheme = upstream.indexOf('://')
  const rest = scheme === -1 ? upstream : upstream.slice(scheme + 3)
  if (rest.startsWith('unix:')) {
    const end = rest.indexOf(':', 5)
    return end === -1 ? rest : rest.slice(0, end)
  }
  const from = rest.startsWith('[') ? Math.max(rest.indexOf(']'), 0) : 0
  const slash = rest.indexOf('/', from)
  return slash === -1 ? rest : rest.slice(0, slash)
}
