import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { createLiteralIndex } from './literal-index.js'
import type { Literal } from './required-literals.js'

/** Ids of the literals found in `text`, each once, ascending. */
function found(literals: readonly Literal[], text: string): number[] {
  const ids = new Set<number>()
  createLiteralIndex(literals).scan(text, (id) => ids.add(id))
  return [...ids].sort((a, b) => a - b)
}

/** What the index must answer, by brute force (`toLowerCase` as the engine compares ignoreCase values). */
function expected(literals: readonly Literal[], text: string): number[] {
  return literals.flatMap((literal, id) => {
    const haystack = literal.ignoreCase ? text.toLowerCase() : text
    for (let at = haystack.indexOf(literal.text); at !== -1; at = haystack.indexOf(literal.text, at + 1)) {
      if (literal.wholeNumber !== true || (!/\d/.test(haystack.charAt(at - 1)) && !/\d/.test(haystack.charAt(at + literal.text.length)))) return [id]
    }
    return []
  })
}

const exact = (text: string): Literal => ({ text, ignoreCase: false })
const folded = (text: string): Literal => ({ text, ignoreCase: true })

describe('createLiteralIndex', () => {
  test.each<[string, Literal[], string, number[]]>([
    ['overlapping literals (the classic he/she/his/hers)', ['he', 'she', 'his', 'hers'].map(exact), 'ushers', [0, 1, 3]],
    ['a literal inside another', [exact('/blobs/'), exact('/blobs/uploads')], '/v2/a/blobs/uploads/', [0, 1]],
    ['case-sensitive literals are confirmed on the text', [exact('PUT')], 'put Put PUt', []],
    ['case-insensitive literals match any case', [folded('put')], 'a PuT b', [0]],
    ['the Kelvin sign folds to k', [folded('kkk')], '\u212Akk', [0]],
    ['but not for a case-sensitive literal', [exact('kkk')], '\u212Akk', []],
    ['non-ASCII breaks a match', [exact('abc')], 'ab\u00e9c', []],
    ['a number token needs non-digits around it', [{ text: '202', ignoreCase: false, wholeNumber: true }], '2024 1202 202x', [0]],
    ['no literal at all', [], 'anything', []],
  ])('%s', (_name, literals, text, ids) => {
    expect(found(literals, text)).toEqual(ids)
  })

  test('finds exactly what a brute-force search finds (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', 'A', 'B', '/', '2', '0', ' ', '\u212A', 'k')
    const word = fc.array(alphabet, { minLength: 1, maxLength: 4 }).map((chars) => chars.join(''))
    const literal = fc.record({
      text: fc.array(fc.constantFrom('a', 'b', 'A', '/', '2', '0', 'k'), { minLength: 1, maxLength: 4 }).map((chars) => chars.join('')),
      ignoreCase: fc.boolean(),
      wholeNumber: fc.boolean(),
    }).map(({ text, ignoreCase, wholeNumber }): Literal => {
      const value = ignoreCase ? text.toLowerCase() : text
      return wholeNumber ? { text: value, ignoreCase, wholeNumber } : { text: value, ignoreCase }
    })
    fc.assert(
      fc.property(fc.array(literal, { maxLength: 8 }), fc.array(word, { maxLength: 12 }).map((words) => words.join('')), (literals, text) => {
        expect(found(literals, text)).toEqual(expected(literals, text))
      }),
      { numRuns: 500 },
    )
  })
})
