// The finding: what the engine reports and the CLI prints. Its JSON shape is fixed by
// ../../../../shared/spec/cli-contract.md ("A finding"); fields beyond the contract are additions.
import type { SourceId } from '@registry-logscan/parser'

export type Severity = 'info' | 'warning' | 'error' | 'critical'

/** Severities in increasing order of impact (for `--fail-on`). */
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error', 'critical']

/** One line that made up a finding; `text` has secrets redacted. */
export interface EvidenceLine {
  file: string
  /** 1-based. */
  line: number
  text: string
  source: SourceId
  /** ISO-8601 UTC when the line had a time. */
  time?: string
}

export interface Finding {
  rule: string
  severity: Severity
  title: string
  /** Source of the first evidence event. */
  source: SourceId
  /** File and 1-based line of the first evidence event (`-` for standard input). */
  file: string
  line: number
  /** ISO-8601 UTC time of the first evidence event, when it had one. */
  time?: string
  /** What was seen, with the key values (the rule's `message` template, filled and redacted). */
  message: string
  evidence: EvidenceLine[]
  /** Evidence lines left out because the finding had more than the engine's `maxEvidence`. */
  evidenceOmitted?: number
  remediation: string
  docs: string
  /** How many occurrences this finding stands for (1 + folded repeats). */
  count: number
  /** ISO-8601 UTC time of the last folded occurrence. */
  lastTime?: string
  verify?: string[]
  configFix?: string
  tags?: string[]
}
