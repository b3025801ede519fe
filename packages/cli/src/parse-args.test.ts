import { describe, expect, test } from 'vitest'
import { parseArgs, UsageError } from './parse-args.js'

describe('parseArgs', () => {
  test('defaults: scan stdin, text, fail on any finding', () => {
    expect(parseArgs([], {})).toEqual({
      kind: 'scan',
      flags: { inputs: [], format: 'text', rules: [], only: [], disable: [], follow: false, summary: false, color: true },
    })
  })

  test('every option', () => {
    const command = parseArgs(
      ['--format', 'ndjson', '--rules', 'a', '--rules', 'b', '--only', 'x,y', '--only', 'z', '--disable', 'w', '--fail-on', 'error',
        '-f', '--workers', '4', '--summary', '--source', 'nginx-access', '--no-color', '--max-line-length', '1000', 'p1', 'p*'],
      {},
    )
    expect(command).toEqual({
      kind: 'scan',
      flags: {
        inputs: ['p1', 'p*'], format: 'ndjson', rules: ['a', 'b'], only: ['x', 'y', 'z'], disable: ['w'], failOn: 'error', follow: true,
        workers: 4, summary: true, source: 'nginx-access', color: false, maxLineLength: 1000,
      },
    })
  })

  test.each([
    [['parse', 'a.log'], { kind: 'parse' }],
    [['rules', 'list'], { kind: 'rules-list' }],
    [['rules', 'show', 's3-head-403'], { kind: 'rules-show', id: 's3-head-403' }],
    [['rules', 'test'], { kind: 'rules-test', dirs: [] }],
    [['rules', 'test', 'my-rules'], { kind: 'rules-test', dirs: ['my-rules'] }],
    [['--help'], { kind: 'help' }],
    [['-V'], { kind: 'version' }],
  ])('%j → %j', (argv, expected) => {
    expect(parseArgs(argv, {})).toMatchObject(expected)
  })

  test('NO_COLOR turns colour off', () => {
    expect(parseArgs([], { NO_COLOR: '1' })).toMatchObject({ flags: { color: false } })
  })

  test.each([
    [['--format', 'xml'], /--format must be one of text, ndjson, json/],
    [['--fail-on', 'fatal'], /--fail-on must be one of info, warning, error, critical/],
    [['--source', 'apache'], /--source must be one of/],
    [['--workers=-1'], /--workers must be a whole number/],
    [['--workers', 'two'], /--workers must be a whole number/],
    [['--max-line-length', '0'], /--max-line-length must be a whole number ≥ 1/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['rules'], /usage: registry-logscan rules/],
    [['rules', 'show'], /usage: registry-logscan rules/],
    [['--only', ''], /--only needs at least one rule id/],
    [['--disable', ' , '], /--disable needs at least one rule id/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseArgs(argv, {})).toThrow(UsageError)
    expect(() => parseArgs(argv, {})).toThrow(message)
  })
})
