// The catalogue test (zod's parity test, VRL's get_tests_from_functions): it iterates `sources`, so a parser
// added to the catalogue is held to every check here without editing this file.
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { createLogParser } from '../create-log-parser.js'
import type { LogRecord, SourceParser } from '../define-source.js'
import { SOURCE_IDS } from '../log-event.js'
import { isLogEvent, type ParseOutput } from '../parse-output.js'
import { unwrapLine } from '../unwrap-line.js'
import { SOURCES_BY_ID, isSourceId, sources } from './index.js'

const catalogue: readonly SourceParser[] = sources

function parseAll(input: Uint8Array, options: Parameters<typeof createLogParser>[0]): { outputs: ParseOutput[]; parser: ReturnType<typeof createLogParser> } {
  const parser = createLogParser(options)
  const outputs = [...parser.write(input), ...parser.end()]
  return { outputs, parser }
}

const encode = (text: string): Uint8Array => new TextEncoder().encode(text)

/** Deterministic pseudo-random bytes (mulberry32), so a failure reproduces. */
function randomBytes(seed: number, length: number): Uint8Array {
  let state = seed
  return Uint8Array.from({ length }, () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) & 0xff
  })
}

const HOSTILE_TEXTS: readonly string[] = [
  '',
  ' ',
  '\t',
  '\0',
  '\0'.repeat(64),
  'x'.repeat(1 << 20),
  '\uFFFD\uFFFD',
  '\uD800',
  '{',
  '{"',
  '{"time":',
  '{"log":',
  '{"log":"',
  '[1,2',
  'null',
  '"a string"',
  '{}',
  '[]',
  '{"level":null,"msg":{},"time":[],"status":"abc","path":7}',
  '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}',
  '['.repeat(100_000),
  'time="',
  'time="x" level=',
  `time="2024-05-02T10:11:12Z" level=error msg="${'\\"'.repeat(10_000)}`,
  `${'a="b" '.repeat(20_000)}`,
  '10.0.0.1 - - [',
  `10.0.0.1 - - [02/May/2024:10:15:01 +0000] "${'GET '.repeat(10_000)}`,
  '2024/05/02 10:11:12 [',
  'Started GET "',
  `${'  app/models/x.rb:1:in `x\'\n'.repeat(100)}`,
  'Error response from daemon: ',
  '6a8ecde4cc03: Pushing [',
  'GET https://',
  ' << ',
  '==> <==',
  '\x1b[',
  'section_start:',
]

const HOSTILE_BYTES: readonly Uint8Array[] = [
  Uint8Array.of(0xff, 0xfe, 0xfd),
  Uint8Array.of(0x74, 0x69, 0x6d, 0x65, 0x3d, 0x22, 0xc3),
  Uint8Array.of(0xe2, 0x82, 0x0a, 0xf0, 0x9f, 0x0d, 0x0a),
  Uint8Array.of(0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00),
  randomBytes(1, 4096),
  randomBytes(2, 65536),
]

describe('the catalogue', () => {
  test('lists every source id once, in SOURCE_IDS order', () => {
    expect(catalogue.map((source) => source.id)).toEqual(SOURCE_IDS)
    for (const source of catalogue) expect(SOURCES_BY_ID[source.id]).toBe(source)
    expect(isSourceId('registry')).toBe(true)
    expect(isSourceId('toString')).toBe(false)
  })
})

describe.each(catalogue)('$id', (source) => {
  test('documents itself with examples', () => {
    expect(source.description).not.toBe('')
    expect(source.examples.length).toBeGreaterThan(0)
  })

  describe.each(source.examples)('example: $title', (example) => {
    test('parses through the full pipeline into the documented event', () => {
      const { outputs } = parseAll(encode(`${example.lines.join('\n')}\n`), { file: '-', source: source.id })
      const unparsed = outputs.filter((output) => 'unparsed' in output && output.unparsed !== 'empty')
      expect(unparsed).toEqual([])
      expect(outputs.find(isLogEvent)).toMatchObject(example.event)
    })

    test('is not sniffed more strongly by another source than by its own', () => {
      const text = example.lines.map((line) => unwrapLine(line).text).find((line) => line.trim() !== '') ?? ''
      const own = source.sniff(text)
      const stronger = catalogue
        .filter((other) => other !== source && other.sniff(text) > own)
        .map((other) => `${other.id} scores ${other.sniff(text)} > ${own}`)
      expect(stronger).toEqual([])
    })
  })

  test.each(HOSTILE_TEXTS.map((text, index) => ({ index, text })))('never throws on hostile text #$index', ({ text }) => {
    const record: LogRecord = { text, file: '-', line: 1, lineCount: 1 }
    const state = source.createState?.()
    expect(() => source.parse(record, state)).not.toThrow()
    expect(() => source.parse(record, state)).not.toThrow()
    expect(() => source.continues?.(text, record)).not.toThrow()
    const score = source.sniff(text)
    expect(score).toBeGreaterThanOrEqual(0)
    expect(score).toBeLessThanOrEqual(1)
  })

  test('never throws through the pipeline on hostile bytes, and accounts for every line', () => {
    for (const bytes of [...HOSTILE_BYTES, ...HOSTILE_TEXTS.map((text) => encode(`${text}\n`))]) {
      const { parser } = parseAll(bytes, { file: '-', source: source.id })
      const { read, parsed, unparsed, oversized } = parser.counts
      expect(read).toBe(parsed + unparsed + oversized)
      expect(read).toBeGreaterThan(0)
    }
  })

  const fixture = new URL(`./fixtures/${source.id}.log`, import.meta.url)
  test.runIf(existsSync(fixture))('has its fixture\'s provenance in fixtures/README.md', () => {
    const readme = readFileSync(new URL('./fixtures/README.md', import.meta.url), 'utf8')
    const section = readme.split(/^## /m).find((part) => part.startsWith(`${source.id}\n`)) ?? ''
    const rows = section.split('\n').filter((line) => line.startsWith('|') && !line.startsWith('| lines') && !line.startsWith('| ---'))
    expect(rows.length).toBeGreaterThan(0)
  })

  test.runIf(existsSync(fixture))('parses its fixture into the reviewed golden events', async () => {
    const { outputs, parser } = parseAll(readFileSync(fixture), { file: `${source.id}.log`, source: source.id })
    expect(parser.counts.read).toBe(parser.counts.parsed + parser.counts.unparsed + parser.counts.oversized)
    await expect(`${outputs.map((output) => JSON.stringify(output)).join('\n')}\n`).toMatchFileSnapshot(
      `./fixtures/${source.id}.events.jsonl`,
    )
  })
})
