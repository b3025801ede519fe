// Each --format parsed back and checked against shared/spec/cli-contract.md: the finding fields, the json
// document, and the line accounting `parsed + unparsed + oversized = read`.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { HEALTHY_LINE, IPV6_UPSTREAM_LINE, S3_EOF_LINE, tempDir, writeLog } from '../helpers/fixtures.js'
import { parseNdjson, runCli } from '../helpers/run-cli.js'

let tmp: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => {
  tmp = await tempDir()
  await writeLog(tmp.path('registry.log'), [HEALTHY_LINE, 'this line is no log format at all', '', S3_EOF_LINE])
  await writeLog(tmp.path('gitlab_registry_error.log'), [IPV6_UPSTREAM_LINE])
})
afterAll(() => tmp.cleanup())

/** The finding shape every format carries (contract "A finding"). */
function expectContractFinding(finding: Record<string, unknown>): void {
  expect(finding).toMatchObject({
    rule: expect.stringMatching(/^[a-z0-9-]+$/),
    severity: expect.stringMatching(/^(info|warning|error|critical)$/),
    title: expect.any(String),
    source: expect.stringMatching(/^(registry|nginx-access|nginx-error|rails|docker|proxy)$/),
    file: expect.any(String),
    line: expect.any(Number),
    message: expect.any(String),
    remediation: expect.any(String),
    docs: expect.stringMatching(/^https:\/\//),
  })
  expect(finding.line).toBeGreaterThanOrEqual(1)
  if (finding.time !== undefined) expect(finding.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
  const evidence = finding.evidence as { file: string; line: number; text: string }[]
  expect(evidence.length).toBeGreaterThan(0)
  for (const line of evidence) expect(line).toMatchObject({ file: expect.any(String), line: expect.any(Number), text: expect.any(String) })
}

describe('--format ndjson', () => {
  test('one valid pino record per finding, contract fields, ISO time', async () => {
    const result = await runCli(['--format', 'ndjson', tmp.path('registry.log'), tmp.path('gitlab_registry_error.log')])
    const records = parseNdjson(result.stdout)
    expect(records.map((record) => record.rule)).toEqual(['s3-unexpected-eof', 'ipv6-loopback-upstream'])
    for (const record of records) {
      expectContractFinding(record)
      expect(record.level).toBe({ info: 30, warning: 40, error: 50, critical: 60 }[record.severity as string])
      expect(record.msg).toBe(`${String(record.title)}: ${String(record.message)}`)
    }
    expect(records[0]).toMatchObject({ file: tmp.path('registry.log'), line: 4, time: '2024-05-02T10:11:12.123Z' })
    expect(records[0]?.evidence).toEqual([expect.objectContaining({ file: tmp.path('registry.log'), line: 4, text: S3_EOF_LINE })])
  })

  test('--summary ends with one record whose msg is "summary"', async () => {
    const records = parseNdjson((await runCli(['--format', 'ndjson', '--summary', tmp.path('registry.log')])).stdout)
    expect(records.at(-1)).toMatchObject({ level: 30, msg: 'summary', summary: { lines: { read: 4 } } })
  })
})

describe('--format json', () => {
  test('one document with findings and summary; read = parsed + unparsed + oversized', async () => {
    const result = await runCli(['--format', 'json', tmp.path('registry.log'), tmp.path('gitlab_registry_error.log')])
    const document = JSON.parse(result.stdout) as {
      findings: Record<string, unknown>[]
      summary: { rules: Record<string, { count: number; first: string; last: string }>; lines: Record<string, number>; folded: number; evicted: number; files: Record<string, Record<string, number>> }
    }
    expect(document.findings).toHaveLength(2)
    document.findings.forEach(expectContractFinding)
    const { summary } = document
    expect(summary.rules['s3-unexpected-eof']).toMatchObject({ count: 1, first: '2024-05-02T10:11:12.123Z', last: '2024-05-02T10:11:12.123Z' })
    expect(summary.lines).toMatchObject({ read: 5 })
    expect(summary.lines.parsed! + summary.lines.unparsed! + summary.lines.oversized!).toBe(summary.lines.read)
    for (const totals of Object.values(summary.files)) expect(totals.parsed! + totals.unparsed! + totals.oversized!).toBe(totals.read)
    expect(summary.folded).toBeTypeOf('number')
    expect(summary.evicted).toBeTypeOf('number')
  })
})

describe('--format text', () => {
  test('a block per finding with title, place, fix and docs; no colour when stdout is not a TTY', async () => {
    const result = await runCli([tmp.path('registry.log')])
    expect(result.stdout).toContain(`${tmp.path('registry.log')}:4`)
    expect(result.stdout).toMatch(/ERROR .*\[s3-unexpected-eof\]/)
    expect(result.stdout).toMatch(/Fix {7}\S/)
    expect(result.stdout).toMatch(/Docs {6}https:\/\//)
    expect(result.stdout).not.toMatch(/\x1b\[/)
  })

  test('FORCE_COLOR colours, NO_COLOR and --no-color win over it', async () => {
    expect((await runCli([tmp.path('registry.log')], { env: { FORCE_COLOR: '1' } })).stdout).toMatch(/\x1b\[/)
    expect((await runCli([tmp.path('registry.log')], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toMatch(/\x1b\[/)
    expect((await runCli(['--no-color', tmp.path('registry.log')], { env: { FORCE_COLOR: '1' } })).stdout).not.toMatch(/\x1b\[/)
  })

  test('--summary prints the rules and the line accounting after the findings', async () => {
    const result = await runCli(['--summary', tmp.path('registry.log')])
    const summaryAt = result.stdout.indexOf('Summary')
    expect(summaryAt).toBeGreaterThan(result.stdout.indexOf('[s3-unexpected-eof]'))
    expect(result.stdout.slice(summaryAt)).toMatch(/total\s+4\s+\d+\s+\d+\s+0/)
    expect(result.stdout).toContain('this line is no log format at all')
  })
})

describe('stdin', () => {
  test('no path or - reads stdin; findings name the file "-"', async () => {
    for (const args of [[], ['-']]) {
      const records = parseNdjson((await runCli(['--format', 'ndjson', ...args], { input: `${S3_EOF_LINE}\n` })).stdout)
      expect(records).toEqual([expect.objectContaining({ rule: 's3-unexpected-eof', file: '-', line: 1 })])
    }
  })
})

describe('parse', () => {
  test('prints every line as the typed event (or the reason it was not one), one JSON object per line', async () => {
    const result = await runCli(['parse', tmp.path('registry.log')])
    expect(result.code).toBe(0)
    const events = parseNdjson(result.stdout)
    expect(events).toHaveLength(4)
    expect(events[0]).toMatchObject({ source: 'registry', line: 1, level: 'info', status: 200 })
    expect(events[1]).toMatchObject({ unparsed: 'no-match', line: 2 })
    expect(events[3]).toMatchObject({ source: 'registry', line: 4, level: 'error', errorDetail: 'unexpected EOF' })
  })
})

describe('help and version', () => {
  test('--help lists every option of the contract and real examples', async () => {
    const result = await runCli(['--help'])
    expect(result.code).toBe(0)
    for (const option of ['--format', '--rules', '--only', '--disable', '--fail-on', '--follow', '--workers', '--summary', '--source', '--no-color', '--max-line-length', 'parse', 'rules list', 'rules show', 'rules test', 'Examples:']) {
      expect(result.stdout).toContain(option)
    }
  })

  test('--version prints the package version', async () => {
    const result = await runCli(['--version'])
    expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) })
  })
})
