import { describe, expect, test } from 'vitest'
import { escapeJsonForTerminal, sanitizeLine, sanitizeTerminal } from './sanitize-terminal.js'

describe('sanitizeTerminal', () => {
  test.each([
    { title: 'colour (CSI SGR)', input: 'a\x1b[31mred\x1b[0mb', output: 'aredb' },
    { title: 'cursor movement and screen clear', input: 'x\x1b[2J\x1b[1;1Hy\x1b[?25l', output: 'xy' },
    { title: 'window title (OSC ended by BEL)', input: 'x\x1b]0;pwned\x07y', output: 'xy' },
    { title: 'hyperlink (OSC 8 ended by ST)', input: '\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\', output: 'click' },
    { title: 'C1 CSI (U+009B)', input: 'a\u009b31mb', output: 'ab' },
    { title: 'DCS string', input: 'a\x1bPq#0;2;0;0;0\x1b\\b', output: 'ab' },
    { title: 'carriage return and backspace become visible', input: 'safe\rEVIL\b', output: 'safe\uFFFDEVIL\uFFFD' },
    { title: 'bidi override', input: 'abc\u202Edef', output: 'abc\uFFFDdef' },
    { title: 'NUL and DEL', input: 'a\x00b\x7fc', output: 'a\uFFFDb\uFFFDc' },
    { title: 'tab becomes a space, newline stays', input: 'a\tb\nc', output: 'a b\nc' },
    { title: 'an unterminated escape at the end', input: 'abc\x1b[', output: 'abc' },
    { title: 'ordinary UTF-8 is untouched', input: 'Größe 日本 ✓', output: 'Größe 日本 ✓' },
  ])('$title', ({ input, output }) => {
    expect(sanitizeTerminal(input)).toBe(output)
  })

  test('sanitizeLine keeps one line', () => {
    expect(sanitizeLine('a\nb\r\nc')).toBe('a ⏎ b ⏎ c')
  })

  test('runs in linear time on hostile input', () => {
    const hostile = '\x1b]'.repeat(100_000) + '\x1b['.repeat(100_000) + '\x1b[0;'.repeat(100_000)
    const started = performance.now()
    sanitizeTerminal(hostile)
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

describe('escapeJsonForTerminal', () => {
  test('escapes C1 and bidi characters and still parses to the same value', () => {
    const value = { text: 'a\u009b31m\u202Eb\x1b[0m' }
    const escaped = escapeJsonForTerminal(JSON.stringify(value))
    expect(escaped).not.toMatch(/[\u0080-\u009f\u202e\x1b]/)
    expect(JSON.parse(escaped)).toEqual(value)
  })
})
