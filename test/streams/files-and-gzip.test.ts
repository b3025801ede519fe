// Files, globs and directories; gzip recognised by its magic bytes whatever the name (Omnibus rotates
// `@4000…s` files gzipped without `.gz`); rotated files read oldest first.
import { mkdir } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { HEALTHY_LINE, S3_EOF_LINE, tempDir, writeLog } from '../helpers/fixtures.js'
import { parseNdjson, runCli } from '../helpers/run-cli.js'

let tmp: Awaited<ReturnType<typeof tempDir>>
const at = (hour: number): string => S3_EOF_LINE.replace('T10:', `T${String(hour).padStart(2, '0')}:`)

beforeAll(async () => {
  tmp = await tempDir()
  await mkdir(tmp.path('registry'))
  // svlogd layout: two finished files (one gzipped without .gz), `current`, and svlogd's control files.
  await writeLog(tmp.path('registry/@400000006633503a0f1e2d3c.s'), [at(1)], { gzip: true })
  await writeLog(tmp.path('registry/@400000006634a1c22a4b1c3c.s'), [HEALTHY_LINE, at(5)])
  await writeLog(tmp.path('registry/current'), [at(9)])
  await writeLog(tmp.path('registry/lock'), ['not a log'])
  await writeLog(tmp.path('registry/state'), ['not a log'])
  await mkdir(tmp.path('nginx'))
  await writeLog(tmp.path('nginx/registry.log.2.gz'), [at(2)], { gzip: true })
  await writeLog(tmp.path('nginx/registry.log.1'), [at(3)])
  await writeLog(tmp.path('nginx/registry.log'), [at(4)])
})
afterAll(() => tmp.cleanup())

async function findings(args: string[]): Promise<Record<string, unknown>[]> {
  return parseNdjson((await runCli(['--format', 'ndjson', ...args], { cwd: tmp.dir })).stdout)
}

describe('inputs', () => {
  test('a directory is read recursively, rotations oldest first, svlogd control files skipped', async () => {
    const out = await runCli(['--format', 'json', 'registry'], { cwd: tmp.dir })
    const document = JSON.parse(out.stdout) as { findings: { file: string; time: string }[]; summary: { files: Record<string, unknown> } }
    expect(document.findings.map((finding) => [finding.file, finding.time.slice(11, 13)])).toEqual([
      ['registry/@400000006633503a0f1e2d3c.s', '01'],
      ['registry/@400000006634a1c22a4b1c3c.s', '05'],
      ['registry/current', '09'],
    ])
    expect(Object.keys(document.summary.files).sort()).toEqual([
      'registry/@400000006633503a0f1e2d3c.s', 'registry/@400000006634a1c22a4b1c3c.s', 'registry/current',
    ])
  })

  test('a quoted glob, expanded by the tool, in rotation order (gzip by magic bytes)', async () => {
    const result = await findings(['nginx/registry.log*'])
    expect(result.map((finding) => finding.file)).toEqual(['nginx/registry.log.2.gz', 'nginx/registry.log.1', 'nginx/registry.log'])
  })

  test('a file gzipped without a .gz name is read as gzip', async () => {
    const result = await findings(['registry/@400000006633503a0f1e2d3c.s'])
    expect(result).toEqual([expect.objectContaining({ rule: 's3-unexpected-eof', line: 1 })])
  })

  test('gzip on stdin is detected too', async () => {
    const { gzipSync } = await import('node:zlib')
    const out = await runCli(['--format', 'ndjson'], { input: gzipSync(`${S3_EOF_LINE}\n`) })
    expect(parseNdjson(out.stdout)).toEqual([expect.objectContaining({ rule: 's3-unexpected-eof', file: '-' })])
  })

  test("a directory's logs of other GitLab services are left out, said on stderr and in the summary; named, they are read", async () => {
    // Workhorse writes the registry's LabKit access format: read as a registry log, this 200 on /v2/ to a
    // client never challenged would be reported as a registry serving anonymous pulls.
    const workhorse = '{"correlation_id":"01HQ2","duration_ms":3,"level":"info","method":"GET","msg":"access","proto":"HTTP/1.1","remote_ip":"10.0.0.5","status":200,"system":"http","time":"2024-05-02T10:11:13Z","uri":"/v2/","user_agent":"docker/24.0.7","written_bytes":2}'
    for (const service of ['gitlab-workhorse', 'registry']) await mkdir(tmp.path(`omnibus/${service}`), { recursive: true })
    await writeLog(tmp.path('omnibus/gitlab-workhorse/current'), [workhorse])
    await writeLog(tmp.path('omnibus/registry/current'), [S3_EOF_LINE])
    const out = await runCli(['--format', 'json', 'omnibus'], { cwd: tmp.dir })
    const document = JSON.parse(out.stdout) as { findings: { rule: string }[]; summary: { lines: { read: number }; skippedInputs: unknown[] } }
    expect(document.findings.map((finding) => finding.rule)).toEqual(['s3-unexpected-eof'])
    expect(document.summary.lines.read).toBe(1)
    expect(document.summary.skippedInputs).toEqual([{ input: 'omnibus/gitlab-workhorse/current', service: 'gitlab-workhorse' }])
    expect(out.stderr).toContain('left out 1 log of GitLab services no rule reads (gitlab-workhorse); name a file to scan it')
    const named = await runCli(['--format', 'json', 'omnibus/gitlab-workhorse/current'], { cwd: tmp.dir })
    expect(JSON.parse(named.stdout)).toMatchObject({ summary: { lines: { read: 1 }, skippedInputs: [] } })
    expect(named.stderr).toBe('')
  })

  test('several paths: each file once, even when named twice', async () => {
    const result = await findings(['nginx/registry.log', 'nginx/registry.log', 'nginx/*.log'])
    expect(result).toHaveLength(1)
  })
})
