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

/** Parses `message` once; `[`/`]` delimit optional segments (not nested). */
export function parseMessageTemplate(message: string): MessageTemplate {
  const parts: Part[] = []
  let rest = message
  for (;;) {
    const open = rest.indexOf('[')
    const close = open === -1 ? -1 : rest.indexOf(']', open)
    if (close === -1) break
    parts.push(...parsePlaceholders(rest.slice(0, open)), { optional: parsePlaceholders(rest.slice(open + 1, close)) })
    rest = rest.slice(close + 1)
  }
  parts.push(...parsePlaceholders(rest))
  return { fill: (events) => render(parts, events, '-') ?? '' }
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
