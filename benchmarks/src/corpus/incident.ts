// The shape of an injected incident: a rule id and the ways its evidence can be written (variants are used in
// turn, so every log variant a rule must read appears in the corpus). Each variant writes the lines that make
// exactly one occurrence of the rule, in one file, and says where the first evidence line landed.
import type { CorpusContext } from './corpus-context.js'
import type { CorpusFileRole } from './corpus-files.js'

/** Where an incident's first evidence line was written. */
export interface IncidentEvidence {
  role: CorpusFileRole
  /** 1-based line number in that file. */
  line: number
}

/** Writes one occurrence; `n` is the incident's ordinal (for unique clients, names…). */
export type IncidentVariant = (ctx: CorpusContext, n: number) => IncidentEvidence

export interface IncidentTemplate {
  rule: string
  variants: readonly IncidentVariant[]
}
