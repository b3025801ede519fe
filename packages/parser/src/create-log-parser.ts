// The parsing pipeline of one input stream: bytes → physical lines (split-lines.ts) → container chunks joined
// (CRI `P`, json-file partial entries) → wrappers peeled (unwrap-line.ts) → records → events
// (create-record-assembler.ts). Every physical line lands in exactly one of parsed / unparsed / oversized.
import { Buffer } from 'node:buffer'
import { createRecordAssembler } from './create-record-assembler.js'
import type { LineWrapper, LogEvent, SourceId } from './log-event.js'
import type { LineCounts, ParseOutput } from './parse-output.js'
import { createLineScanner, OVERSIZED_HEAD_CHARS, type LineVisitor } from './split-lines.js'
import type { UnparsedLine } from './unparsed-line.js'
import { peelLine, unwrapContainerLine, unwrapLine } from './unwrap-line.js'

export interface LogParserOptions {
  /** The input's path, reported on every output and used to detect its source; `'-'` for stdin. */
  file: string
  /** Force one source for every line (`--source`): no detection, no per-line fallback. */
  source?: SourceId | undefined
  /**
   * The file's source when the caller already detected it (the worker pool detects once per file and parses
   * the file in batches): used instead of path/content detection, but unlike `source` it is not forced, so
   * lines it does not claim still go to the source that sniffs them best.
   */
  fileSource?: SourceId | undefined
  /**
   * The file a `gitlab-ctl tail` header named before this input starts (the worker pool parses such a stream
   * in batches, and a batch may begin long after its header): read as if that header came first.
   */
  tailPath?: string | undefined
  /** Longest physical line parsed, in bytes (UTF-16 units for `writeLine`). Default 65536. */
  maxLineLength?: number | undefined
  /**
   * Cheap pre-check of a record's text (e.g. "contains one of the literals some rule needs"). When it returns
   * false, no event is emitted for the record, yet the line accounting is what it would be without the filter:
   * counted as parsed for the record's source when that source's `sniff` scores its first line above 0 (without
   * parsing it), else parsed to find out, and emitted as an unparsed line only when no source can read it.
   * Records a stateful source (Rails request blocks) owns are never filtered: its state must see every line,
   * and its events carry fields (method, path) from earlier lines that the record's text does not show.
   */
  prefilter?: ((text: string) => boolean) | undefined
}

/**
 * A stateful parser for one input stream. Each method returns the outputs completed by the call, in the order
 * they completed: line order, except that a line joined from CRI / json-file chunks comes out when its last
 * chunk arrives, after lines of the other stream written between its chunks.
 * Use either `write` (bytes) or `writeLine` (already-split lines) on one parser, not both.
 */
export interface LogParser {
  /** Feeds bytes, cut anywhere (inside a line, a UTF-8 character or a CRLF). */
  write(chunk: Uint8Array): ParseOutput[]
  /** Feeds one line without its terminator (a trailing `\n` / `\r\n` is tolerated). */
  writeLine(text: string): ParseOutput[]
  /**
   * Emits what is being held back though it may still grow: the open multi-line record and, before the source is
   * decided, the detection sample. Live streams call it after ~20 ms idle. An unterminated physical line and
   * unjoined CRI `P` chunks stay held until more input or `end()`.
   */
  flush(): ParseOutput[]
  /** Ends the input: emits everything still held. The parser must not be used afterwards. */
  end(): ParseOutput[]
  /** A copy of the line accounting so far; after `end()`, `read` is the number of physical lines. */
  readonly counts: LineCounts
}

/** CRI `P` chunks (or json-file entries without `\n`) waiting for the chunk that ends their line. */
interface PartialGroup {
  texts: string[]
  length: number
  line: number
  lineCount: number
  invalidUtf8: number
  wrapper: LineWrapper
  /** Every chunk was `plain` (see LineVisitor). */
  plain: boolean
}

/** Creates the parsing pipeline for one input. Cost: one decode, one unwrap and one parse per line. */
export function createLogParser(options: LogParserOptions): LogParser {
  const maxLineLength = options.maxLineLength ?? 65536
  const scanner = createLineScanner({ maxLineLength })
  const assembler = createRecordAssembler({
    file: options.file, source: options.source, fileSource: options.fileSource, tailPath: options.tailPath, prefilter: options.prefilter,
  })
  let lineNumber = 0
  // One group per stream: containerd copies stdout and stderr in two goroutines into the same file, so a
  // line of one stream can land between the `P` chunks of the other.
  const partials = new Map<string, PartialGroup>()
  // Where the scanner's lines go: the output list of the call in progress.
  let out: ParseOutput[] = []
  const visit: LineVisitor = (text, _line, invalidUtf8, oversizedBytes, plain) =>
    pushPhysical(text, invalidUtf8 ? 1 : 0, oversizedBytes, plain)

  /** One physical line; `oversizedBytes` is -1 unless the line passed the cap (`text` is then its head). */
  function pushPhysical(text: string, invalidUtf8: number, oversizedBytes: number, plain: boolean): void {
    const line = ++lineNumber
    if (oversizedBytes !== -1) {
      closePartials()
      const wrapper = unwrapLine(text).wrapper
      assembler.push({ kind: 'oversized', head: text, bytes: oversizedBytes, line, lineCount: 1, invalidUtf8, wrapper }, out)
      return
    }
    const chunk = unwrapContainerLine(text)
    if (chunk === undefined) {
      closePartials()
      pushLogical(text, undefined, line, 1, invalidUtf8, plain)
      return
    }
    // A json-file or journald entry's text was decoded from JSON escapes: what the scanner saw in the line no longer holds.
    const chunkPlain = plain && chunk.wrapper.kind === 'cri'
    const stream = chunk.wrapper.stream ?? ''
    let partial = partials.get(stream)
    if (partial === undefined) {
      if (!chunk.partial) return pushLogical(chunk.text, chunk.wrapper, line, 1, invalidUtf8, chunkPlain)
      partial = { texts: [], length: 0, line, lineCount: 0, invalidUtf8: 0, wrapper: chunk.wrapper, plain: true }
      partials.set(stream, partial)
    }
    partial.texts.push(chunk.text)
    partial.length += chunk.text.length
    partial.lineCount++
    partial.invalidUtf8 += invalidUtf8
    partial.plain &&= chunkPlain
    if (!chunk.partial) closePartial(stream)
  }

  /**
   * Emits every stream's joined chunks, oldest first: a group enters the map with its first chunk and leaves it
   * when it closes, so the map's order is already that. Runs for every line without a container layer.
   */
  function closePartials(): void {
    if (partials.size === 0) return
    for (const stream of partials.keys()) closePartial(stream)
  }

  /** Emits the joined chunks of `stream` as one line (or one oversized item when together they pass the cap). */
  function closePartial(stream: string): void {
    const partial = partials.get(stream)
    if (partial === undefined) return
    partials.delete(stream)
    const { texts, length, line, lineCount, invalidUtf8, wrapper, plain } = partial
    const text = texts.join('')
    if (length > maxLineLength) {
      const bytes = Buffer.byteLength(text)
      assembler.push({ kind: 'oversized', head: headOf(text, maxLineLength), bytes, line, lineCount, invalidUtf8, wrapper }, out)
      return
    }
    pushLogical(text, wrapper, line, lineCount, invalidUtf8, plain)
  }

  function pushLogical(
    text: string,
    container: LineWrapper | undefined,
    line: number,
    lineCount: number,
    invalidUtf8: number,
    plain: boolean,
  ): void {
    // The container layer was settled by pushPhysical / closePartial: only the other layers are left.
    const unwrapped = peelLine(text, container, plain)
    if (unwrapped.tailHeader !== undefined) {
      assembler.push({ kind: 'tail-header', path: unwrapped.tailHeader, line, invalidUtf8 }, out)
      return
    }
    assembler.push({ kind: 'line', text: unwrapped.text, line, lineCount, invalidUtf8, wrapper: unwrapped.wrapper, joinsPrevious: unwrapped.continuesPrevious === true }, out)
  }

  /** Runs `feed` with `out` pointing at a fresh list, and returns that list. */
  function collect(feed: () => void): ParseOutput[] {
    const collected: ParseOutput[] = []
    out = collected
    try {
      feed()
    } finally {
      out = []
    }
    return collected
  }

  return {
    write(chunk) {
      return collect(() => scanner.push(chunk, visit))
    },
    writeLine(text) {
      const line = text.endsWith('\n') ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text
      return collect(() => {
        if (line.length > maxLineLength) pushPhysical(headOf(line, maxLineLength), 0, Buffer.byteLength(line), false)
        else pushPhysical(line, 0, -1, false)
      })
    },
    flush() {
      return collect(() => assembler.flush(out))
    },
    end() {
      return collect(() => {
        scanner.end(visit)
        closePartials()
        assembler.flush(out)
      })
    },
    get counts() {
      return assembler.counts
    },
  }
}

/** The reported head of an oversized line: like the splitter's, never past the cap. */
function headOf(text: string, maxLineLength: number): string {
  return text.slice(0, Math.min(OVERSIZED_HEAD_CHARS, maxLineLength))
}

/**
 * Parses one line on its own (no multi-line records, no state across calls): for tests, REPLs and callers
 * that hold single lines. Detection uses `file` (default `'-'`) and the line itself. No length cap.
 */
export function parseLine(text: string, options: { file?: string; source?: SourceId | undefined } = {}): LogEvent | UnparsedLine {
  const parser = createLogParser({ file: options.file ?? '-', source: options.source, maxLineLength: Number.POSITIVE_INFINITY })
  const outputs = [...parser.writeLine(text), ...parser.end()]
  const first = outputs.find((output): output is LogEvent | UnparsedLine => !('oversized' in output))
  return first ?? { unparsed: 'empty', file: options.file ?? '-', line: 1, lineCount: 1, raw: text }
}

/** Whether `bytes` start with the gzip magic number (`1f 8b`): Omnibus rotates `@4000….s` files gzipped without a `.gz` suffix. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}
