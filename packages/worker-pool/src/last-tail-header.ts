// `gitlab-ctl tail` (and `tail -F` over several files) writes one stream of many logs, each run under a
// `==> <path> <==` header, also when read through `docker logs -t` or compose. The pool parses such a stream in
// batches on separate workers, so a batch that starts after a header must be told which file its lines come
// from; the header itself is in an earlier batch.
import { unwrapLine } from '@registry-logscan/parser'

const HEADER_END = Buffer.from(' <==')
/** Bytes of a header line looked at: a path, plus any prefix a wrapper puts before it. */
const MAX_HEADER_BYTES = 4096

/** The path the last `==> <path> <==` line of `bytes` names, found as the parser finds it (under any wrapper). */
export function lastTailHeader(bytes: Uint8Array): string | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let at = buffer.lastIndexOf(HEADER_END); at !== -1; at = at === 0 ? -1 : buffer.lastIndexOf(HEADER_END, at - 1)) {
    const after = at + HEADER_END.length
    // The header ends its line (a CR of CRLF aside).
    if (after < buffer.length && buffer[after] !== 0x0a && !(buffer[after] === 0x0d && buffer[after + 1] === 0x0a)) continue
    const start = buffer.lastIndexOf(0x0a, at) + 1
    if (after - start > MAX_HEADER_BYTES) continue
    const path = unwrapLine(buffer.toString('utf8', start, after)).tailHeader
    if (path !== undefined) return path
  }
  return undefined
}
