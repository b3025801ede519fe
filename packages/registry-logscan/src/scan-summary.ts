// The scan summary: line accounting (total, per source, per file), what each rule found, folded repeats,
// evicted correlation groups, inputs that failed and samples of unparsed lines. Its JSON shape is the
// `summary` of the CLI's json document (../../../../shared/spec/cli-contract.md, "The json document").
import type { LineCounts, ParseOutput, SourceId, UnparsedReason } from '@registry-logscan/parser'
import type { EngineStats, Finding, Severity } from '@registry-logscan/rules-engine'
import { emptyLineCounts } from '@registry-logscan/worker-pool'
import type { FailedInput, SkippedInput } from './open-inputs.js'

/** Physical lines of one input, source or the whole scan. `read = parsed + unparsed + oversized` always. */
export interface LineTotals {
  read: number
  parsed: number
  unparsed: number
  oversized: number
}

/** The whole scan's line accounting. */
export interface ScanLines extends LineTotals {
  /** Lines that held invalid UTF-8 (decoded with U+FFFD, then parsed or not as usual). */
  invalidUtf8: number
  unparsedByReason: Record<UnparsedReason, number>
}

/** What one rule found. */
export interface RuleSummary {
  severity: Severity
  /** Occurrences, folded repeats included. */
  count: number
  /** Findings reported (each may stand for several folded occurrences). */
  findings: number
  /** ISO-8601 time of the first and last occurrence, when the lines had times. */
  first?: string
  last?: string
  sources: SourceId[]
  files: string[]
}

/** An unparsed line kept for a bug report (text capped at 500 characters). */
export interface UnparsedSample {
  source: SourceId | 'unknown'
  reason: UnparsedReason
  file: string
  line: number
  text: string
}

/** The scan summary. Every count is exact; samples are capped (see `ScanOptions.unparsedSamples`). */
export interface ScanSummary {
  /** Per rule that found something, by rule id. */
  rules: Record<string, RuleSummary>
  lines: ScanLines
  /** Lines per source (`unknown` for lines no source claimed and for oversized lines). */
  sources: Partial<Record<SourceId | 'unknown', LineTotals>>
  /** Lines per input file (`-` for standard input). */
  files: Record<string, LineTotals>
  /** Findings reported. */
  findings: number
  /** Repeats folded into an earlier finding instead of being reported again. */
  folded: number
  /** Open correlation groups dropped because a rule hit its group limit. */
  evicted: number
  /** Inputs read to their end (or until the scan was stopped). */
  inputs: string[]
  /** Inputs that could not be read, or broke off (a truncated gzip), with why. */
  failedInputs: FailedInput[]
  /** Logs of other GitLab services (Gitaly, PostgreSQL, …) that a directory or glob matched and the scan left out. */
  skippedInputs: SkippedInput[]
  unparsedSamples: UnparsedSample[]
  /** Bytes read from disk or the stream (compressed size for gzip). */
  bytesRead: number
  durationMs: number
  /** True when the scan stopped early because its `signal` aborted. */
  interrupted: boolean
}

const SAMPLE_TEXT_LIMIT = 500

function emptyTotals(): LineTotals {
  return { read: 0, parsed: 0, unparsed: 0, oversized: 0 }
}

function addTotals(into: LineTotals, from: LineTotals): void {
  into.read += from.read
  into.parsed += from.parsed
  into.unparsed += from.unparsed
  into.oversized += from.oversized
}

/** Adds one parser's counts to the totals, its file and (parsed lines only: the rest come from outputs) its sources. */
function addCounts(into: ScanTotals, file: string, counts: LineCounts): void {
  addTotals(into.lines, counts)
  for (const [source, parsed] of Object.entries(counts.parsedBySource) as [SourceId, number][]) {
    const totals = (into.sources[source] ??= emptyTotals())
    totals.parsed += parsed
    totals.read += parsed
  }
  addTotals((into.files[file] ??= emptyTotals()), counts)
  into.lines.invalidUtf8 += counts.invalidUtf8
  for (const [reason, count] of Object.entries(counts.unparsedByReason) as [UnparsedReason, number][]) {
    into.lines.unparsedByReason[reason] = (into.lines.unparsedByReason[reason] ?? 0) + count
  }
}

/** The three places line counts go. */
interface ScanTotals {
  lines: ScanLines
  sources: Partial<Record<SourceId | 'unknown', LineTotals>>
  files: Record<string, LineTotals>
}

/** Per rule: the engine's occurrence counts and times, with the severity and number of findings reported. */
function ruleSummaries(engine: EngineStats, reported: Record<string, { severity: Severity; findings: number }>): Record<string, RuleSummary> {
  const rules: Record<string, RuleSummary> = {}
  for (const [id, seen] of Object.entries(reported)) {
    const stats = engine.rules[id]
    rules[id] = {
      severity: seen.severity,
      count: stats?.count ?? seen.findings,
      findings: seen.findings,
      ...(stats?.first !== undefined && { first: stats.first }),
      ...(stats?.last !== undefined && { last: stats.last }),
      sources: [...(stats?.sources ?? [])].sort(),
      files: [...(stats?.files ?? [])].sort(),
    }
  }
  return rules
}

/** Collects the summary while a scan runs; `snapshot()` can be taken at any time. */
export interface SummaryCollector {
  /** Counts the unparsed and oversized outputs of one parser call per source, and keeps samples. */
  countOutputs(outputs: readonly ParseOutput[]): void
  /** Keeps samples from outputs counted elsewhere (worker batches). */
  addSamples(outputs: readonly ParseOutput[]): void
  /**
   * Adds the final line counts of one parser (one file, or one generation of a followed file). `unattributed`:
   * its unparsed and oversized lines were not seen one by one (worker batches), so they are attributed from
   * the counts: unparsed lines to the source that looked at them, oversized ones (and lines no source claimed)
   * to `unknown`, as `countOutputs` does.
   */
  addParserCounts(file: string, counts: LineCounts, unattributed?: boolean): void
  countFinding(finding: Finding): void
  addInput(name: string): void
  addFailure(failure: FailedInput): void
  addSkipped(skipped: SkippedInput): void
  addBytes(bytes: number): void
  /** The engine's counts: per-rule occurrences (folded repeats included), folded, evicted. */
  setEngineStats(stats: EngineStats): void
  setInterrupted(): void
  /** A copy of the summary so far; `live` adds the counts of parsers still open. */
  snapshot(live?: readonly { file: string; counts: LineCounts }[]): ScanSummary
}

export function createSummaryCollector(options: { unparsedSamples: number }): SummaryCollector {
  const started = performance.now()
  const totals: ScanTotals = {
    lines: { ...emptyTotals(), invalidUtf8: 0, unparsedByReason: emptyLineCounts().unparsedByReason },
    sources: {},
    files: {},
  }
  const reported: Record<string, { severity: Severity; findings: number }> = {}
  const samplesPerKey = new Map<string, number>()
  const unparsedSamples: UnparsedSample[] = []
  const inputs: string[] = []
  const failedInputs: FailedInput[] = []
  const skippedInputs: SkippedInput[] = []
  let findings = 0
  let bytesRead = 0
  let engine: EngineStats = { rules: {}, folded: 0, evicted: 0 }
  let interrupted = false

  const sourceTotals = (source: SourceId | 'unknown'): LineTotals => (totals.sources[source] ??= emptyTotals())


  return {
    countOutputs(outputs) {
      for (const output of outputs) {
        if ('oversized' in output) {
          sourceTotals('unknown').oversized++
          sourceTotals('unknown').read++
        } else if ('unparsed' in output) {
          const bySource = sourceTotals(output.source ?? 'unknown')
          bySource.unparsed += output.lineCount
          bySource.read += output.lineCount
        }
      }
      this.addSamples(outputs)
    },
    addSamples(outputs) {
      for (const output of outputs) {
        // Blank lines, binary garbage and other services' lines are counted, but a sample helps nobody report a format.
        if (!('unparsed' in output) || output.unparsed === 'empty' || output.unparsed === 'binary' || output.unparsed === 'other-service') continue
        const source = output.source ?? 'unknown'
        const key = `${source}\0${output.unparsed}`
        const taken = samplesPerKey.get(key) ?? 0
        if (taken >= options.unparsedSamples) continue
        samplesPerKey.set(key, taken + 1)
        unparsedSamples.push({ source, reason: output.unparsed, file: output.file, line: output.line, text: output.raw.slice(0, SAMPLE_TEXT_LIMIT) })
      }
    },
    addParserCounts(file, counts, unattributed = false) {
      addCounts(totals, file, counts)
      if (!unattributed) return
      let claimed = 0
      for (const [source, lines] of Object.entries(counts.unparsedBySource) as [SourceId, number][]) {
        const bySource = sourceTotals(source)
        bySource.unparsed += lines
        bySource.read += lines
        claimed += lines
      }
      const unclaimed = counts.unparsed - claimed
      if (unclaimed + counts.oversized === 0) return
      const unknown = sourceTotals('unknown')
      unknown.unparsed += unclaimed
      unknown.oversized += counts.oversized
      unknown.read += unclaimed + counts.oversized
    },
    countFinding(finding) {
      findings++
      const seen = (reported[finding.rule] ??= { severity: finding.severity, findings: 0 })
      seen.findings++
    },
    addInput: (name) => void inputs.push(name),
    addFailure: (failure) => void failedInputs.push(failure),
    addSkipped: (skipped) => void skippedInputs.push(skipped),
    addBytes: (bytes) => void (bytesRead += bytes),
    setEngineStats: (stats) => void (engine = stats),
    setInterrupted: () => void (interrupted = true),
    snapshot(live = []) {
      const now = structuredClone(totals)
      for (const { file, counts } of live) addCounts(now, file, counts)
      return {
        rules: ruleSummaries(engine, reported),
        lines: now.lines,
        sources: now.sources,
        files: now.files,
        findings,
        folded: engine.folded,
        evicted: engine.evicted,
        inputs: [...inputs],
        failedInputs: [...failedInputs],
        skippedInputs: [...skippedInputs],
        unparsedSamples: [...unparsedSamples],
        bytesRead,
        durationMs: Math.round(performance.now() - started),
        interrupted,
      }
    },
  }
}
