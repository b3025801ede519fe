// Unwrapped lines → records → events: the second half of the pipeline. Chooses a source (forced, by path, by a
// content sample, then per line), lets that source's `continues` claim following lines into one record, parses
// each record with per-source state, and keeps the line accounting. See create-log-parser.ts for the first half.
import type { LogRecord, SourceParser } from './define-source.js'
import { claimsLine, DETECTION_SAMPLE_LINES, detectSourceByContent, detectSourceByPath, rankSources } from './detect-source.js'
import type { LineWrapper, LogEvent, SourceId } from './log-event.js'
import type { LineCounts, ParseOutput } from './parse-output.js'
import { SOURCES_BY_ID, SOURCES_BY_PROGRAM } from './sources/index.js'
import { isOtherServiceName, otherServiceOf } from './other-service-log.js'
import { UNPARSED_REASONS, type Unparsed, type UnparsedLine, type UnparsedReason } from './unparsed-line.js'

/**
 * One logical line for the assembler: physical lines already joined (container chunks) and unwrapped.
 * The pipeline always sets `wrapper` (undefined for a bare line) so every line item has one shape: items built with
 * and without it, and `{ ...item, wrapper }` copies, made the pipeline's property reads polymorphic.
 */
export type AssemblerItem =
  | {
      kind: 'line'; text: string; line: number; lineCount: number; invalidUtf8: number; wrapper?: LineWrapper | undefined
      /** The rest of a line the runner cut (`+` header): joined to the line before it without a line break. */
      joinsPrevious?: boolean
    }
  | { kind: 'oversized'; head: string; bytes: number; line: number; lineCount: number; invalidUtf8: number; wrapper?: LineWrapper | undefined }
  /** A `==> path <==` header: counted as an `empty` unparsed line, and the detection context for what follows. */
  | { kind: 'tail-header'; path: string; line: number; invalidUtf8: number }

export interface RecordAssemblerOptions {
  file: string
  source?: SourceId | undefined
  /** The file's source, detected by the caller; skips detection without forcing (see LogParserOptions). */
  fileSource?: SourceId | undefined
  /** The `gitlab-ctl tail` file in effect where the input starts (see LogParserOptions). */
  tailPath?: string | undefined
  prefilter?: ((text: string) => boolean) | undefined
}

export interface RecordAssembler {
  /** Takes one item; completed outputs are appended to `out`. */
  push(item: AssemblerItem, out: ParseOutput[]): void
  /** Decides detection on a partial sample and emits the open record. */
  flush(out: ParseOutput[]): void
  readonly counts: LineCounts
}

interface OpenRecord {
  record: LogRecord
  owner: SourceParser | undefined
  /** Whether the owner's `sniff` scored the first line above 0, when choosing the owner already asked it. */
  ownerClaimed: boolean | undefined
  invalidUtf8: number
}

// Bounds on what is held in memory, whatever the input: a record stops taking continuation lines past these
// (a hostile stream of TAB lines must not become one gigabyte record), and detection decides after this many
// held items even if they are mostly blank.
const MAX_RECORD_LINES = 1000
const MAX_RECORD_CHARS = 1 << 20
const MAX_SAMPLE_ITEMS = 1000

function isFull(record: LogRecord): boolean {
  return record.lineCount >= MAX_RECORD_LINES || record.text.length >= MAX_RECORD_CHARS
}

/** Whether two lines come from the same container and host (both undefined for a plain file). */
function sameStream(a: LineWrapper | undefined, b: LineWrapper | undefined): boolean {
  return a?.container === b?.container && a?.host === b?.host
}

export function createRecordAssembler(options: RecordAssemblerOptions): RecordAssembler {
  const { file, prefilter } = options
  const forced = options.source === undefined ? undefined : SOURCES_BY_ID[options.source]
  const counts = createLineCounts()
  const states = new Map<SourceId, unknown>()
  let fileSource: SourceParser | undefined =
    forced ?? bySourceId(options.fileSource) ?? bySourceId(file === '-' ? undefined : detectSourceByPath(file))
  // Lines held back until the content sample is large enough to choose the file's source (only when neither
  // --source nor the file name decided it). A live stream's `flush()` decides early so nothing waits on input.
  let sample: AssemblerItem[] | undefined = fileSource === undefined ? [] : undefined
  let sampleTexts = 0
  let open: OpenRecord | undefined
  let lastOwner: SourceParser | undefined
  /** Set while the lines come from another service's log, as the last `gitlab-ctl tail` header named it. */
  let otherServiceFile = false
  /** Out-value of `chooseOwner` (see there). */
  let claimed: boolean | undefined
  if (options.tailPath !== undefined) enterTailFile(options.tailPath)

  function stateOf(source: SourceParser): unknown {
    // Most sources are stateless: no map lookups per record for them.
    if (source.createState === undefined) return undefined
    if (!states.has(source.id)) states.set(source.id, source.createState())
    return states.get(source.id)
  }

  function decide(out: ParseOutput[]): void {
    if (sample === undefined) return
    const held = sample
    sample = undefined
    fileSource = bySourceId(detectSourceByContent(held.flatMap((item) => (item.kind === 'line' && !isOtherServiceLine(item) ? [item.text] : []))))
    for (const item of held) process(item, out)
  }

  /** A line of a GitLab service no rule reads: by the last `gitlab-ctl tail` header, or by its container's name. Blank lines stay `empty`. */
  function isOtherServiceLine(item: AssemblerItem): boolean {
    if (item.kind !== 'line') return false
    const container = item.wrapper?.container
    const other = otherServiceFile || (forced === undefined && container !== undefined && isOtherServiceName(container))
    return other && item.text.trim() !== ''
  }

  /** Appends a line to the open record (`separator`: a line break, or nothing for the rest of a cut line). */
  function appendToOpen(record: OpenRecord, item: Extract<AssemblerItem, { kind: 'line' }>, separator: string): void {
    record.record.text += `${separator}${item.text}`
    record.record.lineCount += item.lineCount
    record.invalidUtf8 += item.invalidUtf8
  }

  /** What follows a `gitlab-ctl tail` header comes from the file it names: detect by that path, or anew. */
  function enterTailFile(path: string): void {
    if (forced !== undefined) return
    otherServiceFile = otherServiceOf(path) !== undefined
    fileSource = bySourceId(detectSourceByPath(path))
    sample = fileSource === undefined ? [] : undefined
    sampleTexts = 0
  }

  function process(item: AssemblerItem, out: ParseOutput[]): void {
    // The rest of a cut runner line joins the line before it only when that is its own stream's.
    if (
      item.kind === 'line' && item.joinsPrevious === true && open !== undefined && !isFull(open.record) &&
      open.record.wrapper?.stream === item.wrapper?.stream
    ) {
      appendToOpen(open, item, '')
      return
    }
    const other = isOtherServiceLine(item)
    // A line of another container (`kubectl logs --all-containers --prefix`) never continues this one's record.
    if (
      item.kind === 'line' && !other && open !== undefined && !isFull(open.record) && sameStream(open.record.wrapper, item.wrapper) &&
      open.owner?.continues?.(item.text, open.record) === true
    ) {
      appendToOpen(open, item, '\n')
      return
    }
    closeRecord(out)
    counts.invalidUtf8 += item.invalidUtf8
    if (item.kind === 'oversized') {
      const oversized = { oversized: true as const, file, line: item.line, bytes: item.bytes, head: item.head }
      out.push(item.wrapper === undefined ? oversized : { ...oversized, wrapper: item.wrapper })
      counts.read += item.lineCount
      counts.oversized += item.lineCount
    } else if (item.kind === 'tail-header') {
      emitUnparsed(out, { unparsed: 'empty', file, line: item.line, lineCount: 1, raw: '' })
      enterTailFile(item.path)
    } else if (other) {
      const unparsed: UnparsedLine = { unparsed: 'other-service', file, line: item.line, lineCount: item.lineCount, raw: item.text }
      emitUnparsed(out, item.wrapper === undefined ? unparsed : { ...unparsed, wrapper: item.wrapper })
    } else {
      const record: LogRecord = { text: item.text, file, line: item.line, lineCount: item.lineCount }
      if (item.wrapper !== undefined) record.wrapper = item.wrapper
      // A blank line may open a block (Rails ≥ 5 starts an exception block with a line of two spaces), so it
      // is offered to the source of the record before it; if nothing continues it, it is counted `empty`.
      claimed = undefined
      const owner = item.text.trim() === '' ? (lastOwner ?? fileSource) : chooseOwner(item.text, item.wrapper?.program)
      // The invalid-UTF-8 count of the first line was taken above; only continuation lines add to `open`.
      open = { record, owner, ownerClaimed: claimed, invalidUtf8: 0 }
    }
  }

  /**
   * The source the line's syslog program names, when it claims the line; else the file's source when it
   * claims the line (or nothing else does), else the source that sniffs it best. Sets `claimed` to whether
   * the chosen source's sniff scored the line above 0, when it was asked.
   */
  function chooseOwner(text: string, program: string | undefined): SourceParser | undefined {
    if (forced !== undefined) return forced
    const named = program === undefined ? undefined : SOURCES_BY_PROGRAM.get(program)
    if (named !== undefined && claimsLine(named, text)) {
      claimed = true
      return named
    }
    if (fileSource !== undefined && claimsLine(fileSource, text)) {
      claimed = true
      return fileSource
    }
    const best = rankSources(text, fileSource?.id)[0]
    claimed = best !== undefined
    return best ?? fileSource
  }

  function closeRecord(out: ParseOutput[]): void {
    if (open === undefined) return
    const { record, owner, ownerClaimed, invalidUtf8 } = open
    open = undefined
    counts.invalidUtf8 += invalidUtf8
    if (record.text.trim() === '') {
      const empty: UnparsedLine = { unparsed: 'empty', file, line: record.line, lineCount: record.lineCount, raw: record.text }
      emitUnparsed(out, record.wrapper === undefined ? empty : { ...empty, wrapper: record.wrapper })
      return
    }
    lastOwner = owner
    // A stateful source (Rails request blocks) must see every record, and its events carry fields from
    // earlier records that the text does not show, so its records are never filtered.
    const accepted = prefilter === undefined || owner?.createState !== undefined || prefilter(record.text)
    if (!accepted) {
      // Skipped by the caller's filter: no event is emitted, but the accounting stays as if it had been. A record
      // its source claims counts as parsed without parsing it; the owner's verdict on the first line, when
      // choosing it asked, is reused (a profile of a skipped registry file spent a third of its time sniffing
      // each record twice). One no source claims is parsed to tell: a claim is a cheap sniff, and lines a
      // parser reads without claiming them (docker's `<tag>: digest: … size: …`) must not count as unparsed
      // only because rules are loaded.
      if (owner !== undefined && (ownerClaimed ?? claimsLine(owner, record.text))) {
        countParsed(owner.id, record.lineCount)
        return
      }
    }
    const event = owner === undefined ? undefined : parseRecord(owner, record)
    if (event !== undefined && !('unparsed' in event)) {
      if (accepted) out.push(event)
      countParsed(event.source, record.lineCount)
      return
    }
    const unparsed: UnparsedLine = {
      unparsed: classifyUnmatched(event?.unparsed ?? 'no-match', record.text),
      file,
      line: record.line,
      lineCount: record.lineCount,
      raw: record.text,
    }
    if (owner !== undefined) unparsed.source = owner.id
    if (record.wrapper !== undefined) unparsed.wrapper = record.wrapper
    emitUnparsed(out, unparsed)
  }

  /** Parses with `owner`; when it finds no match, with the file's source and then every source that sniffs the text. */
  function parseRecord(owner: SourceParser, record: LogRecord): LogEvent | Unparsed {
    const first = parseWith(owner, record)
    if (!('unparsed' in first) || first.unparsed !== 'no-match' || forced !== undefined) return first
    const others = rankSources(record.text, owner.id)
    if (fileSource !== undefined && fileSource !== owner && !others.includes(fileSource)) others.push(fileSource)
    for (const other of others) {
      const event = parseWith(other, record)
      if (!('unparsed' in event)) return event
    }
    return first
  }

  function parseWith(source: SourceParser, record: LogRecord): LogEvent | Unparsed {
    let parsed
    try {
      parsed = source.parse(record, stateOf(source))
    } catch {
      // Parsers must not throw; if one does on hostile input, the line is lost, not the scan.
      return { unparsed: 'no-match' }
    }
    if ('unparsed' in parsed) return parsed
    const event = parsed as LogEvent
    event.file = record.file
    event.line = record.line
    event.lineCount = record.lineCount
    event.raw = record.text
    if (record.wrapper !== undefined) {
      event.wrapper = record.wrapper
      if (event.time === undefined && record.wrapper.time !== undefined) event.time = record.wrapper.time
    }
    return event
  }

  function emitUnparsed(out: ParseOutput[], unparsed: UnparsedLine): void {
    out.push(unparsed)
    countUnparsed(unparsed.unparsed, unparsed.lineCount)
    const { source } = unparsed
    if (source !== undefined) counts.unparsedBySource[source] = (counts.unparsedBySource[source] ?? 0) + unparsed.lineCount
  }

  function countParsed(source: SourceId, lines: number): void {
    counts.read += lines
    counts.parsed += lines
    counts.parsedBySource[source] = (counts.parsedBySource[source] ?? 0) + lines
  }

  function countUnparsed(reason: UnparsedReason, lines: number): void {
    counts.read += lines
    counts.unparsed += lines
    counts.unparsedByReason[reason] += lines
  }

  return {
    push(item, out) {
      if (sample === undefined) return process(item, out)
      if (item.kind === 'tail-header') {
        decide(out)
        return process(item, out)
      }
      sample.push(item)
      if (item.kind === 'line' && item.text.trim() !== '') sampleTexts++
      if (sampleTexts >= DETECTION_SAMPLE_LINES || sample.length >= MAX_SAMPLE_ITEMS) decide(out)
    },
    flush(out) {
      decide(out)
      closeRecord(out)
    },
    get counts() {
      return copyLineCounts(counts)
    },
  }
}

function bySourceId(id: SourceId | undefined): SourceParser | undefined {
  return id === undefined ? undefined : SOURCES_BY_ID[id]
}

/** Zeroed line accounting. */
function createLineCounts(): LineCounts {
  const unparsedByReason = Object.fromEntries(UNPARSED_REASONS.map((reason) => [reason, 0])) as Record<UnparsedReason, number>
  return { read: 0, parsed: 0, unparsed: 0, oversized: 0, invalidUtf8: 0, unparsedByReason, parsedBySource: {}, unparsedBySource: {} }
}

function copyLineCounts(counts: LineCounts): LineCounts {
  return { ...counts, unparsedByReason: { ...counts.unparsedByReason }, parsedBySource: { ...counts.parsedBySource }, unparsedBySource: { ...counts.unparsedBySource } }
}

/** Share of control characters (and U+FFFD from invalid UTF-8) past which an unreadable line is called binary. */
const BINARY_SHARE = 0.1

/**
 * `no-match` becomes `binary` for text that is not a log line at all: a NUL, or more than a tenth control
 * characters and undecodable bytes (a core dump, an archive or a database file among the logs), so the summary
 * says so instead of asking the user to report an unknown format. TAB and record-joining newlines do not count;
 * a stray control byte in a text line stays far below the share.
 */
function classifyUnmatched(reason: UnparsedReason, text: string): UnparsedReason {
  if (reason !== 'no-match' || text.length === 0) return reason
  let odd = 0
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at)
    if (code === 0) return 'binary'
    // TAB, and the newlines that join a multi-line record, are text.
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a) || code === 0x7f || code === 0xfffd) odd++
  }
  return odd > text.length * BINARY_SHARE ? 'binary' : reason
}
