// `claims` is a shortcut for `sniff(text) > 0` that the pipeline trusts instead of sniffing: it must agree on
// the documented lines and on any mutation of them.
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { unwrapLine } from '../unwrap-line.js'
import { sources } from './index.js'

const texts = sources.flatMap((source) => source.examples.flatMap((example) => example.lines.map((line) => unwrapLine(line).text)))
const withClaims = sources.filter((source) => source.claims !== undefined)

describe.each(withClaims.map((source) => ({ id: source.id, source })))('$id claims', ({ source }) => {
  test.each(texts.map((text) => [text]))('agrees with sniff on %j', (text) => {
    expect(source.claims?.(text)).toBe(source.sniff(text) > 0)
  })

  test('agrees with sniff on mutated lines', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...texts), fc.nat(), fc.nat(), fc.string({ maxLength: 8 }))
      .map(([text, at, cut, insert]) => {
        const i = at % (text.length + 1)
        return text.slice(0, i) + insert + text.slice(Math.min(text.length, i + (cut % 6)))
      })
    fc.assert(
      fc.property(mutated, (text) => {
        expect(source.claims?.(text)).toBe(source.sniff(text) > 0)
      }),
      { numRuns: 5000 },
    )
  })
})
