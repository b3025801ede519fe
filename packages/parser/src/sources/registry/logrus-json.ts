// logrus JSONFormatter lines (LabKit; GitLab's default since v3.0.0): one object per line, keys sorted,
// dotted (era B) or underscored (C/D) names: shared/spec/formats-registry.md §2, §3.2.
import type { ParsedFields } from '../../define-source.js'
import type { RegistryEvent } from '../../log-event.js'
import type { Unparsed } from '../../unparsed-line.js'
import { adoptJsonFields } from '../../fields/adopt-json-fields.js'
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
    fields = adoptJsonFields(object, valueText, keepsKey) ?? copyToFieldMap(object)
  } catch {
    // JSON.stringify of a pathologically deep value overflows the stack.
    return { unparsed: 'bad-json' }
  }
  return buildRegistryEvent(fields, { format: 'logrus-json' })
}

/** Keys the parsed object can keep as they are: a dotted key is renamed, a refused one dropped (by the copy). */
const keepsKey = (key: string): boolean => !key.includes('.') && !isRefusedKey(key)

function copyToFieldMap(object: Record<string, unknown>): FieldMap {
  const fields = createFieldMap()
  // Object.keys (own keys only): a `__proto__` key from JSON.parse is plain data here, and addField refuses it.
  for (const key of Object.keys(object)) addField(fields, key, valueText(object[key]))
  return fields
}
