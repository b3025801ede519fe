// A JSON log line's parsed object as its event's field map (string values, no prototype), without copying it.
// Copying every key into a fresh map cost as much as `JSON.parse` itself in profiles of the registry's JSON
// access lines and of Rails' production_json (30–40 keys a line).

/**
 * Turns `object`'s non-string values to text in place (`toText`) and drops its prototype, so the object itself
 * is the field map. Undefined, with nothing changed, when `accept` refuses one of its keys: the caller copies
 * then. The object is rewritten, so read what else is needed from it first.
 */
export function adoptJsonFields(
  object: Record<string, unknown>,
  toText: (value: unknown) => string,
  accept: (key: string) => boolean,
): Record<string, string> | undefined {
  const keys = Object.keys(object)
  for (const key of keys) if (!accept(key)) return undefined
  for (const key of keys) {
    const value = object[key]
    if (typeof value !== 'string') object[key] = toText(value)
  }
  return Object.setPrototypeOf(object, null) as Record<string, string>
}
