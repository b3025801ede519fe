// The one interface every source parser implements (tinypool's TinypoolWorker pattern), and
// `defineSource()` which only exists to infer the event type from the object literal.
import type { LineWrapper, LogEvent } from './log-event.js'
import type { Unparsed } from './unparsed-line.js'

/**
 * One logical record handed to a source parser: a physical line after its wrapper was peeled, or several
 * physical lines joined with `\n` when the source's `continues` claimed them (backtraces, continuations).
 */
export interface LogRecord {
  text: string
  file: string
  /** 1-based number of the first physical line. */
  line: number
  lineCount: number
  wrapper?: LineWrapper
}

/** Fields the pipeline fills in itself; a parser returns everything else. */
type PipelineFields = 'file' | 'line' | 'lineCount' | 'raw' | 'wrapper'

/** What a source's `parse` returns for a record it understood. */
export type ParsedFields<E extends LogEvent> = Omit<E, PipelineFields>

/** A documented example line: the docs of the parser and a test (sources.test.ts runs every one). */
export interface SourceExample<E extends LogEvent = LogEvent> {
  title: string
  /** The physical line(s) as they appear in the file (wrappers included). */
  lines: readonly string[]
  /** A subset of the fields the (first) event must have; compared with `toMatchObject`. */
  event: Partial<E>
}

/**
 * A source parser. `parse` never throws: data problems are `Unparsed` values.
 * `S` is per-stream state for sources whose lines depend on earlier ones (Rails request blocks).
 */
export interface SourceParser<E extends LogEvent = LogEvent, S = unknown> {
  id: E['source']
  /** One line on what it reads, with links to the format. */
  description: string
  /** Paths (matched against the full path, `/` separators) that identify this source's files. */
  fileNames: readonly RegExp[]
  /**
   * syslog / journald program names (the `prog[pid]:` of a wrapped line) whose lines this source reads first:
   * dockerd writes the registry's logrus layout, so only the program tells `journalctl -u docker` apart.
   */
  programs?: readonly string[]
  /**
   * Confidence in 0..1 that a single unwrapped line belongs to this source. Must be cheap (no full parse):
   * detection calls it on the first lines of every input and on lines the current parser rejects.
   */
  sniff(text: string): number
  /**
   * Optional shortcut for `sniff(text) > 0`, which must agree with it on every text and never throw: the
   * pipeline asks the file's source for every line whether it claims it, and the exact score (for which
   * `sniff` may search the line for many names) is only needed to rank sources against each other.
   */
  claims?(text: string): boolean
  /**
   * Whether the physical line `text` continues `record` (a backtrace frame, an era-B continuation starting with
   * a TAB). Omitted for single-line sources. Must be cheap.
   */
  continues?(text: string, record: LogRecord): boolean
  /** Fresh per-stream state; omitted for stateless sources. */
  createState?(): S
  parse(record: LogRecord, state: S): ParsedFields<E> | Unparsed
  examples: readonly SourceExample<E>[]
}

/** Declares a source parser; exists for type inference and to keep every source file the same shape. */
export function defineSource<E extends LogEvent, S = undefined>(parser: SourceParser<E, S>): SourceParser<E, S> {
  return parser
}
