// The process exit codes, fixed by ../../../shared/spec/cli-contract.md ("Exit codes").
import type { Severity } from 'registry-logscan'
import { SEVERITIES } from 'registry-logscan'
import type { ScanSummary } from 'registry-logscan'

/** Finished, nothing at or above `--fail-on`. */
export const EXIT_OK = 0
/** Findings at or above `--fail-on` (only when it is given: without it the scan reports and exits 0). */
export const EXIT_FINDINGS = 1
/** Usage error, an input that could not be read, or an invalid rule file. */
export const EXIT_ERROR = 2

/**
 * The exit code of a finished scan. An input that could not be read (missing, no permission, a glob that
 * matched nothing, a truncated gzip) makes it 2 as the contract says, even when other inputs were scanned: the
 * report is incomplete, which outranks findings. The rest is still scanned and reported, and the summary
 * lists each failure.
 */
export function scanExitCode(summary: ScanSummary, failOn: Severity | undefined): number {
  if (summary.failedInputs.length > 0) return EXIT_ERROR
  if (failOn === undefined) return EXIT_OK
  const threshold = SEVERITIES.indexOf(failOn)
  const failing = Object.values(summary.rules).some((rule) => SEVERITIES.indexOf(rule.severity) >= threshold)
  return failing ? EXIT_FINDINGS : EXIT_OK
}
