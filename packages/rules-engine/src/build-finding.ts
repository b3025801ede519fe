// Turning the events that made up an occurrence into a Finding: evidence lines (capped, redacted), the
// message template filled from the evidence, and the rule's texts.
import type { LogEvent } from '@registry-logscan/parser'
import { toText } from './compile-condition.js'
import { createFieldAccessor, type FieldAccessor } from './field-path.js'
import type { EvidenceLine, Finding } from './finding.js'
import { redact } from './redact.js'
import type { Rule } from './rule-schema.js'

/** An event with the time it counts at (its own, or inherited from the previous event of its stream). */
export interface TimedEvent {
  event: LogEvent
  time: number | undefined
}

/** Characters of one evidence line kept in a finding (the rest is cut with a note). */
const EVIDENCE_TEXT_LIMIT = 4_096
/** Characters of one value substituted into a message. */
const MESSAGE_VALUE_LIMIT = 500

/** Builds findings for one rule: the message template is parsed once. */
export function createFindingBuilder(rule: Rule, maxEvidence: number): (events: readonly TimedEvent[]) => Finding {
  const template = parseTemplate(rule.message)
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
      message: fillTemplate(template, events, events.length),
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

type TemplatePart = string | { name: string; read: FieldAccessor | undefined }

function parseTemplate(message: string): TemplatePart[] {
  const parts: TemplatePart[] = []
  let last = 0
  for (const match of message.matchAll(/\{([^{}\s]{1,200})\}/g)) {
    const name = match[1] ?? ''
    parts.push(message.slice(last, match.index), { name, read: name === 'count' ? undefined : createFieldAccessor(name) })
    last = match.index + match[0].length
  }
  parts.push(message.slice(last))
  return parts
}

/** `{field}`: the value from the first evidence event that has it (`-` when none has); `{count}`: evidence events. */
function fillTemplate(parts: readonly TemplatePart[], events: readonly TimedEvent[], count: number): string {
  let text = ''
  for (const part of parts) {
    if (typeof part === 'string') text += part
    else if (part.read === undefined) text += String(count)
    else text += sanitizeValue(firstValue(part.read, events) ?? '-')
  }
  return redact(text)
}

/** The text of the field in the first event that has it (arrays: first element). */
export function firstValue(read: FieldAccessor, events: readonly TimedEvent[]): string | undefined {
  for (const { event } of events) {
    const value = read(event)
    const text = toText(Array.isArray(value) ? (value as unknown[])[0] : value)
    if (text !== undefined) return text
  }
  return undefined
}

/** Log text inside a message: no control characters (terminal escapes, newlines), bounded length. */
function sanitizeValue(value: string): string {
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
  return clean.length > MESSAGE_VALUE_LIMIT ? `${clean.slice(0, MESSAGE_VALUE_LIMIT)}…` : clean
}

export function isoTime(time: number | undefined): string | undefined {
  if (time === undefined || !Number.isFinite(time)) return undefined
  const date = new Date(time)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}
