// What `registry garbage-collect` prints to stdout (fmt, not logrus) while it marks and sweeps:
// `<repository>: marking manifest sha256:…`, `<repository>: marking blob sha256:…`,
// `blob eligible for deletion: sha256:…`, `N blobs marked, N blobs and N manifests eligible for deletion`
// (distribution registry/storage/garbagecollect.go; real output in distribution#2872, #4702).
import type { ParsedFields } from '../../define-source.js'
import type { RegistryEvent } from '../../log-event.js'
import type { Unparsed } from '../../unparsed-line.js'
import { createFieldMap } from './normalise-fields.js'

const DIGEST = String.raw`(?<digest>sha256:[0-9a-f]{64})`
const MARKING = new RegExp(String.raw`^(?<repository>[a-z0-9][a-z0-9._/-]{0,254}): marking (?:manifest|blob) ${DIGEST}$`)
const ELIGIBLE = new RegExp(String.raw`^(?:blob|manifest) eligible for deletion: ${DIGEST}`)
const SUMMARY = /^\d+ blobs marked, \d+ blobs and \d+ manifests eligible for deletion$/

/** Whether `text` is a line of `registry garbage-collect`'s own output. */
export function isGcOutput(text: string): boolean {
  return MARKING.test(text) || ELIGIBLE.test(text) || SUMMARY.test(text)
}

/** Parses a garbage-collect output line: the repository being marked and the digest, when the line names them. */
export function parseGcOutput(text: string): ParsedFields<RegistryEvent> | Unparsed {
  const groups = (MARKING.exec(text) ?? ELIGIBLE.exec(text))?.groups
  if (groups === undefined && !SUMMARY.test(text)) return { unparsed: 'no-match' }
  const event: ParsedFields<RegistryEvent> = { source: 'registry', message: text, level: 'info', format: 'gc-output', access: false, fields: createFieldMap() }
  if (groups?.repository !== undefined) event.repository = groups.repository
  if (groups?.digest !== undefined) event.digest = groups.digest
  return event
}
