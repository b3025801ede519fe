// logrus' TTY layout as the Go tools around a push print it (kaniko, dockerd in the foreground, crictl):
// `INFO[0005] <message>`, the bracket holding seconds since start (or the time, with full timestamps).
import type { LogLevel } from '../../log-event.js'
import { normaliseLevel } from '../registry/normalise-fields.js'

/** One TTY line taken apart. */
export interface LogrusTtyLine {
  level: LogLevel | undefined
  /** What the bracket holds: seconds since the tool started (`0005`), or its time. */
  clock: string
  message: string
}

const TTY_LINE = /^(?<level>TRAC|DEBU|INFO|WARN|ERRO|FATA|PANI)\[(?<clock>[^\]\s]{1,40})\] (?<message>.*)$/

/** The parts of a logrus TTY line, or undefined for another line. */
export function parseLogrusTtyLine(text: string): LogrusTtyLine | undefined {
  const groups = TTY_LINE.exec(text)?.groups
  if (groups === undefined) return undefined
  return { level: normaliseLevel(groups.level ?? ''), clock: groups.clock ?? '', message: (groups.message ?? '').trimEnd() }
}
