// Hostile or broken input must not crash, hang or drive the terminal: every line is still accounted for.
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { S3_EOF_LINE, tempDir } from '../helpers/fixtures.js'
import { runCli } from '../helpers/run-cli.js'

let tmp: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => {
  tmp = await tempDir()
})
afterAll(() => tmp.cleanup())

interface Lines {
  read: number
  parsed: number
  unparsed: number
  oversized: number
  invalidUtf8: number
}

async function scanJson(args: string[]): Promise<{ code: number | null; stderr: string; findings: Record<string, unknown>[]; lines: Lines; failedInputs: { code: string }[] }> {
  const result = await runCli(['--format', 'json', ...args], { timeoutMs: 60_000 })
  const document = JSON.parse(result.stdout) as { findings: Record<string, unknown>[]; summary: { lines: Lines; failedInputs: { code: string }[] } }
  const { lines } = document.summary
  expect(lines.parsed + lines.unparsed + lines.oversized).toBe(lines.read)
  return { code: result.code, stderr: result.stderr, findings: document.findings, lines, failedInputs: document.summary.failedInputs }
}

describe('hostile input', () => {
  test('a binary blob: counted (mostly as binary), nothing found, no crash', async () => {
    await writeFile(tmp.path('blob.bin'), randomBytes(256 * 1024))
    const result = await scanJson([tmp.path('blob.bin')])
    expect(result.code).toBe(0)
    expect(result.lines.read).toBeGreaterThan(0)
    expect(result.findings).toEqual([])
    const { unparsedByReason } = result.lines as unknown as { unparsedByReason: Record<string, number> }
    expect(unparsedByReason['binary']).toBeGreaterThan(result.lines.read * 0.8)
  })

  test('a 50 MB line between two real ones: counted oversized, the lines around it still found', async () => {
    const path = tmp.path('huge.log')
    const out = createWriteStream(path)
    out.write(`${S3_EOF_LINE}\n`)
    const block = 'x'.repeat(1024 * 1024)
    for (let i = 0; i < 50; i++) out.write(block)
    out.write(`\n${S3_EOF_LINE.replace('T10:', 'T12:')}\n`)
    await new Promise((resolve) => out.end(resolve))
    const started = performance.now()
    const result = await scanJson([path])
    expect(performance.now() - started).toBeLessThan(30_000)
    expect(result.lines).toMatchObject({ read: 3, parsed: 2, oversized: 1 })
    expect(result.findings.map((finding) => finding.line)).toEqual([1, 3])
  })

  test('truncated UTF-8 inside and at the end of lines: decoded, counted, still matched', async () => {
    const line = Buffer.from(S3_EOF_LINE.replace('unknown error"', 'unknown error" note="caf'))
    await writeFile(tmp.path('utf8.log'), Buffer.concat([line, Buffer.from([0xc3]), Buffer.from('"\n'), Buffer.from('tail \xe2\x82', 'latin1')]))
    const result = await scanJson([tmp.path('utf8.log')])
    expect(result.lines.read).toBe(2)
    expect(result.lines.invalidUtf8).toBe(2)
    expect(result.findings).toHaveLength(1)
  })

  test('escape sequences in a log line never reach the terminal in text output', async () => {
    const evil = S3_EOF_LINE.replace('unknown error"', 'unknown error\x1b]0;pwned\x07\x1b[2J\x1b[31m"')
    const result = await runCli([], { input: `${evil}\n` })
    expect(result.stdout).toContain('s3-unexpected-eof')
    expect(result.stdout).not.toMatch(/[\x1b\x07]/)
  })

  test('a truncated gzip as the only input: the lines before the cut are scanned, one clear line on stderr, exit 2', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `${S3_EOF_LINE} n=${i}`).join('\n')
    const gzip = gzipSync(`${lines}\n`)
    await writeFile(tmp.path('cut.gz'), gzip.subarray(0, Math.floor(gzip.length / 2)))
    const result = await runCli(['--format', 'json', tmp.path('cut.gz')])
    expect(result.code).toBe(2)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/cut\.gz: unexpected end of file/)
    const document = JSON.parse(result.stdout) as { findings: unknown[]; summary: { failedInputs: { code: string }[] } }
    expect(document.findings.length).toBeGreaterThan(0)
    expect(document.summary.failedInputs).toEqual([expect.objectContaining({ code: 'Z_BUF_ERROR' })])
  })

  test('a truncated gzip among good files: exit 2 with the error, the rest still scanned and reported', async () => {
    await writeFile(tmp.path('good.log'), `${S3_EOF_LINE}\n`)
    const result = await runCli(['--format', 'json', tmp.path('cut.gz'), tmp.path('good.log')])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^registry-logscan: error: .*cut\.gz/)
    const { summary } = JSON.parse(result.stdout) as { summary: { inputs: string[]; lines: { read: number } } }
    expect(summary.inputs).toContain(tmp.path('good.log'))
    expect(summary.lines.read).toBeGreaterThan(1)
  })
})
