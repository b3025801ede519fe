// The pipeline's own behaviour (records, detection, fallback, accounting), against a fake catalogue so these
// tests do not move when a real source parser changes; sources/sources.test.ts runs the real ones.
import { describe, expect, test, vi } from 'vitest'
import { createLogParser, isGzip, parseLine, type LogParserOptions } from './create-log-parser.js'
import type { RailsEvent } from './log-event.js'
import type { ParseOutput } from './parse-output.js'

vi.mock('./sources/index.js', async () => {
  const { defineSource } = await import('./define-source.js')
  const fields = (): Record<string, string> => ({})
  // R lines: registry; a TAB line continues one; `R!` is a bad timestamp; `R@<n> ` carries its own time; `Q `
  // lines are read too, though its sniff does not claim them.
  const registry = defineSource({
    id: 'registry',
    description: 'fake',
    fileNames: [/registry\/current$/],
    sniff: (text) => (text.startsWith('R') ? 1 : 0),
    continues: (text) => text.startsWith('\t'),
    parse: ({ text }) => {
      if (text.startsWith('R!')) return { unparsed: 'bad-timestamp' }
      if (!text.startsWith('R ') && !text.startsWith('R@') && !text.startsWith('Q ')) return { unparsed: 'no-match' }
      const time = text.startsWith('R@') ? Number(text.slice(2, text.indexOf(' '))) : undefined
      return { source: 'registry', message: text, format: 'fake', access: false, fields: fields(), ...(time === undefined ? {} : { time }) }
    },
    examples: [],
  })
  const nginxAccess = defineSource({
    id: 'nginx-access',
    description: 'fake',
    fileNames: [/gitlab_access\.log$/],
    // `R ng` lines are read by both fakes: only a syslog program can give them to this one in a registry file.
    sniff: (text) => (text.startsWith('N ') || text.startsWith('R ng') ? 0.5 : 0),
    parse: ({ text }) => (text.startsWith('N ') || text.startsWith('R ng') ? { source: 'nginx-access', message: text, format: 'fake', fields: fields() } : { unparsed: 'no-match' }),
    examples: [],
  })
  // Rails: stateful (numbers its events per stream); indented lines continue a record.
  const rails = defineSource<RailsEvent, { seen: number }>({
    id: 'rails',
    description: 'fake',
    fileNames: [/production\.log$/],
    sniff: (text) => (text.startsWith('Started') ? 1 : 0),
    continues: (text) => text.startsWith('  '),
    createState: () => ({ seen: 0 }),
    parse: ({ text }, state) => ({ source: 'rails', message: String(++state.seen), format: text.slice(0, 7), fields: fields() }),
    examples: [],
  })
  const docker = defineSource({
    id: 'docker',
    description: 'fake',
    fileNames: [],
    sniff: (text) => (text === 'boom' ? 1 : 0),
    parse: () => {
      throw new Error('a buggy parser')
    },
    examples: [],
  })
  const silent = (id: 'nginx-error' | 'proxy') =>
    defineSource({ id, description: 'fake', fileNames: [], sniff: () => 0, parse: () => ({ unparsed: 'no-match' as const }), examples: [] })
  const sources = [registry, nginxAccess, silent('nginx-error'), rails, docker, silent('proxy')] as const
  return {
    sources,
    SOURCES_BY_ID: Object.fromEntries(sources.map((source) => [source.id, source])),
    SOURCES_BY_PROGRAM: new Map([['nginx', nginxAccess]]),
    isSourceId: (value: string) => sources.some((source) => source.id === value),
  }
})

const encode = (text: string): Uint8Array => new TextEncoder().encode(text)

function run(input: string | Uint8Array, options: LogParserOptions): { outputs: ParseOutput[]; counts: ReturnType<typeof createLogParser>['counts'] } {
  const parser = createLogParser(options)
  const outputs = [...parser.write(typeof input === 'string' ? encode(input) : input), ...parser.end()]
  return { outputs, counts: parser.counts }
}

/** The fields a test usually cares about, one string per output. */
function summarize(outputs: readonly ParseOutput[]): string[] {
  return outputs.map((output) => {
    if ('oversized' in output) return `${output.line}: oversized ${output.bytes}`
    if ('unparsed' in output) return `${output.line}+${output.lineCount}: ${output.unparsed}${output.source === undefined ? '' : ` (${output.source})`}`
    return `${output.line}+${output.lineCount}: ${output.source} ${JSON.stringify(output.raw)}`
  })
}

describe('createLogParser', () => {
  test('assembles continuation lines into one record and counts every physical line', () => {
    const { outputs, counts } = run('R a\n\tcont 1\n\tcont 2\n\nR b\n', { file: '/var/log/gitlab/registry/current' })
    expect(summarize(outputs)).toEqual(['1+3: registry "R a\\n\\tcont 1\\n\\tcont 2"', '4+1: empty', '5+1: registry "R b"'])
    expect(outputs[0]).toMatchObject({ file: '/var/log/gitlab/registry/current', message: 'R a\n\tcont 1\n\tcont 2' })
    expect(counts).toMatchObject({ read: 5, parsed: 4, unparsed: 1, oversized: 0, parsedBySource: { registry: 4 } })
    expect(counts.unparsedByReason).toMatchObject({ empty: 1, 'no-match': 0 })
  })

  test('detects by content from a sample, holding lines back until flush() or 20 lines', () => {
    const parser = createLogParser({ file: '-' })
    expect(parser.write(encode('N 1\nR 2\nN 3\n'))).toEqual([])
    expect(summarize(parser.flush())).toEqual(['1+1: nginx-access "N 1"', '2+1: registry "R 2"', '3+1: nginx-access "N 3"'])
    const many = parser.write(encode('N x\n'.repeat(19)))
    expect(many).toHaveLength(18) // the 19th stays open: it could still be continued
    expect(parser.end()).toHaveLength(1)
  })

  test('a line the file\'s source rejects is parsed by the source that sniffs it; no one → no-match', () => {
    const { outputs, counts } = run('R a\nN b\ngarbage\nR!\n', { file: 'registry/current' })
    expect(summarize(outputs)).toEqual([
      '1+1: registry "R a"',
      '2+1: nginx-access "N b"',
      '3+1: no-match (registry)',
      '4+1: bad-timestamp (registry)',
    ])
    expect(counts.parsedBySource).toEqual({ registry: 1, 'nginx-access': 1 })
    expect(counts.unparsedByReason).toMatchObject({ 'no-match': 1, 'bad-timestamp': 1 })
  })

  test("a syslog program's source reads the lines it claims first, whatever the file's source", () => {
    const { outputs } = run('May 02 10:31:04 host nginx[12]: R ng b\nMay 02 10:31:04 host nginx[12]: R a\nR ng c\n', { file: 'registry/current' })
    expect(summarize(outputs)).toEqual(['1+1: nginx-access "R ng b"', '2+1: registry "R a"', '3+1: registry "R ng c"'])
  })

  test("lines of another service's log are counted as other-service, not parsed: by tail header or by container", () => {
    const input = [
      '==> /var/log/gitlab/gitlab-workhorse/current <==', 'R a', '==> /var/log/gitlab/registry/current <==', 'R b',
      '[pod/gitlab-webservice-default-7d9f/gitlab-workhorse] R c', '[pod/gitlab-webservice-default-7d9f/webservice] R d',
    ]
    const { outputs, counts } = run(`${input.join('\n')}\n`, { file: '-' })
    expect(summarize(outputs)).toEqual(['1+1: empty', '2+1: other-service', '3+1: empty', '4+1: registry "R b"', '5+1: other-service', '6+1: registry "R d"'])
    expect(counts.unparsedByReason['other-service']).toBe(2)
    expect(counts.read).toBe(6)
  })

  test("a line of another container never continues this one's record", () => {
    // `toolbox` is not another service's container: only the change of container stops the continuation.
    const input = ['[pod/registry-0/registry] R a', '[pod/registry-0/registry] \tcontinued', '[pod/toolbox-0/toolbox] \tgoroutine dump']
    const { outputs } = run(`${input.join('\n')}\n`, { file: '-' })
    expect(summarize(outputs)).toEqual(['1+2: registry "R a\\n\\tcontinued"', '3+1: no-match (registry)'])
  })

  test("a runner ≥ 17 line cut in two (`+` header) is joined back, as GitLab's log view does", () => {
    const input = ['2024-05-02T10:11:11.702345Z 01E R a cut', '2024-05-02T10:11:11.702399Z 01E+ in two', '2024-05-02T10:11:12.000000Z 00O R next']
    const { outputs, counts } = run(`${input.join('\n')}\n`, { file: 'registry/current' })
    expect(summarize(outputs)).toEqual(['1+2: registry "R a cut in two"', '3+1: registry "R next"'])
    expect(counts.read).toBe(3)
  })

  test("the rest of a cut runner line does not join another stream's line that came between", () => {
    const input = ['2024-05-02T10:11:11.702345Z 01E R a cut', '2024-05-02T10:11:11.702346Z 00O R other', '2024-05-02T10:11:11.702399Z 01E+ in two']
    const { outputs } = run(`${input.join('\n')}\n`, { file: 'registry/current' })
    expect(summarize(outputs)).toEqual(['1+1: registry "R a cut"', '2+1: registry "R other"', '3+1: no-match (registry)'])
  })

  test('--source forces one parser: no detection, no fallback', () => {
    const { outputs } = run('N b\nR a\n', { file: 'gitlab_access.log', source: 'registry' })
    expect(summarize(outputs)).toEqual(['1+1: no-match (registry)', '2+1: registry "R a"'])
  })

  test('a parser that throws loses the line, not the scan', () => {
    const { outputs, counts } = run('boom\nR a\n', { file: '-' })
    expect(summarize(outputs)).toEqual(['1+1: no-match (docker)', '2+1: registry "R a"'])
    expect(counts.read).toBe(2)
  })

  test('peels wrappers; the wrapper time fills in only when the line has none', () => {
    const { outputs } = run('2024-05-02_10:11:12.50000 R a\n2024-05-02_10:11:12.50000 R@7 b\n', { file: 'registry/current' })
    expect(outputs[0]).toMatchObject({ raw: 'R a', time: Date.UTC(2024, 4, 2, 10, 11, 12, 500), wrapper: { kind: 'svlogd' } })
    expect(outputs[1]).toMatchObject({ raw: 'R@7 b', time: 7 })
  })

  test('era-B continuation lines under svlogd each carry a prefix and still join', () => {
    const { outputs } = run('2024-05-02_10:11:12.50000 R a\n2024-05-02_10:11:12.50001 \tstatus code: 403\n', { file: 'registry/current' })
    expect(summarize(outputs)).toEqual(['1+2: registry "R a\\n\\tstatus code: 403"'])
  })

  test('joins CRI P chunks with the final F chunk into one line', () => {
    const input = ['2024-01-01T00:00:00Z stdout P R a', '2024-01-01T00:00:01Z stdout P bc', '2024-01-01T00:00:02Z stdout F d', '2024-01-01T00:00:03Z stdout F R e']
    const { outputs, counts } = run(`${input.join('\n')}\n`, { file: 'registry/current' })
    expect(summarize(outputs)).toEqual(['1+3: registry "R abcd"', '4+1: registry "R e"'])
    expect(outputs[0]).toMatchObject({ wrapper: { kind: 'cri', stream: 'stdout', time: Date.UTC(2024, 0, 1) } })
    expect(counts.read).toBe(4)
  })

  test("a line of the other stream between CRI chunks is its own line; the chunks still join (containerd copies each stream apart)", () => {
    const input = ['2024-01-01T00:00:00Z stdout P R a', '2024-01-01T00:00:01Z stderr F R b', '2024-01-01T00:00:02Z stdout F c']
    const { outputs, counts } = run(`${input.join('\n')}\n`, { file: 'registry/current' })
    expect(summarize(outputs)).toEqual(['2+1: registry "R b"', '1+2: registry "R ac"'])
    expect(counts.read).toBe(3)
  })

  test('chunks still open at the end are emitted, oldest first', () => {
    const input = ['2024-01-01T00:00:00Z stderr P R a', '2024-01-01T00:00:01Z stdout P R b']
    const { outputs } = run(`${input.join('\n')}\n`, { file: 'registry/current' })
    expect(summarize(outputs)).toEqual(['1+1: registry "R a"', '2+1: registry "R b"'])
  })

  test('joined chunks past the cap become one oversized item counting each physical line', () => {
    const chunk = `2024-01-01T00:00:00Z stdout P R ${'x'.repeat(40)}`
    const { outputs, counts } = run(`${chunk}\n${chunk}\n2024-01-01T00:00:00Z stdout F end\nR after\n`, { file: 'registry/current', maxLineLength: 80 })
    expect(summarize(outputs)).toEqual(['1: oversized 87', '4+1: registry "R after"'])
    expect(counts).toMatchObject({ read: 4, oversized: 3, parsed: 1 })
  })

  test('an oversized physical line closes the open record and is reported with its head', () => {
    const { outputs, counts } = run(`R a\n2024-05-02_10:11:12.50000 ${'y'.repeat(300)}\n\tnot a continuation\n`, { file: 'registry/current', maxLineLength: 100 })
    expect(summarize(outputs)).toEqual(['1+1: registry "R a"', '2: oversized 326', '3+1: no-match (registry)'])
    expect(outputs[1]).toMatchObject({ head: `2024-05-02_10:11:12.50000 ${'y'.repeat(74)}`, wrapper: { kind: 'svlogd' } })
    expect(counts).toMatchObject({ read: 3, parsed: 1, unparsed: 1, oversized: 1 })
  })

  test('a tail -F header is an empty line and switches detection to the named file', () => {
    const input = '==> /var/log/gitlab/gitlab-rails/production.log <==\nStarted GET\n  frame\nR x\n\n==> /var/log/gitlab/registry/current <==\nStarted\n'
    const { outputs } = run(input, { file: '-' })
    expect(summarize(outputs)).toEqual([
      '1+1: empty',
      '2+2: rails "Started GET\\n  frame"',
      '4+1: registry "R x"',
      '5+1: empty',
      '6+1: empty',
      '7+1: rails "Started"',
    ])
  })

  test('per-source state lives per parser', () => {
    const first = run('Started\nStarted\n', { file: 'production.log' }).outputs
    const second = run('Started\n', { file: 'production.log' }).outputs
    expect(first.map((event) => ('message' in event ? event.message : ''))).toEqual(['1', '2'])
    expect(second.map((event) => ('message' in event ? event.message : ''))).toEqual(['1'])
  })

  test('prefilter: skipped records build no event but are counted as their source would have; unclaimed ones stay unparsed samples', () => {
    const { outputs, counts } = run('R keep\nR drop\n\tcont\nzzz drop\n', { file: 'registry/current', prefilter: (text) => text.includes('keep') })
    expect(summarize(outputs)).toEqual(['1+1: registry "R keep"', '4+1: no-match (registry)'])
    expect(counts).toMatchObject({ read: 4, parsed: 3, unparsed: 1, parsedBySource: { registry: 3 } })
    expect(counts.unparsedByReason['no-match']).toBe(1)
  })

  test('prefilter: a skipped record its source reads without claiming it counts as parsed, as without the filter', () => {
    const input = 'R keep\nQ read but not claimed\nzzz drop\n'
    const filtered = run(input, { file: 'registry/current', prefilter: (text) => text.includes('keep') })
    expect(summarize(filtered.outputs)).toEqual(['1+1: registry "R keep"', '3+1: no-match (registry)'])
    expect(filtered.counts).toEqual(run(input, { file: 'registry/current' }).counts)
    expect(filtered.counts).toMatchObject({ read: 3, parsed: 2, unparsed: 1 })
  })

  test('an unreadable line that is mostly control bytes or holds a NUL is binary, not no-match', () => {
    // The bell survives unwrapping (a colour code would be stripped before the check); the `Rz` record is three
    // short continuation lines: its joining newlines are not control bytes of the text.
    const { outputs, counts } = run('a\u0000b\nplain words no source reads\n\u0001\u0002\u0003\u0004xy\nwith one \u0007 bell in it\nRz\n\ta\n\tb\n\tc\n', {
      file: 'x.log',
    })
    expect(outputs.map((output) => ('unparsed' in output ? output.unparsed : 'event'))).toEqual(['binary', 'no-match', 'binary', 'no-match', 'no-match'])
    expect(counts.unparsedByReason).toMatchObject({ binary: 2, 'no-match': 6 })
  })

  test('prefilter: records of a stateful source are never skipped (its state sees every line)', () => {
    const { outputs, counts } = run('Started\nStarted\nStarted\n', { file: 'production.log', prefilter: () => false })
    expect(outputs.map((event) => ('message' in event ? event.message : ''))).toEqual(['1', '2', '3'])
    expect(counts).toMatchObject({ read: 3, parsed: 3, parsedBySource: { rails: 3 } })
  })

  test('counts lines with invalid UTF-8, also inside records', () => {
    const input = Uint8Array.from([...encode('R a'), 0xff, 0x0a, 0x09, 0xc3, 0x0a, 0x52, 0x20, 0x62, 0x0a])
    const { outputs, counts } = run(input, { file: 'registry/current' })
    expect(summarize(outputs)).toEqual(['1+2: registry "R a\uFFFD\\n\\t\uFFFD"', '3+1: registry "R b"'])
    expect(counts.invalidUtf8).toBe(2)
  })

  test('flush() emits the open record; a later continuation starts a record of its own', () => {
    const parser = createLogParser({ file: 'registry/current' })
    expect(parser.write(encode('R a\n'))).toEqual([])
    expect(summarize(parser.flush())).toEqual(['1+1: registry "R a"'])
    expect(summarize([...parser.write(encode('\tlate\n')), ...parser.end()])).toEqual(['2+1: no-match (registry)'])
  })

  test('writeLine gives the same outputs as write for the same lines, with the cap in UTF-16 units', () => {
    const lines = ['R a', '\tb', '', 'N c', 'x'.repeat(70), '2024-01-01T00:00:00Z stdout P R d', '2024-01-01T00:00:00Z stdout F e']
    const parser = createLogParser({ file: 'registry/current', maxLineLength: 64 })
    const outputs = [...lines.flatMap((line) => parser.writeLine(line)), ...parser.end()]
    expect(outputs).toEqual(run(`${lines.join('\r\n')}\r\n`, { file: 'registry/current', maxLineLength: 64 }).outputs)
    expect(parser.counts).toMatchObject({ read: 7, oversized: 1 })
  })

  test('bounds what it holds: a record takes at most 1000 lines, a detection sample at most 1000 items', () => {
    const records = run(`R a\n${'\tx\n'.repeat(2500)}`, { file: 'registry/current' }).outputs
    expect(summarize(records).map((line) => line.split(':')[0])).toEqual(['1+1000', '1001+1000', '2001+501'])
    const parser = createLogParser({ file: '-' })
    expect(parser.write(encode('\n'.repeat(999)))).toEqual([])
    expect(parser.write(encode('\n'))).toHaveLength(999) // the last blank line stays open: a block may follow
  })

  test('the accounting holds at every step, not only at the end', () => {
    const parser = createLogParser({ file: 'registry/current' })
    for (const chunk of ['R a\n\t', 'b\n\nN', ' c\nR d']) {
      parser.write(encode(chunk))
      const { read, parsed, unparsed, oversized } = parser.counts
      expect(read).toBe(parsed + unparsed + oversized)
    }
    parser.end()
    expect(parser.counts.read).toBe(5)
  })
})

describe('parseLine', () => {
  test.each([
    { line: 'R a', file: undefined, expected: { source: 'registry', raw: 'R a', line: 1, file: '-' } },
    { line: 'Started', file: 'production.log', expected: { source: 'rails', file: 'production.log' } },
    { line: 'nothing', file: undefined, expected: { unparsed: 'no-match' } },
    { line: '', file: undefined, expected: { unparsed: 'empty' } },
  ])('$line', ({ line, file, expected }) => {
    expect(parseLine(line, file === undefined ? {} : { file })).toMatchObject(expected)
  })

  test('forces a source', () => {
    expect(parseLine('N x', { source: 'registry' })).toMatchObject({ unparsed: 'no-match', source: 'registry' })
  })
})

test.each([
  { bytes: [0x1f, 0x8b, 0x08], gzip: true },
  { bytes: [0x1f], gzip: false },
  { bytes: [0x74, 0x69], gzip: false },
])('isGzip($bytes) is $gzip', ({ bytes, gzip }) => {
  expect(isGzip(Uint8Array.from(bytes))).toBe(gzip)
})
