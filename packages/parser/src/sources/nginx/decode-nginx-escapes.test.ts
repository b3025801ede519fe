import fc from 'fast-check'
import { expect, test } from 'vitest'
import { decodeNginxEscapes } from './decode-nginx-escapes.js'

/** The RegExp reading the hand-written decoder replaced: what it must agree with. */
function byRegExp(text: string): string {
  if (!text.includes('\\x')) return text
  let out = ''
  let last = 0
  let run: number[] = []
  const flush = (): void => {
    if (run.length > 0) out += Buffer.from(run).toString('utf8')
    run = []
  }
  for (const m of text.matchAll(/\\x([0-9A-Fa-f]{2})/g)) {
    if (m.index !== last) {
      flush()
      out += text.slice(last, m.index)
    }
    run.push(Number.parseInt(m[1] ?? '0', 16))
    last = m.index + m[0].length
  }
  flush()
  return out + text.slice(last)
}

test.each([
  ['no escapes', 'docker/24.0.7 (linux)', 'docker/24.0.7 (linux)'],
  ['backslash and quote', String.raw`UpstreamClient(Docker-Client/24.0.7 \x5C(linux\x5C)) \x22q\x22`, 'UpstreamClient(Docker-Client/24.0.7 \\(linux\\)) "q"'],
  ['UTF-8 escaped byte by byte', String.raw`caf\xC3\xA9`, 'café'],
  ['invalid UTF-8 becomes U+FFFD', String.raw`\xC3 \xFF`, '\uFFFD \uFFFD'],
  ['TLS garbage', String.raw`\x16\x03\x01`, '\x16\x03\x01'],
  ['not an escape', String.raw`\xZZ \x4 \\x41`, String.raw`\xZZ \x4 \A`],
])('%s', (_name, input, expected) => {
  expect(decodeNginxEscapes(input)).toBe(expected)
})

test('agrees with the RegExp reading on any mix of escapes, near-escapes and text', () => {
  const piece = fc.oneof(
    fc.constantFrom('\\x', '\\x5C', '\\xc3', '\\xA9', '\\xff', '\\x4', '\\xg1', '\\', 'x', 'a', ' ', 'é', '\\x41'),
    fc.string({ maxLength: 3 }),
  )
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
      const text = pieces.join('')
      expect(decodeNginxEscapes(text)).toBe(byRegExp(text))
    }),
    { numRuns: 5000 },
  )
})
