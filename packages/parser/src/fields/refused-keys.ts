// Keys from a log line that must never become property names on a plain object: assigning them would reach
// the object's prototype (prototype pollution). Every parser that copies keys from a line asks this one set.

const REFUSED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

/** Whether a key taken from a log line must not be stored under its own name. */
export function isRefusedKey(name: string): boolean {
  return REFUSED_KEYS.has(name)
}
