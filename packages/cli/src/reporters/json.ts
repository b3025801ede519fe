// One document when the scan ends: `{ findings, summary }` (../../../../shared/spec/cli-contract.md, "The json
// document"). The summary is always included: a script reading the document needs the line accounting.
import type { Finding } from 'registry-logscan'
import type { Reporter, ReporterContext } from './reporter.js'

export function createJsonReporter(context: ReporterContext): Reporter {
  const findings: Finding[] = []
  return {
    finding: (finding) => void findings.push(finding),
    end(summary) {
      context.write(`${JSON.stringify({ findings, summary }, null, 2)}\n`)
    },
  }
}
