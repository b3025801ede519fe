// The parsing pipeline of one input stream: bytes → physical lines (split-lines.ts) → container chunks joined
// (CRI `P`, json-file partial entries) → wrappers peeled (unwrap-line.ts) → records → events
// (create-record-assembler.ts). Every physical line lands in exactly one of parsed / unparsed / oversized.
import { Buffer } from 'node:buffer'
import { createRecordAssembler, type AssemblerItem } from './create-record-assembler.js'
import type { LineWrapper, LogEvent, SourceId } from './log-event.js'
import type { LineCounts, ParseOutput } from './parse-output.js'
import { createLineSplitter, OVERSIZED_HEAD_CHARS, type PhysicalLine } from './split-lines.js'
import type { UnparsedLine } from './unparsed-line.js'
import { unwrapContainerLine, unwrapLine } from './unwrap-line.js'

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
  /** Longest physical line parsed, in bytes (UTF-16 units for `writeLine`). Default 65536. */
  maxLineLength?: number | undefined
  /**
   * Cheap pre-check of a record's text (e.g. "contains one of the literals some rule needs"). When it returns
   * false, no event is built and nothing is emitted for the record, yet its lines are still counted: as parsed
   * (for the record's source) when that source's `sniff` scores its first line above 0, else as unparsed `no-match`.
   * Records a stateful source (Rails request blocks) owns are never filtered: its state must see every line,
   * and its events carry fields (method, path) from earlier lines that the record's text does not show.
   */
  prefilter?: ((text: string) => boolean) | undefined
}

/**
 * A stateful parser for one input stream. Each method returns the outputs completed by the call, in line order.
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
}

/** Creates the parsing pipeline for one input. Cost: one decode, one unwrap and one parse per line. */
export function createLogParser(options: LogParserOptions): LogParser {
  const maxLineLength = options.maxLineLength ?? 65536
  const splitter = createLineSplitter({ maxLineLength })
  const assembler = createRecordAssembler({ file: options.file, source: options.source, fileSource: options.fileSource, prefilter: options.prefilter })
  let lineNumber = 0
  let partial: PartialGroup | undefined

  function pushPhysical(physical: PhysicalLine, out: ParseOutput[]): void {
    const line = ++lineNumber
    const invalidUtf8 = physical.invalidUtf8 ? 1 : 0
    if (physical.oversized !== undefined) {
      closePartial(out)
      const wrapper = unwrapLine(physical.text).wrapper
      const item: AssemblerItem = { kind: 'oversized', head: physical.text, bytes: physical.oversized.bytes, line, lineCount: 1, invalidUtf8 }
      assembler.push(wrapper === undefined ? item : { ...item, wrapper }, out)
      return
    }
    const chunk = unwrapContainerLine(physical.text)
    if (chunk === undefined) {
      closePartial(out)
      pushLogical(physical.text, undefined, line, 1, invalidUtf8, out)
      return
    }
    if (partial !== undefined && partial.wrapper.stream !== chunk.wrapper.stream) closePartial(out)
    if (partial === undefined) {
      if (!chunk.partial) return pushLogical(chunk.text, chunk.wrapper, line, 1, invalidUtf8, out)
      partial = { texts: [], length: 0, line, lineCount: 0, invalidUtf8: 0, wrapper: chunk.wrapper }
    }
    partial.texts.push(chunk.text)
    partial.length += chunk.text.length
    partial.lineCount++
    partial.invalidUtf8 += invalidUtf8
    if (!chunk.partial) closePartial(out)
  }

  /** Emits the joined chunks as one line (or one oversized item when together they pass the cap). */
  function closePartial(out: ParseOutput[]): void {
    if (partial === undefined) return
    const { texts, length, line, lineCount, invalidUtf8, wrapper } = partial
    partial = undefined
    const text = texts.join('')
    if (length > maxLineLength) {
      const bytes = Buffer.byteLength(text)
      assembler.push({ kind: 'oversized', head: headOf(text, maxLineLength), bytes, line, lineCount, invalidUtf8, wrapper }, out)
      return
    }
    pushLogical(text, wrapper, line, lineCount, invalidUtf8, out)
  }

  function pushLogical(
    text: string,
    container: LineWrapper | undefined,
    line: number,
    lineCount: number,
    invalidUtf8: number,
    out: ParseOutput[],
  ): void {
    const unwrapped = unwrapLine(text, container)
    if (unwrapped.tailHeader !== undefined) {
      assembler.push({ kind: 'tail-header', path: unwrapped.tailHeader, line, invalidUtf8 }, out)
      return
    }
    const item: AssemblerItem = { kind: 'line', text: unwrapped.text, line, lineCount, invalidUtf8 }
    assembler.push(unwrapped.wrapper === undefined ? item : { ...item, wrapper: unwrapped.wrapper }, out)
  }

  return {
    write(chunk) {
      const out: ParseOutput[] = []
      for (const physical of splitter.push(chunk)) pushPhysical(physical, out)
      return out
    },
    writeLine(text) {
      const out: ParseOutput[] = []
      const line = text.endsWith('\n') ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text
      const physical: PhysicalLine =
        line.length > maxLineLength
          ? { text: headOf(line, maxLineLength), line: lineNumber + 1, invalidUtf8: false, oversized: { bytes: Buffer.byteLength(line) } }
          : { text: line, line: lineNumber + 1, invalidUtf8: false }
      pushPhysical(physical, out)
      return out
    },
    flush() {
      const out: ParseOutput[] = []
      assembler.flush(out)
      return out
    },
    end() {
      const out: ParseOutput[] = []
      for (const physical of splitter.end()) pushPhysical(physical, out)
      closePartial(out)
      assembler.flush(out)
      return out
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
