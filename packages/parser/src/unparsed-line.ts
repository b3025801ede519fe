// Lines that did not become an event, with the reason from a closed list (VRL's failure reasons):
// the counts per reason are part of the scan summary, and samples help users report formats we miss.
import type { LineWrapper, SourceId } from './log-event.js'

/**
 * Why a line did not become an event.
 * - `empty`: blank or whitespace-only line outside any multi-line block.
 * - `no-match`: no source's layout matched (or the forced source's layout did not).
 * - `bad-json`: started like a JSON object but was not valid JSON / not an object.
 * - `bad-timestamp`: the layout matched but its time could not be read.
 * - `binary`: control bytes / NUL-heavy garbage rather than text.
 * - `other-service`: a line of a GitLab service no rule reads (Workhorse, Gitaly, …), known by the container a
 *   `kubectl logs --prefix` or compose line names, or the file a `gitlab-ctl tail` header names; not parsed, as some of
 *   them look like the registry's own lines.
 */
export type UnparsedReason = 'empty' | 'no-match' | 'bad-json' | 'bad-timestamp' | 'binary' | 'other-service'

export const UNPARSED_REASONS: readonly UnparsedReason[] = ['empty', 'no-match', 'bad-json', 'bad-timestamp', 'binary', 'other-service']

/** A line (or block of `lineCount` physical lines) that did not become an event. */
export interface UnparsedLine {
  unparsed: UnparsedReason
  /** The source whose parser looked at it, when one was chosen. */
  source?: SourceId
  file: string
  line: number
  lineCount: number
  raw: string
  wrapper?: LineWrapper
}

/** What a source's `parse` returns for a line it cannot read: only the reason; the pipeline fills the rest. */
export interface Unparsed {
  unparsed: UnparsedReason
}

export function isUnparsed(value: object): value is Unparsed {
  return 'unparsed' in value
}
