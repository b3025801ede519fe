// One finding per line as it happens, each a valid pino record so `pino-pretty` and log shippers read it:
// pino's numeric `level` and `msg` are added; `time` stays the contract's ISO-8601 string, the shape pino's own
// `stdTimeFunctions.isoTime` writes and pino-pretty reads.
import type { Finding, Severity } from 'registry-logscan'
import type { Reporter, ReporterContext } from './reporter.js'

/** pino's level numbers: info 30, warn 40, error 50, fatal 60. */
export const PINO_LEVELS: Record<Severity, number> = { info: 30, warning: 40, error: 50, critical: 60 }

export function createNdjsonReporter(context: ReporterContext): Reporter {
  return {
    finding(finding: Finding) {
      const record = { level: PINO_LEVELS[finding.severity], ...finding, msg: `${finding.title}: ${finding.message}` }
      context.write(`${JSON.stringify(record)}\n`)
    },
    end(summary) {
      if (!context.summary) return
      context.write(`${JSON.stringify({ level: 30, time: new Date().toISOString(), msg: 'summary', summary })}\n`)
    },
  }
}
