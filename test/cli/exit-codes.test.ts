// Exit codes of shared/spec/cli-contract.md: 0 nothing at or above --fail-on, 1 findings at or above it,
// 2 usage error / an unreadable input (the rest still scanned) / invalid rule file.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { HEALTHY_LINE, S3_EOF_LINE, tempDir, writeLog } from '../helpers/fixtures.js'
import { runCli } from '../helpers/run-cli.js'

let tmp: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => {
  tmp = await tempDir()
  await writeLog(tmp.path('healthy.log'), [HEALTHY_LINE])
  await writeLog(tmp.path('s3.log'), [S3_EOF_LINE])
})
afterAll(() => tmp.cleanup())

describe('exit codes', () => {
  test('0: nothing found', async () => {
    const result = await runCli([tmp.path('healthy.log')])
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' })
  })

  test('0: a finding without --fail-on is reported, not a failure', async () => {
    const result = await runCli([tmp.path('s3.log')])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('s3-unexpected-eof')
  })

  test.each([
    ['info', 1],
    ['warning', 1],
    ['error', 1],
    ['critical', 0],
  ])('--fail-on %s with an error finding → %i', async (failOn, code) => {
    expect((await runCli(['--fail-on', failOn, tmp.path('s3.log')])).code).toBe(code)
  })

  test.each([
    [['--format', 'xml'], '--format must be one of text, ndjson, json'],
    [['--nope'], "Unknown option '--nope'"],
    [['rules', 'frobnicate'], 'usage: registry-logscan rules'],
  ])('2: usage error %j', async (args, message) => {
    const result = await runCli(args)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
    expect(result.stdout).toBe('')
  })

  test('2: the only input is missing — one clear line on stderr', async () => {
    const result = await runCli([tmp.path('nope.log')])
    expect(result.code).toBe(2)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/error: .*nope\.log.*(ENOENT|no such file)/)
  })

  test('2: a directory with nothing to read', async () => {
    const empty = await tempDir()
    const result = await runCli([empty.dir])
    await empty.cleanup()
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('directory has no files to read')
  })

  test('2: an unknown id in --only is named as the option\'s mistake, not a rule file\'s', async () => {
    const result = await runCli(['--only', 'nope', tmp.path('s3.log')])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('registry-logscan: --only: unknown rule id "nope" (see: registry-logscan rules list)\n')
    expect(result.stdout).toBe('')
  })

  test('2: a glob that matches nothing', async () => {
    const result = await runCli([tmp.path('*.nothing')])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('no file matches this pattern')
  })

  test('2: one missing file among readable ones — the rest is still scanned and reported, the summary lists it', async () => {
    const result = await runCli(['--format', 'json', tmp.path('nope.log'), tmp.path('s3.log')])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^registry-logscan: error: .*nope\.log/)
    const document = JSON.parse(result.stdout) as { summary: { failedInputs: { input: string; code: string }[]; inputs: string[] } }
    expect(document.summary.failedInputs).toEqual([expect.objectContaining({ input: tmp.path('nope.log'), code: 'ENOENT' })])
    expect(document.summary.inputs).toEqual([tmp.path('s3.log')])
  })
})
