// A rule's correlations and the slot order of a sequence, without the zod schemas of rule-schema.ts: matching
// (worker threads, the `./match` entry) needs them, and importing rule-schema.ts builds every schema (~16 MB of
// memory per thread).
import type { Condition, Correlation, RuleDefinition, SequenceCorrelation } from './rule-schema.js'

/** A rule's correlations as a list, each with the field path it is written at (`correlate`, `correlate[1]`). */
export function correlationsOf(rule: RuleDefinition): { correlation: Correlation; path: string }[] {
  const { correlate } = rule
  if (correlate === undefined) return []
  if (!Array.isArray(correlate)) return [{ correlation: correlate, path: 'correlate' }]
  return correlate.map((correlation, index) => ({ correlation, path: `correlate[${index}]` }))
}

/** What a sequence may test after its steps, in slot order: a match slot numbers steps, then these. */
export const SEQUENCE_EXTRA_ROLES = ['until', 'missing', 'notPrecededBy'] as const

export type SequenceExtraRole = (typeof SEQUENCE_EXTRA_ROLES)[number]

/**
 * The conditions a sequence has besides its steps, in slot order (the slot of the n-th is `steps.length + n`).
 * The one place that order is written: slots (compile-rules.ts), literals (required-literals.ts), the
 * correlator's offsets (correlate.ts), compaction (compact-event.ts) and validation all read it from here.
 */
export function sequenceExtras(sequence: SequenceCorrelation): { role: SequenceExtraRole; match: Condition }[] {
  return SEQUENCE_EXTRA_ROLES.flatMap((role) => {
    const extra = sequence[role]
    return extra === undefined ? [] : [{ role, match: extra.match }]
  })
}
