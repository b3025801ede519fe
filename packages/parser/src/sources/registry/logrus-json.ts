// logrus JSONFormatter lines (LabKit; GitLab's default since v3.0.0): one object per line, keys sorted,
// dotted (era B) or underscored (C/D) names: shared/spec/formats-registry.md §2, §3.2.
import type { ParsedFields } from '../../define-source.js'
import type { RegistryEvent } from '../../log-event.js'
import type { Unparsed } from '../../unparsed-line.js'
import { isRefusedKey } from '../../fields/refused-keys.js'
import { addField, buildRegistryEvent, createFieldMap, type FieldMap } from './normalise-fields.js'

/** A JSON value as the text logrus would have printed for it (strings as-is, the rest as JSON). */
function valueText(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return value === null ? '' : JSON.stringify(value)
}

/** Parses one logrus JSON object. Objects without `msg` or `level` are not logrus lines (`no-match`). */
export function parseLogrusJson(text: string): ParsedFields<RegistryEvent> | Unparsed {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return { unparsed: 'bad-json' }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { unparsed: 'bad-json' }
  const object = parsed as Record<string, unknown>
  if (!Object.hasOwn(object, 'msg') && !Object.hasOwn(object, 'level')) return { unparsed: 'no-match' }
  let fields: FieldMap
  try {
    fields = adoptAsFieldMap(object) ?? copyToFieldMap(object)
  } catch {
    // JSON.stringify of a pathologically deep value overflows the stack.
    return { unparsed: 'bad-json' }
  }
  return buildRegistryEvent(fields, { format: 'logrus-json' })
}

/**
 * The parsed object itself as the field map, when no key needs renaming or refusing: its non-string values
 * are turned to text in place and its prototype dropped. Copying every key into a fresh map cost as much as
 * `JSON.parse` itself in a profile of the registry's JSON access lines (the common case: underscored keys).
 * Undefined when a key has a dot or is refused; nothing is changed then.
 */
function adoptAsFieldMap(object: Record<string, unknown>): FieldMap | undefined {
  const keys = Object.keys(object)
  for (const key of keys) if (key.includes('.') || isRefusedKey(key)) return undefined
  for (const key of keys) {
    const value = object[key]
    if (typeof value !== 'string') object[key] = valueText(value)
  }
  return Object.setPrototypeOf(object, null) as FieldMap
}

function copyToFieldMap(object: Record<string, unknown>): FieldMap {
  const fields = createFieldMap()
  // Object.keys (own keys only): a `__proto__` key from JSON.parse is plain data here, and addField refuses it.
  for (const key of Object.keys(object)) addField(fields, key, valueText(object[key]))
  return fields
}
