// `exactOptionalPropertyTypes` forbids writing `undefined` into an optional field; events must not carry
// `key: undefined` either (golden files and `toEqual` would see it). This sets a field only when it has a value.

/** Sets `target[key] = value` unless `value` is undefined. */
export function setDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value
}
