import fc from 'fast-check'
import { expect, test } from 'vitest'
import { ANY_FIELD, fieldBit } from './field-presence.js'
import { buildRegistryEvent, createFieldMap, type FieldMap } from './normalise-fields.js'

/** The names `buildRegistryEvent` reads from a map, found by watching it read one. */
function namesRead(fields: FieldMap): Set<string> {
  const read = new Set<string>()
  const watched = new Proxy(fields, {
    get(target, key) {
      if (typeof key === 'string') read.add(key)
      return Reflect.get(target, key) as unknown
    },
  })
  buildRegistryEvent(watched, { format: 'logrus-text' })
  return read
}

const values = ['', 'access', 'GET', '/v2/a/b/manifests/latest', '200', '87', '8.937191ms', '12', 'x', '2024-05-02T10:11:12Z', 'error', 'blob unknown']
// Every name the builder reads when each of them is there, plus names it never reads.
const names = [...namesRead(Object.assign(createFieldMap(), { msg: 'access', code: 'x' })), 'router', 'go_version', 'path']

test('every name the event builder reads has a presence bit (msg is always read)', () => {
  for (const name of namesRead(Object.assign(createFieldMap(), { msg: 'access', code: 'x' }))) {
    if (name !== 'msg') expect([name, fieldBit(name)]).not.toEqual([name, 0])
  }
})

test('skipping the names a map does not hold builds the same event', () => {
  const entries = fc.array(fc.tuple(fc.constantFrom(...names), fc.constantFrom(...values)), { maxLength: 12 })
  fc.assert(
    fc.property(entries, (pairs) => {
      const fields = createFieldMap()
      let present = 0
      for (const [name, value] of pairs) {
        fields[name] = value
        present |= fieldBit(name)
      }
      const expected = JSON.stringify(buildRegistryEvent(fields, { format: 'logrus-text' }, ANY_FIELD))
      expect(JSON.stringify(buildRegistryEvent(fields, { format: 'logrus-text' }, present))).toBe(expected)
    }),
    { numRuns: 5000 },
  )
})
