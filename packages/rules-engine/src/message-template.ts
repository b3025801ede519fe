// A rule's `message` template: `{field}` takes the value from the first evidence event that has it,
// `{a|b}` the first of several fields that has a value, `{count}` the number of evidence events, and a
// `[ … ]` segment is left out when a placeholder inside it has no value — so one template reads well
// on every log generation, whether or not the line carried the request fields.
import type { LogEvent } from '@registry-logscan/parser'
import { toText } from './compile-condition.js'
import { createFieldAccessor, type FieldAccessor } from './field-path.js'

/** Characters of one value substituted into a message. */
const MESSAGE_VALUE_LIMIT = 500

interface Placeholder {
  /** Readers for each alternative; empty for `{count}`. */
  readers: FieldAccessor[]
}
type Part = string | Placeholder | { optional: Part[] }

/** A parsed template: `fill` renders it for the events of one finding. */
export interface MessageTemplate {
  fill(events: readonly { event: LogEvent }[]): string
}

const PLACEHOLDER = /\{([^{}\s]{1,200})\}/g

function parsePlaceholders(text: string): Part[] {
  const parts: Part[] = []
  let last = 0
  for (const match of text.matchAll(PLACEHOLDER)) {
    const names = (match[1] ?? '').split('|')
    parts.push(text.slice(last, match.index), {
      readers: names[0] === 'count' ? [] : names.map((name) => createFieldAccessor(name)),
    })
    last = match.index + match[0].length
  }
  parts.push(text.slice(last))
  return parts
}

/** Every field a template reads (`{a|b}` gives both; `{count}` none), for code that must keep them on events. */
export function templateFields(message: string): string[] {
  const fields: string[] = []
  for (const match of message.matchAll(PLACEHOLDER)) {
    for (const name of (match[1] ?? '').split('|')) if (name !== 'count' && !fields.includes(name)) fields.push(name)
  }
  return fields
}

/** Parses `message` once; `[`/`]` delimit optional segments, which may nest. An unmatched bracket is text. */
export function parseMessageTemplate(message: string): MessageTemplate {
  const parts = parseSegment(message, 0, false).parts
  return { fill: (events) => render(parts, events, '-') ?? '' }
}

/** Parses from `start` up to the `]` closing this segment (when `nested`) or the end; returns where it stopped. */
function parseSegment(text: string, start: number, nested: boolean): { parts: Part[]; end: number } {
  const parts: Part[] = []
  let textStart = start
  let i = start
  while (i < text.length) {
    const c = text[i]
    if (c === ']' && nested) {
      parts.push(...parsePlaceholders(text.slice(textStart, i)))
      return { parts, end: i + 1 }
    }
    if (c === '[' && text.indexOf(']', i) !== -1) {
      const inner = parseSegment(text, i + 1, true)
      if (inner.end !== -1) {
        parts.push(...parsePlaceholders(text.slice(textStart, i)), { optional: inner.parts })
        i = inner.end
        textStart = i
        continue
      }
    }
    i++
  }
  if (nested) return { parts, end: -1 }
  parts.push(...parsePlaceholders(text.slice(textStart)))
  return { parts, end: text.length }
}

/** Renders parts; a missing value is `missing`, or makes the whole render undefined when `missing` is undefined. */
function render(parts: readonly Part[], events: readonly { event: LogEvent }[], missing: string | undefined): string | undefined {
  let text = ''
  for (const part of parts) {
    if (typeof part === 'string') text += part
    else if ('optional' in part) text += render(part.optional, events, undefined) ?? ''
    else if (part.readers.length === 0) text += String(events.length)
    else {
      const value = firstOf(part.readers, events)
      if (value === undefined && missing === undefined) return undefined
      text += value === undefined ? missing : sanitizeValue(value)
    }
  }
  return text
}

function firstOf(readers: readonly FieldAccessor[], events: readonly { event: LogEvent }[]): string | undefined {
  for (const read of readers) {
    const value = firstValue(read, events)
    if (value !== undefined && value !== '') return value
  }
  return undefined
}

/** The text of the field in the first event that has it (arrays: first element). */
export function firstValue(read: FieldAccessor, events: readonly { event: LogEvent }[]): string | undefined {
  for (const { event } of events) {
    const value = read(event)
    const text = toText(Array.isArray(value) ? (value as unknown[])[0] : value)
    if (text !== undefined) return text
  }
  return undefined
}

/** Log text inside a message: no control characters (terminal escapes, newlines), bounded length. */
function sanitizeValue(value: string): string {
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim()
  return clean.length > MESSAGE_VALUE_LIMIT ? `${clean.slice(0, MESSAGE_VALUE_LIMIT)}…` : clean
}
