// Line accounting of a whole input from its batches' counts, added in input order.
import { UNPARSED_REASONS, type LineCounts, type SourceId, type UnparsedReason } from '@registry-logscan/parser'

/** Zeroed counts. */
export function emptyLineCounts(): LineCounts {
  return {
    read: 0,
    parsed: 0,
    unparsed: 0,
    oversized: 0,
    invalidUtf8: 0,
    unparsedByReason: Object.fromEntries(UNPARSED_REASONS.map((reason) => [reason, 0])) as Record<UnparsedReason, number>,
    parsedBySource: {},
    unparsedBySource: {},
  }
}

/** Adds `from` into `into` (mutates and returns `into`). */
export function addLineCounts(into: LineCounts, from: LineCounts): LineCounts {
  into.read += from.read
  into.parsed += from.parsed
  into.unparsed += from.unparsed
  into.oversized += from.oversized
  into.invalidUtf8 += from.invalidUtf8
  for (const [reason, count] of Object.entries(from.unparsedByReason) as [UnparsedReason, number][]) {
    into.unparsedByReason[reason] = (into.unparsedByReason[reason] ?? 0) + count
  }
  for (const [source, count] of Object.entries(from.parsedBySource) as [SourceId, number][]) {
    into.parsedBySource[source] = (into.parsedBySource[source] ?? 0) + count
  }
  for (const [source, count] of Object.entries(from.unparsedBySource) as [SourceId, number][]) {
    into.unparsedBySource[source] = (into.unparsedBySource[source] ?? 0) + count
  }
  return into
}
