// Exception blocks of Rails' text production.log (ActionDispatch::DebugExceptions#log_error), all layouts:
// Rails 4.2 (blank line, `Class (message):`, two-space-indented frames, blank lines), Rails ≥ 5 (two-space
// separator lines, `Class (message):`, unindented frames) and Rails ≥ 7.1, which adds the exception's causes
// after the header (a blank line, `Causes:`, one `Class (message)` line per cause) before the frames.
// Format: shared/spec/formats-nginx-rails-docker.md §2.1; actionpack 7.1 debug_exceptions.rb.
import type { ParsedFields } from '../../define-source.js'
import type { RailsEvent } from '../../log-event.js'

type Parsed = ParsedFields<RailsEvent>

// A Ruby constant path: `Errno::ENOENT`, `ActionController::UrlGenerationError`. The `::` between the parts
// cannot be matched by `\w`, so the repetition cannot backtrack.
const CLASS = String.raw`(?<class>[A-Z]\w*(?:::[A-Z]\w*)*)`
/** `Class (` opening an exception header; the message may run over several lines until `):`. */
const HEADER_START = new RegExp(`^${CLASS} \\(`)
/** `Class: message`, a namespace optional: how `error` fields and Sidekiq's failures name an exception. */
const CLASS_AND_MESSAGE = new RegExp(`^${CLASS}: (?<message>[\\s\\S]*)$`)

/** The exception class and message of a `Class: message` text (`Errno::ENOENT: No such file …`, `SocketError: …`). */
export function splitClassAndMessage(text: string): { exceptionClass: string; exceptionMessage: string } | undefined {
  const groups = CLASS_AND_MESSAGE.exec(text)?.groups
  return groups === undefined ? undefined : { exceptionClass: groups.class ?? '', exceptionMessage: groups.message ?? '' }
}

/** `Errno::ENOENT: No such file …`: the one-line form Ruby prints (`Exception#full_message`); needs a `::`. */
const CLASS_COLON_MESSAGE = /^(?<class>[A-Z]\w*(?:::[A-Z]\w*)+): (?<message>.+)$/
/** `app/models/project.rb:1032` before `:in …`, or a whole frame line without a method. */
const FRAME_LOCATION = /^[^\s:]+:\d+$/
const FRAME_WITHOUT_METHOD = /^[^\s:]+\.(?:rb|erb|haml|rake|ru):\d+$/

/** Most headers are one line; a message with newlines rarely spans more. Bounds what `continues` claims. */
const MAX_HEADER_LINES = 20

/** Whether `text` opens an exception header (`Class (…`). */
export function isExceptionHeaderStart(text: string): boolean {
  return HEADER_START.test(text)
}

/** Whether `text` is the one-line `Module::Class: message` form. */
export function isClassColonMessage(text: string): boolean {
  return CLASS_COLON_MESSAGE.test(text)
}

/** Blank or whitespace-only: the separators around Rails exception blocks. */
export function isBlank(text: string): boolean {
  return text.trim() === ''
}

/**
 * A backtrace frame: `  app/…:12:in \`x'`, `lib/…:21:in 'Klass#meth'` (Ruby 3.4), gem paths, `<internal:…>`.
 * Hand-written: the location is everything before the first `:in `, which a regex could only find by backtracking.
 */
export function isBacktraceFrame(text: string): boolean {
  const frame = text.trimStart()
  const at = frame.indexOf(':in ')
  if (at > 0) {
    const location = frame.slice(0, at)
    return FRAME_LOCATION.test(location) || (location.startsWith('<internal:') && /:\d+$/.test(location))
  }
  return FRAME_WITHOUT_METHOD.test(frame)
}

/** Where the record's first non-blank line starts (leading separator lines are part of the block). */
function blockOffset(recordText: string): number {
  let i = 0
  while (i < recordText.length && (recordText[i] === ' ' || recordText[i] === '\n' || recordText[i] === '\t')) i++
  return i
}

/** Longest class name looked at: enough for any Ruby constant path, and keeps `continues` O(1) per line. */
const MAX_CLASS_LENGTH = 300

/**
 * Whether physical line `text` continues the record: separator lines join the exception header that
 * follows them; a header claims its continuation lines until `):`, then frames and blank lines.
 * Called once per physical line with the growing record, so it never copies the whole record.
 */
export function continuesExceptionBlock(text: string, recordText: string, recordLineCount: number): boolean {
  const start = blockOffset(recordText)
  if (start === recordText.length) return isBlank(text) || isExceptionHeaderStart(text)
  if (!isExceptionHeaderStart(recordText.slice(start, start + MAX_CLASS_LENGTH))) return false
  const headerClosed = recordText.indexOf('):\n', start) !== -1 || recordText.endsWith('):')
  if (!headerClosed) {
    // A request line cannot be part of a message; it means the header was cut.
    return recordLineCount < MAX_HEADER_LINES && !text.startsWith('Started ') && !text.startsWith('Completed ')
  }
  if (isBlank(text) || isBacktraceFrame(text) || text === CAUSES) return true
  // After `Causes:`, one `Class (message)` line per cause (Rails ≥ 7.1), until the frames. A header ending in
  // `):` starts the next block instead.
  return isExceptionHeaderStart(text) && !text.endsWith('):') && isCauseLine(lastLine(recordText))
}

/** The record's last non-blank line. */
function lastLine(recordText: string): string {
  const text = recordText.trimEnd()
  return text.slice(text.lastIndexOf('\n') + 1)
}

/** `Causes:` or a cause after it: where the next cause line may follow. */
function isCauseLine(line: string): boolean {
  return line === CAUSES || (isExceptionHeaderStart(line) && !line.endsWith('):'))
}

/** The line Rails ≥ 7.1 writes before an exception's causes. */
const CAUSES = 'Causes:'

function exceptionEvent(exceptionClass: string, exceptionMessage: string, backtrace: string[]): Parsed {
  return {
    source: 'rails',
    level: 'error',
    message: `${exceptionClass} (${exceptionMessage})`,
    format: 'production-log',
    exceptionClass,
    exceptionMessage,
    backtrace,
    fields: Object.create(null) as Record<string, string>,
  }
}

/**
 * Parses an exception block (header, frames, separators) into one event, or `undefined` when the record
 * is not one. The message is what lies between the header's first ` (` and its last `):`, newlines kept.
 */
export function parseExceptionBlock(recordText: string): Parsed | undefined {
  const block = recordText.slice(blockOffset(recordText))
  const oneLine = CLASS_COLON_MESSAGE.exec(block)?.groups
  if (oneLine !== undefined && !block.includes('\n')) {
    return exceptionEvent(oneLine.class ?? '', oneLine.message ?? '', [])
  }
  const header = HEADER_START.exec(block)?.groups
  if (header === undefined) return undefined
  const exceptionClass = header.class ?? ''
  const lines = block.split('\n')
  let end = lines.findIndex((line) => line.endsWith('):'))
  const closed = end !== -1
  if (!closed) end = lines.length - 1
  const headerText = lines.slice(0, end + 1).join('\n')
  const messageStart = exceptionClass.length + 2
  const exceptionMessage = closed ? headerText.slice(messageStart, -2) : headerText.slice(messageStart)
  const rest = lines.slice(end + 1)
  const backtrace = rest.filter(isBacktraceFrame).map((line) => line.trim())
  const event = exceptionEvent(exceptionClass, exceptionMessage, backtrace)
  const causesAt = rest.indexOf(CAUSES)
  if (causesAt !== -1) {
    const after = rest.slice(causesAt + 1)
    const stop = after.findIndex((line) => isBlank(line) || isBacktraceFrame(line))
    const causes = (stop === -1 ? after : after.slice(0, stop)).filter((line) => isExceptionHeaderStart(line))
    if (causes.length > 0) event.fields.causes = causes.join('\n')
  }
  return event
}
