// logrus TextFormatter lines, plain (`time="…" level=… msg=… k=v …`) and TTY
// (`INFO[0000] listening on [::]:5000    go.version=go1.5.2 …`): shared/spec/formats-registry.md §1.
import type { ParsedFields } from '../../define-source.js'
import type { RegistryEvent } from '../../log-event.js'
import type { Unparsed } from '../../unparsed-line.js'
import { buildRegistryEvent, createFieldMap, fieldMapFromPairs, normaliseLevel } from './normalise-fields.js'
import { keyEnd, readLogrusFieldsInto, tokenizeLogrusFields } from './tokenize-logrus-fields.js'

/** Whether `text` starts like a logrus text entry (`time="…`, or `level=` when timestamps are disabled, as in the docs). */
export function isLogrusText(text: string): boolean {
  return text.startsWith('time="') || text.startsWith('level=')
}

/** Parses a plain logrus text entry; physical lines joined by `\n` stay inside the value they belong to. */
export function parseLogrusText(text: string): ParsedFields<RegistryEvent> | Unparsed {
  if (!isLogrusText(text)) return { unparsed: 'no-match' }
  const fields = createFieldMap()
  const present = readLogrusFieldsInto(text, fields)
  return buildRegistryEvent(fields, { format: 'logrus-text' }, present)
}

/** Whether the last quoted value of a logrus text entry is still open (era B: a raw newline cut it). */
export function hasOpenValue(text: string): boolean {
  return tokenizeLogrusFields(text).open
}

// TTY layout: a four-letter level, seconds since start, then the message padded to 44 columns.
const LEVEL = String.raw`(?<level>[A-Z]{4})`
const UPTIME = String.raw`\[(?<uptime>\d{1,10})\]`
const TTY_PREFIX = new RegExp(`^${LEVEL}${UPTIME} `)
// Colour codes logrus writes around the level and each key when stdout is a terminal.
const ANSI_COLOUR = /\u001b\[[0-9;]{0,20}m/g
/** Message candidates tried before the rest of the line is taken as message; bounds work on hostile lines. */
const MAX_FIELD_STARTS = 16

/** Whether `text` starts like a logrus TTY entry (`INFO[0000] `). */
export function isLogrusTty(text: string): boolean {
  return TTY_PREFIX.test(text.includes('\u001b') ? text.replace(ANSI_COLOUR, '') : text)
}

/**
 * Parses a TTY entry. The message is free text, so the fields start at the first ` key=` after which the
 * rest of the line tokenizes cleanly (a message may itself contain `a=b`).
 */
export function parseLogrusTty(line: string): ParsedFields<RegistryEvent> | Unparsed {
  const text = line.includes('\u001b') ? line.replace(ANSI_COLOUR, '') : line
  const prefix = TTY_PREFIX.exec(text)
  const level = normaliseLevel(prefix?.groups?.['level'] ?? '')
  if (prefix === null || level === undefined) return { unparsed: 'no-match' }
  const start = prefix[0].length
  let fieldsStart = text.length
  let pairs: string[] = []
  let tries = 0
  for (let space = text.indexOf(' ', start); space !== -1 && tries < MAX_FIELD_STARTS; space = text.indexOf(' ', space + 1)) {
    if (keyEnd(text, space + 1) === -1) continue
    tries++
    const tokens = tokenizeLogrusFields(text, space + 1)
    if (tokens.clean) {
      fieldsStart = space
      pairs = tokens.pairs
      break
    }
  }
  const fields = fieldMapFromPairs(pairs)
  return buildRegistryEvent(fields, { format: 'logrus-tty', level, message: text.slice(start, fieldsStart).trim() })
}
