// Undoes NGINX's `escape=default` log escaping (ngx_http_log_escape): `"` → `\x22`, `\` → `\x5C`, and every byte
// below 0x20 or from 0x7F up → `\xHH`. A UTF-8 character is escaped byte by byte, so runs of escaped bytes are
// gathered and decoded together (invalid sequences become U+FFFD, never an exception).
// Hand-written rather than `matchAll(/\\x([0-9A-Fa-f]{2})/g)`: docker's User-Agent carries `\x5C(linux\x5C)` on
// every line, and the match objects and the per-run Buffer made this a top self time of the access parser.

/** The value of a hex digit, or -1. */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48
  if (code >= 65 && code <= 70) return code - 55
  if (code >= 97 && code <= 102) return code - 87
  return -1
}

/** The byte of a `\xHH` escape at `at` (which holds `\x`), or -1 when two hex digits do not follow. */
function escapedByte(text: string, at: number): number {
  const high = hexDigit(text.charCodeAt(at + 2))
  const low = hexDigit(text.charCodeAt(at + 3))
  return high === -1 || low === -1 ? -1 : high * 16 + low
}

/** A run of escaped bytes as text: ASCII byte by byte, anything else decoded as UTF-8. */
function decodeRun(run: readonly number[]): string {
  if (!run.every((byte) => byte < 0x80)) return Buffer.from(run).toString('utf8')
  let ascii = ''
  for (const byte of run) ascii += String.fromCharCode(byte)
  return ascii
}

/** Decodes `\xHH` escapes as NGINX writes them in access logs; text without `\x` is returned as is. */
export function decodeNginxEscapes(text: string): string {
  let at = text.indexOf('\\x')
  if (at === -1) return text
  let out = ''
  let last = 0
  let run: number[] = []
  while (at !== -1) {
    const byte = escapedByte(text, at)
    if (byte === -1) {
      // Not an escape: look again from the next character, as a global RegExp would.
      at = text.indexOf('\\x', at + 1)
      continue
    }
    if (at !== last) {
      if (run.length > 0) out += decodeRun(run)
      run = []
      out += text.slice(last, at)
    }
    run.push(byte)
    last = at + 4
    at = text.indexOf('\\x', last)
  }
  if (run.length > 0) out += decodeRun(run)
  return out + text.slice(last)
}
