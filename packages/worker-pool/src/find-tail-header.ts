// `gitlab-ctl tail` (and `tail -F` over several files) writes one stream of many logs, each run under a
// `==> <path> <==` header. The pool parses such a stream in batches on separate workers, so a batch that starts
// after a header must be told which file its lines come from; the header itself is in an earlier batch.

const HEADER_START = Buffer.from('==> ')
const HEADER_END = ' <=='

/** Whether the first batch of a stream shows it is a `tail` of several files (only then are batches searched). */
export function isTailStream(firstBatch: Uint8Array): boolean {
  return lastTailHeader(firstBatch) !== undefined
}

/** The path the last `==> <path> <==` line of `bytes` names, if any. */
export function lastTailHeader(bytes: Uint8Array): string | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let at = buffer.lastIndexOf(HEADER_START); at !== -1; at = at === 0 ? -1 : buffer.lastIndexOf(HEADER_START, at - 1)) {
    if (at > 0 && buffer[at - 1] !== 0x0a) continue
    const newline = buffer.indexOf(0x0a, at)
    const line = buffer.toString('utf8', at, newline === -1 ? buffer.length : newline).replace(/\r$/, '')
    if (line.endsWith(HEADER_END) && line.length > HEADER_START.length + HEADER_END.length) return line.slice(HEADER_START.length, -HEADER_END.length)
  }
  return undefined
}
