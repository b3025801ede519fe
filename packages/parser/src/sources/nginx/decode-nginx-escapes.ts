// Undoes NGINX's `escape=default` log escaping (ngx_http_log_escape): `"` → `\x22`, `\` → `\x5C`, and every byte
// below 0x20 or from 0x7F up → `\xHH`. A UTF-8 character is escaped byte by byte, so runs of escaped bytes are
// gathered and decoded together (invalid sequences become U+FFFD, never an exception).

const ESCAPE = /\\x([0-9A-Fa-f]{2})/g

/** Decodes `\xHH` escapes as NGINX writes them in access logs; text without `\x` is returned as is. */
export function decodeNginxEscapes(text: string): string {
  if (!text.includes('\\x')) return text
  let out = ''
  let last = 0
  let run: number[] = []
  const flush = (): void => {
    if (run.length === 0) return
    out += Buffer.from(run).toString('utf8')
    run = []
  }
  for (const m of text.matchAll(ESCAPE)) {
    const at = m.index
    if (at !== last) {
      flush()
      out += text.slice(last, at)
    }
    run.push(Number.parseInt(m[1] ?? '0', 16))
    last = at + m[0].length
  }
  flush()
  return out + text.slice(last)
}
