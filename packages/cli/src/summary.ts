// `--summary` for people: per rule count, first/last time, sources and files; the line accounting per source
// and per file; folded repeats and evicted groups; inputs that failed; samples of lines nobody could read.
import type pc from 'picocolors'
import type { LineTotals, ScanSummary } from 'registry-logscan'
import { sanitizeLine } from './sanitize-terminal.js'

type Colors = ReturnType<typeof pc.createColors>

function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  return rows.map((row) => `  ${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd())
}

function totalsRow(name: string, totals: LineTotals): string[] {
  return [name, String(totals.read), String(totals.parsed), String(totals.unparsed), String(totals.oversized)]
}

/** The summary as text, in sections; every log-derived string sanitised. */
export function formatSummaryText(summary: ScanSummary, colors: Colors): string {
  const out: string[] = [colors.bold('Summary')]
  const rules = Object.entries(summary.rules).sort(([a], [b]) => (a < b ? -1 : 1))
  if (rules.length === 0) out.push('  No rule found anything.')
  else {
    out.push(
      ...table([
        ['rule', 'severity', 'count', 'first', 'last', 'sources', 'files'],
        ...rules.map(([id, rule]) => [
          id, rule.severity, String(rule.count), rule.first ?? '-', rule.last ?? '-', rule.sources.join(','), sanitizeLine(rule.files.join(', ')),
        ]),
      ]),
    )
  }
  out.push(`  folded repeats: ${summary.folded}   evicted correlation groups: ${summary.evicted}`)
  out.push('', colors.bold('Lines'))
  const lines = summary.lines
  out.push(
    ...table([
      ['', 'read', 'parsed', 'unparsed', 'oversized'],
      totalsRow('total', lines),
      ...Object.entries(summary.sources).map(([source, totals]) => totalsRow(`source ${source}`, totals)),
      ...Object.entries(summary.files).map(([file, totals]) => totalsRow(sanitizeLine(file), totals)),
    ]),
  )
  const reasons = Object.entries(lines.unparsedByReason).filter(([, count]) => count > 0)
  if (reasons.length > 0) out.push(`  unparsed by reason: ${reasons.map(([reason, count]) => `${reason} ${count}`).join(', ')}`)
  if (lines.invalidUtf8 > 0) out.push(`  lines with invalid UTF-8: ${lines.invalidUtf8}`)
  if (summary.unparsedSamples.length > 0) {
    out.push('', colors.bold('Unparsed samples') + colors.dim(' (include these when reporting a format we miss)'))
    for (const sample of summary.unparsedSamples) {
      out.push(`  ${colors.dim(sanitizeLine(`${sample.file}:${sample.line} ${sample.source} ${sample.reason}`))}`, `    ${sanitizeLine(sample.text.slice(0, 200))}`)
    }
  }
  if (summary.failedInputs.length > 0) {
    out.push('', colors.bold('Inputs that could not be read'))
    for (const failed of summary.failedInputs) out.push(`  ${sanitizeLine(failed.message)} (${failed.code})`)
  }
  if (summary.skippedInputs.length > 0) {
    out.push('', colors.bold('Left out') + colors.dim(' (logs of GitLab services no rule reads; name a file to scan it)'))
    for (const skipped of summary.skippedInputs) out.push(`  ${sanitizeLine(skipped.input)} (${sanitizeLine(skipped.service)})`)
  }
  if (summary.interrupted) out.push('', colors.yellow('Interrupted: the counts cover what was read before the stop.'))
  return `${out.join('\n')}\n`
}
