// `rules list | show ID | test [DIR…]` against the shipped catalogue and a directory written by the test.
import { mkdir, writeFile } from 'node:fs/promises'
import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { tempDir, testRule } from '../helpers/fixtures.js'
import { REPO, runCli } from '../helpers/run-cli.js'

let tmp: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => {
  tmp = await tempDir()
  await mkdir(tmp.path('passing'))
  await writeFile(tmp.path('passing/my-eof.yaml'), testRule('my-eof', 'warning'))
  // A rule of one's own that uses a shipped macro, as a copy of a shipped rule does.
  await mkdir(tmp.path('with-macro'))
  await writeFile(
    tmp.path('with-macro/my-challenge.yaml'),
    testRule('my-challenge', 'info')
      .replace(/^sources:.*$/m, 'sources: [nginx-access, registry]')
      .replace(/^match:[\s\S]*?(?=^message:)/m, 'match: { macro: challenge }\n')
      .replace(
        /^examples:[\s\S]*$/m,
        [
          'examples:',
          '  - name: a challenge',
          `    lines: ['203.0.113.9 - - [02/May/2024:10:11:12 +0000] "GET /v2/ HTTP/1.1" 401 87 "-" "docker/24.0.7"']`,
          '    findings: 1',
          '  - name: a pull',
          `    lines: ['203.0.113.9 - - [02/May/2024:10:11:12 +0000] "GET /v2/ HTTP/1.1" 200 2 "-" "docker/24.0.7"']`,
          '    findings: 0',
          '',
        ].join('\n'),
      ),
  )
  await mkdir(tmp.path('failing'))
  await writeFile(tmp.path('failing/wrong-count.yaml'), testRule('wrong-count', 'info').replace('findings: 1', 'findings: 2'))
})
afterAll(() => tmp.cleanup())

const shippedIds = readdirSync(`${REPO}rules`)
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => name.slice(0, -'.yaml'.length))

describe('rules', () => {
  test('list: one line per shipped rule with id, severity, sources, title', async () => {
    const result = await runCli(['rules', 'list'])
    expect(result.code).toBe(0)
    const ids = result.stdout.trim().split('\n').map((line) => line.split(/\s+/)[0])
    expect(ids).toEqual([...shippedIds].sort())
    expect(result.stdout).toMatch(/^s3-unexpected-eof\s+error\s+registry\s+\S/m)
  })

  test('list honours --only and extra --rules directories', async () => {
    const result = await runCli(['rules', 'list', '--rules', tmp.path('passing'), '--only', 'my-eof,s3-head-403'])
    expect(result.stdout.trim().split('\n').map((line) => line.split(/\s+/)[0])).toEqual(['my-eof', 's3-head-403'])
  })

  test('show ID: what it means, the fix and the docs', async () => {
    const result = await runCli(['rules', 'show', 's3-unexpected-eof'])
    expect(result.code).toBe(0)
    for (const part of ['s3-unexpected-eof', 'What it means', 'Fix', 'Docs', 'https://docs.gitlab.com/', 'rules/s3-unexpected-eof.yaml']) expect(result.stdout).toContain(part)
  })

  test('show an unknown id: exit 2 with a hint', async () => {
    const result = await runCli(['rules', 'show', 'no-such-rule'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('no rule with id "no-such-rule"')
  })

  test('list with a broken extra rule file: exit 2, one line naming the file, nothing on stdout', async () => {
    await mkdir(tmp.path('broken'))
    await writeFile(tmp.path('broken/bad-yaml.yaml'), 'id: bad-yaml\ntitle: [unclosed\n')
    const result = await runCli(['rules', 'list', '--rules', tmp.path('broken')])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^registry-logscan: invalid rule file: .*bad-yaml\.yaml: invalid YAML/)])
  })

  test('test DIR: pass per example, exit 0', async () => {
    const result = await runCli(['rules', 'test', tmp.path('passing')])
    expect(result.stdout).toBe('pass  my-eof  fires\npass  my-eof  quiet\n2 passed, 0 failed\n')
    expect(result.code).toBe(0)
  })

  test("test DIR: a rule using a shipped macro loads, and only the directory's rules are tested", async () => {
    const result = await runCli(['rules', 'test', tmp.path('with-macro')])
    expect(result.stdout).toBe('pass  my-challenge  a challenge\npass  my-challenge  a pull\n2 passed, 0 failed\n')
    expect(result.code).toBe(0)
  })

  test('test FILE tests that rule file; a selection that leaves nothing to test is an error, not "0 passed"', async () => {
    const file = await runCli(['rules', 'test', tmp.path('passing/my-eof.yaml')])
    expect(file.stdout).toBe('pass  my-eof  fires\npass  my-eof  quiet\n2 passed, 0 failed\n')
    const nothing = await runCli(['rules', 'test', '--only', 's3-unexpected-eof', tmp.path('passing')])
    expect(nothing.code).toBe(2)
    expect(nothing.stderr).toContain('no rule to test in')
  })

  test('test DIR with a failing example: FAIL with expected and actual, exit 1', async () => {
    const result = await runCli(['rules', 'test', tmp.path('failing')])
    expect(result.stdout).toContain('FAIL  wrong-count  fires: expected 2 finding(s), got 1')
    expect(result.stdout).toContain('1 passed, 1 failed')
    expect(result.code).toBe(1)
  })
})
