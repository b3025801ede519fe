// SIGINT / SIGTERM mid-scan: stop reading, deliver the findings in flight, print the summary, exit with the
// contract's code. EPIPE (`| head`): end quietly, no stack trace.
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { S3_EOF_LINE, tempDir } from '../helpers/fixtures.js'
import { CLI_BIN, parseNdjson, spawnCli } from '../helpers/run-cli.js'

let tmp: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => {
  tmp = await tempDir()
  // 3,000 S3 errors 11 minutes apart: 3,000 separate findings (no fold window joins two).
  const start = Date.parse('2024-01-01T00:00:00.000Z')
  const lines = Array.from({ length: 3000 }, (_, i) => S3_EOF_LINE.replace('2024-05-02T10:11:12.123Z', new Date(start + i * 11 * 60_000).toISOString()))
  await writeFile(tmp.path('many.log'), `${lines.join('\n')}\n`)
})
afterAll(() => tmp.cleanup())

describe('signals', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)('%s while reading stdin: findings so far, then the summary, exit 0', async (signal) => {
    const cli = spawnCli(['--format', 'ndjson', '--summary'])
    cli.child.stdin.write(`${S3_EOF_LINE}\n`)
    await cli.waitForStdout((out) => parseNdjson(out).length === 1, 10_000)
    const sent = performance.now()
    cli.child.kill(signal)
    const result = await cli.exited
    expect(performance.now() - sent).toBeLessThan(2000)
    const records = parseNdjson(result.stdout)
    expect(records.map((record) => record.msg === 'summary' ? 'summary' : record.rule)).toEqual(['s3-unexpected-eof', 'summary'])
    expect(records[1]).toMatchObject({ summary: { interrupted: true, lines: { read: 1, parsed: 1 } } })
    expect(result).toMatchObject({ code: 0, stderr: '' })
  })
})

describe('EPIPE', () => {
  test('`| head -n 1` ends the CLI quietly', async () => {
    const script = `node ${JSON.stringify(CLI_BIN)} --format ndjson ${JSON.stringify(tmp.path('many.log'))} | head -n 1; echo "status=\${PIPESTATUS[0]}" >&2`
    const child = spawn('bash', ['-c', script])
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    await new Promise((resolve) => child.on('close', resolve))
    expect(parseNdjson(stdout)).toHaveLength(1)
    expect(stderr.trim()).toBe('status=0')
  })
})
