// Turning the events that made up an occurrence into a Finding: evidence lines (capped, redacted), the
// message template filled from the evidence, and the rule's texts.
import type { LogEvent } from '@registry-logscan/parser'
import type { EvidenceLine, Finding } from './finding.js'
import { parseMessageTemplate } from './message-template.js'
import { redact } from './redact.js'
import type { Rule } from './rule-schema.js'

/** An event with the time it counts at (its own, or inherited from the previous event of its stream). */
export interface TimedEvent {
  event: LogEvent
  time: number | undefined
}

/** Characters of one evidence line kept in a finding (the rest is cut with a note). */
const EVIDENCE_TEXT_LIMIT = 4_096

/** Builds findings for one rule: the message template is parsed once. */
export function createFindingBuilder(rule: Rule, maxEvidence: number): (events: readonly TimedEvent[]) => Finding {
  const template = parseMessageTemplate(rule.message)
  return (events) => {
    const first = events[0]?.event
    const shown = events.slice(0, maxEvidence).map(({ event }) => evidenceLine(event))
    const finding: Finding = {
      rule: rule.id,
      severity: rule.severity,
      title: rule.title,
      source: first?.source ?? rule.sources[0] ?? 'registry',
      file: first?.file ?? '-',
      line: first?.line ?? 0,
      message: redact(template.fill(events)),
      evidence: shown,
      remediation: rule.remediation,
      docs: rule.docs,
      count: 1,
    }
    const time = isoTime(first?.time)
    if (time !== undefined) finding.time = time
    if (events.length > shown.length) finding.evidenceOmitted = events.length - shown.length
    if (rule.verify !== undefined) finding.verify = [...rule.verify]
    if (rule.configFix !== undefined) finding.configFix = rule.configFix
    if (rule.tags.length > 0) finding.tags = [...rule.tags]
    return finding
  }
}

export function evidenceLine(event: LogEvent): EvidenceLine {
  // Cut before redacting so a huge line costs little, then again after so the kept part is bounded.
  const cut = event.raw.length > 2 * EVIDENCE_TEXT_LIMIT ? event.raw.slice(0, 2 * EVIDENCE_TEXT_LIMIT) : event.raw
  let text = redact(cut)
  if (text.length > EVIDENCE_TEXT_LIMIT || cut.length < event.raw.length) {
    text = `${text.slice(0, EVIDENCE_TEXT_LIMIT)}… (${event.raw.length} characters)`
  }
  const line: EvidenceLine = { file: event.file, line: event.line, text, source: event.source }
  const time = isoTime(event.time)
  if (time !== undefined) line.time = time
  return line
}

export function isoTime(time: number | undefined): string | undefined {
  if (time === undefined || !Number.isFinite(time)) return undefined
  const date = new Date(time)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}
