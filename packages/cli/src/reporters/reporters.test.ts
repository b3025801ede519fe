import type { Finding, ScanSummary } from 'registry-logscan'
import { describe, expect, test } from 'vitest'
import { reporters } from './index.js'

const finding: Finding = {
  rule: 's3-unexpected-eof',
  severity: 'error',
  title: 'S3 upload cut short with "unexpected EOF"',
  source: 'registry',
  file: '/var/log/gitlab/registry/current',
  line: 12,
  time: '2024-05-02T10:11:12.123Z',
  message: 'S3 cut an upload short: unexpected EOF \x1b]0;pwned\x07',
  evidence: [
    {
      file: '/var/log/gitlab/registry/current',
      line: 12,
      source: 'registry',
      text: 'time="2024-05-02T10:11:12.123Z" level=error msg="response completed with error" err.detail="unexpected EOF"\x1b[2J',
    },
  ],
  remediation: 'Set the S3 chunksize to 25-50 MB.',
  docs: 'https://docs.gitlab.com/administration/packages/container_registry_troubleshooting/',
  count: 3,
  lastTime: '2024-05-02T10:15:00.000Z',
  verify: ['gitlab-ctl tail registry'],
  configFix: "registry['storage'] = { 's3' => { 'chunksize' => 26214400 } }",
}

const summary: ScanSummary = {
  rules: { 's3-unexpected-eof': { severity: 'error', count: 3, findings: 1, first: '2024-05-02T10:11:12.123Z', last: '2024-05-02T10:15:00.000Z', sources: ['registry'], files: [finding.file] } },
  lines: { read: 10, parsed: 7, unparsed: 2, oversized: 1, invalidUtf8: 0, unparsedByReason: { empty: 1, 'no-match': 1, 'bad-json': 0, 'bad-timestamp': 0, binary: 0, 'other-service': 0 } },
  sources: { registry: { read: 8, parsed: 7, unparsed: 1, oversized: 0 }, unknown: { read: 2, parsed: 0, unparsed: 1, oversized: 1 } },
  files: { [finding.file]: { read: 10, parsed: 7, unparsed: 2, oversized: 1 } },
  findings: 1,
  folded: 2,
  evicted: 0,
  inputs: [finding.file],
  failedInputs: [{ input: 'missing.log', code: 'ENOENT', message: 'missing.log: no such file' }],
  skippedInputs: [{ input: '/var/log/gitlab/gitaly/current', service: 'gitaly' }],
  unparsedSamples: [{ source: 'unknown', reason: 'no-match', file: finding.file, line: 3, text: 'garbage \x1b[31mred' }],
  bytesRead: 1234,
  durationMs: 5,
  interrupted: false,
}

function render(format: 'text' | 'ndjson' | 'json', options: { color?: boolean; summary?: boolean } = {}): string {
  let out = ''
  const reporter = reporters[format]({ write: (text) => (out += text), color: options.color ?? false, summary: options.summary ?? false })
  reporter.finding(finding)
  reporter.end(summary)
  return out
}

describe('text reporter', () => {
  test('a block a newcomer can act on: title, what was seen, where, evidence, fix, config, verify, docs', () => {
    const out = render('text')
    for (const part of [
      'ERROR', finding.title, '[s3-unexpected-eof]', 'Seen', '(3 times, last at 2024-05-02T10:15:00.000Z)', 'Where',
      '/var/log/gitlab/registry/current:12, 2024-05-02T10:11:12.123Z', 'Evidence', 'Fix', finding.remediation, 'Config',
      "'chunksize' => 26214400", 'Verify', '$ gitlab-ctl tail registry', 'Docs', finding.docs,
    ]) expect(out).toContain(part)
  })

  test('log-derived text cannot drive the terminal', () => {
    const out = render('text', { summary: true })
    expect(out).not.toMatch(/\x1b/)
  })

  test('colour only when asked', () => {
    expect(render('text', { color: true })).toMatch(/\x1b\[31m/)
    expect(render('text', { color: false })).not.toMatch(/\x1b\[/)
  })

  test('--summary adds rules, line accounting, samples, failed and left-out inputs', () => {
    const out = render('text', { summary: true })
    for (const part of ['Summary', 's3-unexpected-eof', 'folded repeats: 2', 'Lines', 'source registry', 'Unparsed samples', 'missing.log: no such file (ENOENT)', 'Left out', '/var/log/gitlab/gitaly/current (gitaly)']) {
      expect(out).toContain(part)
    }
    expect(render('text')).not.toContain('Summary')
  })
})

describe('ndjson reporter', () => {
  test('one pino record per finding: numeric level, msg = title: message, the contract fields, ISO time', () => {
    const [record, ...rest] = render('ndjson').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(rest).toHaveLength(0)
    expect(record).toMatchObject({ ...finding, level: 50, msg: `${finding.title}: ${finding.message}`, time: finding.time })
  })

  test('with --summary, a final record with msg "summary"', () => {
    const lines = render('ndjson', { summary: true }).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatchObject({ level: 30, msg: 'summary', summary: { lines: { read: 10 } } })
  })
})

describe('json reporter', () => {
  test('one document at the end with findings and summary', () => {
    expect(JSON.parse(render('json'))).toEqual({ findings: [finding], summary })
  })

  test('written piece by piece, byte for byte what JSON.stringify(document, null, 2) prints', () => {
    for (const count of [0, 1, 3]) {
      const pieces: string[] = []
      const reporter = reporters.json({ write: (text) => void pieces.push(text), color: false, summary: false })
      const findings = Array.from({ length: count }, (_, index) => ({ ...finding, line: index + 1, message: `line "${index}"\nnext` }))
      for (const each of findings) reporter.finding(each)
      reporter.end(summary)
      expect(pieces.join('')).toBe(`${JSON.stringify({ findings, summary }, null, 2)}\n`)
      if (count > 1) expect(pieces.length).toBeGreaterThan(count)
    }
  })
})
