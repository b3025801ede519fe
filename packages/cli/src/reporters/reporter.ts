// What every output format implements: findings as they arrive, then the end of the scan.
import type { Finding, ScanSummary } from 'registry-logscan'

/** Where a reporter writes, and how. */
export interface ReporterContext {
  /** Writes to standard output. */
  write(text: string): void
  /** Colour severities (text only): true only when stdout is a TTY and colour was not turned off. */
  color: boolean
  /** Print the summary after the findings (`--summary`). */
  summary: boolean
}

export interface Reporter {
  /** Called once per finding, as soon as the scan produces it. */
  finding(finding: Finding): void
  /** Called once when the scan ends (also after an interrupt), with everything counted. */
  end(summary: ScanSummary): void
}
