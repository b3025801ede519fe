import fc from 'fast-check'
import { expect, test } from 'vitest'
import { parseDigits } from './parse-digits.js'

test.each([
  ['200', 200],
  ['0', 0],
  ['007', 7],
  ['999999999999999', 999_999_999_999_999],
  ['1234567890123456', undefined],
  ['', undefined],
  ['-', undefined],
  ['-1', undefined],
  ['1.5', undefined],
  [' 1', undefined],
  ['١٢', undefined],
  [undefined, undefined],
])('%j → %j', (text, expected) => {
  expect(parseDigits(text)).toBe(expected)
})

test('agrees with /^\\d{1,15}$/ and Number()', () => {
  fc.assert(
    fc.property(fc.oneof(fc.stringMatching(/^\d{0,17}$/), fc.string({ maxLength: 6 })), (text) => {
      expect(parseDigits(text)).toBe(/^\d{1,15}$/.test(text) ? Number(text) : undefined)
    }),
  )
})
