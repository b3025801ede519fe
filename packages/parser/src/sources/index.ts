// The catalogue of source parsers: the one list every other part (detection, the catalogue test, rule
// validation) iterates, so a parser added here is detected, tested and nameable in rules at once.
import type { SourceParser } from '../define-source.js'
import type { SourceId } from '../log-event.js'
import { docker } from './docker.js'
import { nginxAccess } from './nginx-access.js'
import { nginxError } from './nginx-error.js'
import { proxy } from './proxy.js'
import { rails } from './rails.js'
import { registry } from './registry.js'

/** Every source parser, in `SOURCE_IDS` order (which is also the tie-break order of detection). */
export const sources = [registry, nginxAccess, nginxError, rails, docker, proxy] as const

/** The parser of each source, by id. */
export const SOURCES_BY_ID: Readonly<Record<SourceId, SourceParser>> = Object.freeze({
  registry,
  'nginx-access': nginxAccess,
  'nginx-error': nginxError,
  rails,
  docker,
  proxy,
})

/** Sources by the syslog / journald program names they read first (`SourceParser.programs`). */
export const SOURCES_BY_PROGRAM: ReadonlyMap<string, SourceParser> = new Map(
  sources.flatMap((source): [string, SourceParser][] => (source.programs ?? []).map((program) => [program, source])),
)

/** Whether `value` names a source (for `--source` and rule files). */
export function isSourceId(value: string): value is SourceId {
  return Object.hasOwn(SOURCES_BY_ID, value)
}
