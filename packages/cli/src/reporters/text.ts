// Findings for people: one block per finding that someone who never heard of the tool can act on — what is
// wrong, what was seen and where, the lines that show it, and the fix with how to check it. Every piece of
// log-derived text is sanitised (a crafted log line must not drive the terminal).
import pc from 'picocolors'
import type { Finding, Severity } from 'registry-logscan'
import { sanitizeLine, sanitizeTerminal } from '../sanitize-terminal.js'
import { formatSummaryText } from '../summary.js'
import type { Reporter, ReporterContext } from './reporter.js'

/** Evidence lines printed per finding; the rest are counted (the json/ndjson formats carry all of them). */
const EVIDENCE_SHOWN = 5
/** Evidence text is cut here: a 50 MB line has no business on a terminal. */
const EVIDENCE_TEXT_LIMIT = 400
const WIDTH = 100
const LABEL_WIDTH = 10

type Colors = ReturnType<typeof pc.createColors>

function severityLabel(severity: Severity, colors: Colors): string {
  const label = severity.toUpperCase()
  const paint: Record<Severity, (text: string) => string> = {
    critical: (text) => colors.bgRed(colors.white(` ${text} `)),
    error: colors.red,
    warning: colors.yellow,
    info: colors.cyan,
  }
  return colors.bold(paint[severity](label))
}

/** Greedy word wrap; words longer than the width stay whole. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    for (const word of paragraph.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line)
        line = word
      } else line = line === '' ? word : `${line} ${word}`
    }
    lines.push(line)
  }
  return lines
}

function field(label: string, text: string, colors: Colors): string {
  const indent = ' '.repeat(LABEL_WIDTH + 2)
  const [first = '', ...rest] = wrap(text, WIDTH - indent.length)
  return [`  ${colors.dim(label.padEnd(LABEL_WIDTH))}${first}`, ...rest.map((line) => indent + line)].join('\n')
}

function cut(text: string): string {
  return text.length > EVIDENCE_TEXT_LIMIT ? `${text.slice(0, EVIDENCE_TEXT_LIMIT)}… (${text.length} characters)` : text
}

/** The block printed for one finding. */
export function formatFindingText(finding: Finding, colors: Colors): string {
  const seen = finding.count > 1 ? `${finding.message} (${finding.count} times${finding.lastTime === undefined ? '' : `, last at ${finding.lastTime}`})` : finding.message
  const where = `${finding.file}:${finding.line}${finding.time === undefined ? '' : `, ${finding.time}`}`
  const blocks = [
    `${severityLabel(finding.severity, colors)} ${colors.bold(sanitizeLine(finding.title))} ${colors.dim(`[${finding.rule}]`)}`,
    field('Seen', sanitizeLine(seen), colors),
    field('Where', sanitizeLine(where), colors),
  ]
  const evidence = finding.evidence.slice(0, EVIDENCE_SHOWN).map((line) => {
    const place = colors.dim(sanitizeLine(`${line.file}:${line.line}`))
    return `    ${place}\n      ${sanitizeLine(cut(line.text))}`
  })
  if (finding.evidence.length > EVIDENCE_SHOWN) evidence.push(colors.dim(`    … and ${finding.evidence.length - EVIDENCE_SHOWN} more lines`))
  if (evidence.length > 0) blocks.push(`  ${colors.dim('Evidence')}\n${evidence.join('\n')}`)
  blocks.push(field('Fix', sanitizeTerminal(finding.remediation.trim()), colors))
  if (finding.configFix !== undefined) {
    const config = sanitizeTerminal(finding.configFix.trimEnd()).split('\n').map((line) => `    ${line}`)
    blocks.push(`  ${colors.dim('Config')}\n${config.join('\n')}`)
  }
  for (const command of finding.verify ?? []) blocks.push(field('Verify', `$ ${sanitizeLine(command)}`, colors))
  blocks.push(field('Docs', sanitizeLine(finding.docs), colors))
  return `${blocks.join('\n')}\n`
}

export function createTextReporter(context: ReporterContext): Reporter {
  const colors = pc.createColors(context.color)
  let printed = 0
  return {
    finding(finding) {
      context.write(`${printed > 0 ? '\n' : ''}${formatFindingText(finding, colors)}`)
      printed++
    },
    end(summary) {
      if (!context.summary) return
      context.write(`${printed > 0 ? '\n' : ''}${formatSummaryText(summary, colors)}`)
    },
  }
}
