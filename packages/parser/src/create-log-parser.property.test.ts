// Properties of the whole pipeline over the real catalogue, on inputs built from the sources' own example lines,
// mutations of them, wrappers, random bytes and huge lines: it never throws, every physical line is accounted
// for exactly once, and the outputs do not depend on where the byte stream was cut into chunks.
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { createLogParser, type LogParserOptions } from './create-log-parser.js'
import type { ParseOutput } from './parse-output.js'
import { sources } from './sources/index.js'

const encoder = new TextEncoder()
const exampleLines = sources.flatMap((source) => source.examples.flatMap((example) => example.lines))

const text = (value: string): Uint8Array => encoder.encode(value)

const lineArbitrary: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...exampleLines).map(text) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...exampleLines), fc.nat(), fc.string({ unit: 'binary', maxLength: 12 }))
      .map(([line, at, insert]) => text(line.slice(0, at % (line.length + 1)) + insert + line.slice(at % (line.length + 1)))),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom('2024-05-02_10:11:12.12345 ', '2024-01-01T00:00:00.1Z stdout P ', '2024-01-01T00:00:00.1Z stdout F ', 'registry_1  | ', '\x1b[31;1m'),
        fc.constantFrom(...exampleLines),
      )
      .map(([prefix, line]) => text(prefix + line)),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }).map(text) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 48 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\0\0', '==> /var/log/gitlab/registry/current <==', '\t at x').map(text) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 70_000 }).map((length) => new Uint8Array(length).fill(0x78)) },
)

/** A whole input: lines joined by LF or CRLF, with or without a final terminator. */
const inputArbitrary: fc.Arbitrary<Uint8Array> = fc
  .tuple(fc.array(fc.tuple(lineArbitrary, fc.constantFrom('\n', '\r\n')), { maxLength: 30 }), fc.boolean())
  .map(([lines, terminated]) => {
    const parts = lines.flatMap(([line, end], index) => (index === lines.length - 1 && !terminated ? [line] : [line, text(end)]))
    return Buffer.concat(parts)
  })

const optionsArbitrary: fc.Arbitrary<LogParserOptions> = fc.record({
  file: fc.constantFrom('-', '/var/log/gitlab/registry/current', 'production.log', 'gitlab_access.log'),
  maxLineLength: fc.constantFrom(64, 1024, 65536),
})

function parseInChunks(input: Uint8Array, cuts: readonly number[], options: LogParserOptions) {
  const parser = createLogParser(options)
  const outputs: ParseOutput[] = []
  let start = 0
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const end = input.length === 0 ? 0 : cut % (input.length + 1)
    if (end < start) continue
    outputs.push(...parser.write(input.subarray(start, end)))
    start = end
  }
  outputs.push(...parser.write(input.subarray(start)), ...parser.end())
  return { outputs, counts: parser.counts }
}

function physicalLines(input: Uint8Array): number {
  let newlines = 0
  for (const byte of input) if (byte === 0x0a) newlines++
  return newlines + (input.length > 0 && input[input.length - 1] !== 0x0a ? 1 : 0)
}

describe('createLogParser properties', () => {
  test('never throws and accounts for every physical line exactly once', () => {
    fc.assert(
      fc.property(inputArbitrary, optionsArbitrary, (input, options) => {
        const { counts } = parseInChunks(input, [], options)
        expect(counts.read).toBe(counts.parsed + counts.unparsed + counts.oversized)
        expect(counts.read).toBe(physicalLines(input))
        const byReason = Object.values(counts.unparsedByReason).reduce((sum, n) => sum + n, 0)
        const bySource = Object.values(counts.parsedBySource).reduce((sum, n) => sum + n, 0)
        expect([byReason, bySource]).toEqual([counts.unparsed, counts.parsed])
        expect(counts.invalidUtf8).toBeLessThanOrEqual(counts.read)
      }),
      { numRuns: 300 },
    )
  })

  test('gives the same outputs wherever the bytes are cut into chunks', () => {
    fc.assert(
      fc.property(inputArbitrary, fc.array(fc.nat(), { maxLength: 12 }), optionsArbitrary, (input, cuts, options) => {
        const whole = parseInChunks(input, [], options)
        const chunked = parseInChunks(input, cuts, options)
        expect(chunked.outputs).toEqual(whole.outputs)
        expect(chunked.counts).toEqual(whole.counts)
      }),
      { numRuns: 300 },
    )
  })

  test('one byte at a time gives the same outputs as one chunk', () => {
    fc.assert(
      fc.property(inputArbitrary, optionsArbitrary, (input, options) => {
        const cuts = Array.from({ length: Math.min(input.length, 2000) }, (_, i) => i)
        expect(parseInChunks(input, cuts, options).outputs).toEqual(parseInChunks(input, [], options).outputs)
      }),
      { numRuns: 40 },
    )
  })
})
