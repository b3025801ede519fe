import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Finding, ParseOutput } from './index.js'
import { scan } from './scan.js'

const RULES = [fileURLToPath(new URL('./fixtures/rules', import.meta.url))]
const EOF_LINE = 'time="2024-05-02T10:11:12.123Z" level=error msg="response completed with error" err.code=unknown err.detail="unexpected EOF" err.message="unknown error"'
const OK_LINE = 'time="2024-05-02T10:11:13.000Z" level=info msg="response completed" http.response.status=201'
const at = (hour: number): string => EOF_LINE.replace('T10:', `T${String(hour).padStart(2, '0')}:`)

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scan-'))
  await writeFile(join(dir, 'a.log'), `${OK_LINE}\n${at(1)}\nnot a log line\n`)
  await writeFile(join(dir, 'a.log.1'), gzipSync(`${at(0)}\n`))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

async function collect(result: AsyncIterable<Finding>): Promise<Finding[]> {
  const findings: Finding[] = []
  for await (const finding of result) findings.push(finding)
  return findings
}

describe('scan', () => {
  test('files in rotation order; findings carry file and line; summary accounts for every line', async () => {
    const result = scan(join(dir, 'a.log*'), { rules: RULES })
    const findings = await collect(result)
    expect(findings.map((finding) => [finding.file, finding.line])).toEqual([
      [join(dir, 'a.log.1'), 1],
      [join(dir, 'a.log'), 2],
    ])
    const summary = await result.summary
    expect(summary.lines).toMatchObject({ read: 4, parsed: 3, unparsed: 1, oversized: 0 })
    expect(summary.files[join(dir, 'a.log')]).toEqual({ read: 3, parsed: 2, unparsed: 1, oversized: 0 })
    expect(summary.rules['test-eof']).toMatchObject({ severity: 'error', count: 2, findings: 2, first: '2024-05-02T00:11:12.123Z', last: '2024-05-02T01:11:12.123Z' })
    expect(summary.inputs).toEqual([join(dir, 'a.log.1'), join(dir, 'a.log')])
    expect(summary.unparsedSamples).toEqual([expect.objectContaining({ reason: 'no-match', line: 3, text: 'not a log line' })])
    expect(result.progress().bytesRead).toBe(summary.bytesRead)
  })

  test('repeats inside the fold window are one finding whose count grows', async () => {
    const result = scan(Readable.from([EOF_LINE, EOF_LINE, EOF_LINE]), { rules: RULES })
    const findings = await collect(result)
    expect(findings).toHaveLength(1)
    expect(findings[0]?.count).toBe(3)
    expect(await result.summary).toMatchObject({ folded: 2, findings: 1, rules: { 'test-eof': { count: 3, findings: 1 } } })
  })

  test('an async iterable of lines, and of buffers', async () => {
    async function* lines(): AsyncGenerator<string> {
      yield OK_LINE
      await Promise.resolve()
      yield `${EOF_LINE}\n`
    }
    expect(await collect(scan(lines(), { rules: RULES }))).toEqual([expect.objectContaining({ rule: 'test-eof', file: '-', line: 2 })])
    async function* buffers(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(EOF_LINE.slice(0, 30))
      await Promise.resolve()
      yield Buffer.from(`${EOF_LINE.slice(30)}\n`)
    }
    expect(await collect(scan(buffers(), { rules: RULES }))).toHaveLength(1)
  })

  test('rules: [] parses only, and onEvent sees every output', async () => {
    const outputs: ParseOutput[] = []
    const result = scan(join(dir, 'a.log'), { rules: [], onEvent: (output) => outputs.push(output) })
    expect(await collect(result)).toEqual([])
    expect(outputs.map((output) => ('unparsed' in output ? output.unparsed : 'source' in output ? output.source : 'oversized'))).toEqual(['registry', 'registry', 'no-match'])
  })

  test('only / disable choose rules', async () => {
    expect(await collect(scan(join(dir, 'a.log'), { rules: RULES, disable: ['test-eof'] }))).toEqual([])
    expect(await collect(scan(join(dir, 'a.log'), { rules: RULES, only: ['test-eof'] }))).toHaveLength(1)
  })

  test('a missing input is a failed input in the summary, not an exception', async () => {
    const result = scan([join(dir, 'missing.log'), join(dir, 'a.log')], { rules: RULES })
    expect(await collect(result)).toHaveLength(1)
    expect((await result.summary).failedInputs).toEqual([expect.objectContaining({ code: 'ENOENT', input: join(dir, 'missing.log') })])
  })

  test('a broken rule directory rejects the iteration and the summary with the RuleFileError', async () => {
    const result = scan(join(dir, 'a.log'), { rules: [join(dir, 'no-such-rules')] })
    await expect(collect(result)).rejects.toMatchObject({ name: 'RuleFileError' })
    await expect(result.summary).rejects.toMatchObject({ name: 'RuleFileError' })
  })

  test('maxLineLength: longer lines are oversized, counted, not parsed', async () => {
    const result = scan(Readable.from([Buffer.from(`${EOF_LINE}\n${'x'.repeat(5000)}\n`)], { objectMode: false }), { rules: RULES, maxLineLength: 1000 })
    expect(await collect(result)).toHaveLength(1)
    expect((await result.summary).lines).toMatchObject({ read: 2, parsed: 1, oversized: 1 })
  })

  test('worker threads give the same findings and counts (per source and per file too) as the calling thread', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? at(i % 24) : i % 5 === 0 ? 'garbage' : OK_LINE))
    await writeFile(join(dir, 'big.log'), `${lines.join('\n')}\n`)
    const run = async (workers: number): Promise<[unknown[], unknown]> => {
      const result = scan(join(dir, 'big.log'), { rules: RULES, workers })
      const findings = (await collect(result)).map((finding) => [finding.line, finding.count])
      const { lines: counts, rules, sources, files } = await result.summary
      return [findings, { counts, rules, sources, files }]
    }
    const [inThread, pooled] = [await run(0), await run(2)]
    expect(pooled).toEqual(inThread)
    expect(inThread[0].length).toBeGreaterThan(1)
    // The garbage lines failed the registry layout: the registry's, not `unknown`, in both.
    expect(inThread[1]).toMatchObject({ sources: { registry: { unparsed: 514 } } })
  })

  test('a gitlab-ctl tail stream gives the same result in batches on workers: each batch knows the file its lines come from', async () => {
    const workhorse = '{"level":"info","msg":"access","method":"GET","uri":"/v2/","status":200,"remote_ip":"10.0.0.5","time":"2024-05-02T10:11:13Z","user_agent":"docker/24.0.7"}'
    const stream = ['==> /var/log/gitlab/gitlab-workhorse/current <==', ...Array.from({ length: 30_000 }, () => workhorse), '', '==> /var/log/gitlab/registry/current <==', EOF_LINE]
    await writeFile(join(dir, 'tail.log'), `${stream.join('\n')}\n`)
    // The same read through `docker logs -t gitlab`.
    await writeFile(join(dir, 'tail-t.log'), `${stream.map((line) => `2024-05-02T10:11:13.000000000Z ${line}`).join('\n')}\n`)
    // The same after `gitlab-ctl reconfigure`'s output, so the first header comes after the first batch.
    const reconfigure = Array.from({ length: 20_000 }, (_, i) => `${i}: Recipe: gitlab::default - nothing to do here at all, up to date`)
    await writeFile(join(dir, 'tail-late.log'), `${[...reconfigure, ...stream].join('\n')}\n`)
    const run = async (file: string, workers: number): Promise<unknown> => {
      const result = scan(join(dir, file), { workers })
      const rules = (await collect(result)).map((finding) => finding.rule)
      const { lines } = await result.summary
      return { rules, lines }
    }
    for (const file of ['tail.log', 'tail-t.log', 'tail-late.log']) {
      const inThread = await run(file, 0)
      expect(inThread).toMatchObject({ rules: ['s3-unexpected-eof'], lines: { unparsedByReason: { 'other-service': 30_000 } } })
      expect(await run(file, 2)).toEqual(inThread)
    }
  })

  test("an event without a time takes its own input's latest time, never one of an input read before (any worker count)", async () => {
    // A registry log with times, then docker output with none: the second file's finding has no time.
    await writeFile(join(dir, 'timed.log'), `${at(9)}\n`)
    await writeFile(join(dir, 'job.log'), 'Error response from daemon: Get "https://registry.example.com/v2/": x509: certificate signed by unknown authority\n')
    const run = async (workers: number): Promise<unknown> => {
      const result = scan([join(dir, 'timed.log'), join(dir, 'job.log')], { workers })
      const times = (await collect(result)).map((finding) => [finding.rule, finding.time])
      return { times, rules: (await result.summary).rules }
    }
    const inThread = await run(0)
    expect(inThread).toMatchObject({ times: [['s3-unexpected-eof', '2024-05-02T09:11:12.123Z'], ['x509-unknown-authority', undefined]] })
    expect((inThread as { rules: Record<string, object> }).rules['x509-unknown-authority']).not.toHaveProperty('first')
    expect(await run(2)).toEqual(inThread)
  })

  test('an abort stops a live input, delivers what was found and marks the summary interrupted', async () => {
    const controller = new AbortController()
    const stream = new Readable({ read() {} })
    const result = scan(stream, { rules: RULES, signal: controller.signal })
    const findings: Finding[] = []
    const done = (async () => {
      for await (const finding of result) {
        findings.push(finding)
        controller.abort()
      }
    })()
    stream.push(`${EOF_LINE}\n`)
    await done
    expect(findings).toHaveLength(1)
    expect(await result.summary).toMatchObject({ interrupted: true, lines: { read: 1 } })
  })
})
