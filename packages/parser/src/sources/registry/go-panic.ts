// Go runtime panics the registry prints on its way down (`panic: s3aws: AccessDenied: …` followed by the
// error's `\tstatus code: 403, request id: …` line and the goroutine dump): shared/spec/formats-registry.md §1.2.3.
import type { ParsedFields } from '../../define-source.js'
import type { RegistryEvent } from '../../log-event.js'
import type { Unparsed } from '../../unparsed-line.js'
import { createFieldMap } from './normalise-fields.js'

const PANIC = 'panic: '
// A stack frame's function line: `main.main()`, `github.com/x/y.(*T).m(0xc000, …)`.
const FRAME_FUNCTION = /^[\w./*()-]{1,300}\(/

/** Whether `text` starts a Go panic. */
export function isGoPanic(text: string): boolean {
  return text.startsWith(PANIC)
}

/**
 * Whether `text` belongs to the panic above it: indented lines, the AWS error tail, goroutine headers, frames,
 * and the blank line Go prints between the message and the goroutine dump.
 */
export function continuesGoPanic(text: string): boolean {
  const first = text.charCodeAt(0)
  return (
    text === '' || first === 9 || first === 32 || text.startsWith('status code:') || text.startsWith('goroutine ') ||
    text.startsWith('created by ') || FRAME_FUNCTION.test(text)
  )
}

/** Parses a panic record; the message (and `error`) is everything after `panic: `, continuation lines included. */
export function parseGoPanic(text: string): ParsedFields<RegistryEvent> | Unparsed {
  if (!isGoPanic(text)) return { unparsed: 'no-match' }
  const message = text.slice(PANIC.length)
  return {
    source: 'registry', message, error: message, level: 'panic', format: 'go-panic', access: false, fields: createFieldMap(),
  }
}
