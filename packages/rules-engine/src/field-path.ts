// Which `field:` paths a rule may name, and how a path reads its value from an event. Paths are checked
// against the rule's sources at load time and turned into one accessor closure at compile time.
import { EVENT_FIELDS, type LogEvent, type SourceId } from '@registry-logscan/parser'

/** Keys of `LineWrapper` (see log-event.ts); `wrapper.<key>` may name any of them. */
const WRAPPER_KEYS: ReadonlySet<string> = new Set(['kind', 'time', 'stream', 'container', 'host', 'program'])
/** Fields every event has whatever its source. */
const UNIVERSAL_FIELDS: ReadonlySet<string> = new Set(['raw', 'source'])

/** Why `path` cannot be read from events of `sources`, or `undefined` when it can. */
export function checkFieldPath(path: string, sources: readonly SourceId[]): string | undefined {
  if (UNIVERSAL_FIELDS.has(path)) return undefined
  const dot = path.indexOf('.')
  if (dot > 0) {
    const head = path.slice(0, dot)
    const key = path.slice(dot + 1)
    if (key === '') return `"${path}" names no key`
    if (head === 'wrapper') return WRAPPER_KEYS.has(key) ? undefined : `unknown wrapper field "${key}" (known: ${[...WRAPPER_KEYS].join(', ')})`
    if (head === 'fields') {
      return sources.some((source) => hasField(source, 'fields')) ? undefined : `events of ${sources.join(', ')} have no fields map`
    }
    return `unknown field "${path}" for ${sources.join(', ')}`
  }
  if (sources.some((source) => hasField(source, path))) return undefined
  return `unknown field "${path}" for ${sources.join(', ')} (see EVENT_FIELDS in the parser)`
}

function hasField(source: SourceId, field: string): boolean {
  return (EVENT_FIELDS[source] as readonly string[]).includes(field)
}

/** Reads the value at a field path; `undefined` when absent. */
export type FieldAccessor = (event: LogEvent) => unknown

/**
 * One closure per path, built once: `fields.<key>` and `wrapper.<key>` read from the open maps. A name an
 * object inherits (`constructor`, `__proto__`, …) is read with an own-property check; any other name needs
 * none, so the common path is a plain property read.
 */
export function createFieldAccessor(path: string): FieldAccessor {
  const dot = path.indexOf('.')
  if (dot > 0) {
    const head = path.slice(0, dot)
    const key = path.slice(dot + 1)
    if (key in Object.prototype || head in Object.prototype) {
      return (event) => {
        const container = Object.hasOwn(event, head) ? (event as unknown as Record<string, unknown>)[head] : undefined
        if (typeof container !== 'object' || container === null || !Object.hasOwn(container, key)) return undefined
        return (container as Record<string, unknown>)[key]
      }
    }
    return (event) => {
      const container = (event as unknown as Record<string, unknown>)[head]
      return typeof container === 'object' && container !== null ? (container as Record<string, unknown>)[key] : undefined
    }
  }
  if (path in Object.prototype) return (event) => (Object.hasOwn(event, path) ? (event as unknown as Record<string, unknown>)[path] : undefined)
  return (event) => (event as unknown as Record<string, unknown>)[path]
}
