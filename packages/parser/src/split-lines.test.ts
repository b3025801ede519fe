import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { createLineScanner, createLineSplitter, type PhysicalLine } from './split-lines.js'
import { unwrapLine } from './unwrap-line.js'

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)

function splitAll(chunks: readonly Uint8Array[], maxLineLength?: number): PhysicalLine[] {
  const splitter = createLineSplitter(maxLineLength === undefined ? {} : { maxLineLength })
  return [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.end()]
}

/** Every way of cutting `input` in two, plus one chunk per byte. */
function chunkings(input: Uint8Array): Uint8Array[][] {
  const ways: Uint8Array[][] = [[input], Array.from(input, (byte) => Uint8Array.of(byte))]
  for (let cut = 1; cut < input.length; cut++) ways.push([input.subarray(0, cut), input.subarray(cut)])
  return ways
}

describe('createLineSplitter', () => {
  test.each([
    { name: 'LF', input: 'a\nbb\n', texts: ['a', 'bb'] },
    { name: 'CRLF', input: 'a\r\nbb\r\n', texts: ['a', 'bb'] },
    { name: 'last line without newline', input: 'a\nbb', texts: ['a', 'bb'] },
    { name: 'lone trailing CR at the end', input: 'a\nbb\r', texts: ['a', 'bb'] },
    { name: 'CR inside a line is kept', input: 'a\rb\n', texts: ['a\rb'] },
    { name: 'empty lines', input: '\n\r\n\n', texts: ['', '', ''] },
    { name: 'empty input', input: '', texts: [] },
    { name: 'NUL and control bytes kept as text', input: 'a\0b\x01\n', texts: ['a\0b\x01'] },
    { name: 'multi-byte UTF-8', input: 'é€😀\nµs\n', texts: ['é€😀', 'µs'] },
    { name: 'a literal U+FFFD is valid UTF-8', input: '\uFFFD\n', texts: ['\uFFFD'] },
  ])('$name, at every chunk boundary', ({ input, texts }) => {
    for (const chunks of chunkings(bytes(input))) {
      const lines = splitAll(chunks)
      expect(lines.map((l) => l.text)).toEqual(texts)
      expect(lines.map((l) => l.line)).toEqual(texts.map((_, i) => i + 1))
      expect(lines.every((l) => !l.invalidUtf8 && l.oversized === undefined)).toBe(true)
    }
  })

  test.each([
    { name: 'lone continuation byte', input: [0x61, 0x80, 0x62], text: 'a\uFFFDb' },
    { name: 'truncated 3-byte character', input: [0xe2, 0x82], text: '\uFFFD' },
    { name: 'overlong encoding', input: [0xc0, 0xaf], text: '\uFFFD\uFFFD' },
    { name: 'binary garbage', input: [0xff, 0xfe, 0x00, 0x41], text: '\uFFFD\uFFFD\0A' },
  ])('invalid UTF-8 ($name) is decoded with U+FFFD and flagged', ({ input, text }) => {
    const line = Uint8Array.from([...input, 0x0a, 0x6f, 0x6b, 0x0a])
    for (const chunks of chunkings(line)) {
      const [bad, good] = splitAll(chunks)
      expect(bad).toEqual({ text, line: 1, invalidUtf8: true })
      expect(good).toEqual({ text: 'ok', line: 2, invalidUtf8: false })
    }
  })

  test('a line longer than the cap is cut, counted in bytes and not buffered', () => {
    const long = 'é'.repeat(30) // 60 bytes
    for (const chunks of chunkings(bytes(`short\n${long}\r\nafter\n`))) {
      const lines = splitAll(chunks, 50)
      expect(lines).toHaveLength(3)
      expect(lines[0]).toEqual({ text: 'short', line: 1, invalidUtf8: false })
      // The head stops at the cap (50 bytes = 25 characters), whichever chunk held the rest.
      expect(lines[1]).toEqual({ text: 'é'.repeat(25), line: 2, invalidUtf8: false, oversized: { bytes: 60 } })
      expect(lines[2]).toEqual({ text: 'after', line: 3, invalidUtf8: false })
    }
  })

  test('the head of an oversized line holds at most 200 characters and no cut character', () => {
    const [line] = splitAll([bytes(`${'€'.repeat(70_000)}\n`)])
    expect(line?.oversized).toEqual({ bytes: 210_000 })
    expect(line?.text).toBe('€'.repeat(200))
    expect(line?.invalidUtf8).toBe(false)
  })

  test('a line of exactly the cap is kept, with or without CRLF, wherever the chunks are cut', () => {
    const exact = 'x'.repeat(50)
    for (const chunks of chunkings(bytes(`${exact}\r\n${exact}\n${exact}x\n`))) {
      const lines = splitAll(chunks, 50)
      expect(lines.map((l) => l.oversized?.bytes)).toEqual([undefined, undefined, 51])
      expect(lines[0]?.text).toBe(exact)
    }
  })

  test('a huge line fed in small chunks keeps memory bounded and is counted whole', () => {
    const splitter = createLineSplitter({ maxLineLength: 1024 })
    const chunk = new Uint8Array(64 * 1024).fill(0x78)
    for (let i = 0; i < 160; i++) expect(splitter.push(chunk)).toEqual([])
    const [line] = splitter.push(bytes('\nnext\n'))
    expect(line?.oversized).toEqual({ bytes: 160 * 64 * 1024 })
    expect(line?.text).toHaveLength(200)
    expect(splitter.end()).toEqual([])
  })

  test('does not keep a reference to a chunk the caller reuses', () => {
    const splitter = createLineSplitter()
    const chunk = bytes('abc')
    splitter.push(chunk)
    chunk.fill(0x7a)
    expect(splitter.push(bytes('d\n'))).toEqual([{ text: 'abcd', line: 1, invalidUtf8: false }])
  })
})

/** Every line's text and `plain` flag as the scanner reports them. */
function scanAll(chunks: readonly Uint8Array[]): { text: string; plain: boolean }[] {
  const scanner = createLineScanner()
  const lines: { text: string; plain: boolean }[] = []
  const visit = (text: string, _line: number, _invalid: boolean, _oversized: number, plain: boolean): void => {
    lines.push({ text, plain })
  }
  for (const chunk of chunks) scanner.push(chunk, visit)
  scanner.end(visit)
  return lines
}

/** What `plain` promises: no terminal escape, no CR, no runner section marker. */
const hasMarks = (text: string): boolean => /[\x1b\r]|_start:|_end:/.test(text)

describe('createLineScanner: plain lines', () => {
  test.each([
    { name: 'ordinary text', input: 'time="x" level=info msg=ok\n', plain: true },
    { name: 'CRLF terminator', input: 'level=info\r\n', plain: true },
    { name: 'ESC', input: '\x1b[31mred\x1b[0m\n', plain: false },
    { name: 'CR overprint', input: 'Pushing 1/2\rPushed\n', plain: false },
    { name: 'CR before CRLF', input: 'a\r\r\n', plain: false },
    { name: 'section start without ESC or CR', input: 'section_start:1700000000:build_script\n', plain: false },
    { name: 'section end', input: 'section_end:1700000000:build_script\n', plain: false },
    { name: 'UTF-8 text', input: 'héllo wörld\n', plain: true },
  ])('$name', ({ input, plain }) => {
    expect(scanAll([bytes(`before\n${input}after\n`)]).map((line) => line.plain)).toEqual([true, plain, true])
  })

  test('a line completed across chunks is not claimed plain (its start was not searched)', () => {
    expect(scanAll([bytes('ab'), bytes('c\nd\n')])).toEqual([
      { text: 'abc', plain: false },
      { text: 'd', plain: true },
    ])
  })

  test('never claims plain for a line holding a mark, however the input is cut', () => {
    const piece = fc.constantFrom('a', ' ', '\n', '\r', '\r\n', '\x1b', '_start:', '_end:', 'section', '_st', 'art:', 'é')
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.array(fc.nat(40), { maxLength: 4 }), (pieces, cuts) => {
        const input = bytes(pieces.join(''))
        const points = [...new Set(cuts.map((cut) => Math.min(cut, input.length)))].sort((a, b) => a - b)
        const chunks = [0, ...points].map((start, i) => input.subarray(start, points[i] ?? input.length))
        for (const line of scanAll(chunks)) {
          if (!line.plain) continue
          expect(hasMarks(line.text)).toBe(false)
          // What callers rely on: skipping the search for terminal codes changes nothing.
          expect(unwrapLine(line.text, undefined, true)).toEqual(unwrapLine(line.text))
        }
        expect(scanAll(chunks).map((line) => line.text)).toEqual(splitAll([input]).map((line) => line.text))
      }),
      { numRuns: 3000 },
    )
  })
})
