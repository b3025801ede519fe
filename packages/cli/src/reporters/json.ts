// One document when the scan ends: `{ findings, summary }` (../../../../shared/spec/cli-contract.md, "The json
// document"). The summary is always included: a script reading the document needs the line accounting.
// Findings are kept until the end because folding still raises their counts; the document is then written one
// finding at a time, byte for byte what `JSON.stringify(document, null, 2)` gives, so a scan with thousands of
// findings never builds the whole document as one string (stdout to a file or pipe is synchronous on Linux).
import type { Finding } from 'registry-logscan'
import type { Reporter, ReporterContext } from './reporter.js'

const INDENT = '  '

export function createJsonReporter(context: ReporterContext): Reporter {
  const findings: Finding[] = []
  return {
    finding: (finding) => void findings.push(finding),
    end(summary) {
      if (findings.length === 0) {
        context.write(`${JSON.stringify({ findings, summary }, null, 2)}\n`)
        return
      }
      context.write(`{\n${INDENT}"findings": [\n`)
      findings.forEach((finding, index) => {
        const comma = index < findings.length - 1 ? ',' : ''
        context.write(`${nested(finding, 2)}${comma}\n`)
      })
      context.write(`${INDENT}],\n${INDENT}"summary": ${nested(summary, 1).trimStart()}\n}\n`)
    },
  }
}

/** `value` as `JSON.stringify(…, null, 2)` prints it `depth` levels down (JSON strings hold no raw newline). */
function nested(value: unknown, depth: number): string {
  const indent = INDENT.repeat(depth)
  return indent + JSON.stringify(value, null, 2).replaceAll('\n', `\n${indent}`)
}
