// What the parsing pipeline emits for every record, and the line accounting it keeps. Every physical
// line read lands in exactly one counter: parsed, unparsed or oversized (read = the sum of the three).
import type { LineWrapper, LogEvent, SourceId } from './log-event.js'
import type { UnparsedLine, UnparsedReason } from './unparsed-line.js'

/** A physical line longer than the cap: cut at the cap, counted, never parsed or buffered whole. */
export interface OversizedLine {
  oversized: true
  file: string
  line: number
  /** Length of the whole line in bytes (the part past the cap was skipped, not kept). */
  bytes: number
  /** The first bytes of the line (at most 200 characters), for reports. */
  head: string
  wrapper?: LineWrapper
}

/** One item out of the pipeline. */
export type ParseOutput = LogEvent | UnparsedLine | OversizedLine

/** Line accounting, per input or summed. `read === parsed + unparsed + oversized` always. */
export interface LineCounts {
  read: number
  parsed: number
  unparsed: number
  oversized: number
  /** Lines that contained invalid UTF-8 (decoded with U+FFFD; they are still parsed or unparsed as usual). */
  invalidUtf8: number
  unparsedByReason: Record<UnparsedReason, number>
  /** Lines parsed, per source. */
  parsedBySource: Partial<Record<SourceId, number>>
  /**
   * Unparsed lines per source that looked at them (the forced or detected source whose layout they failed);
   * `unparsed` minus their sum is the lines no source claimed.
   */
  unparsedBySource: Partial<Record<SourceId, number>>
}

export function isOversizedLine(output: ParseOutput): output is OversizedLine {
  return 'oversized' in output
}

export function isUnparsedLine(output: ParseOutput): output is UnparsedLine {
  return 'unparsed' in output
}

export function isLogEvent(output: ParseOutput): output is LogEvent {
  return !('oversized' in output) && !('unparsed' in output)
}
