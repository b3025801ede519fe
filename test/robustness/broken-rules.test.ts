// A broken rule file stops the CLI before any scan: exit 2, one message naming the file, the rule and the field.
import { mkdir, writeFile } from 'node:fs/promises'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { S3_EOF_LINE, tempDir } from '../helpers/fixtures.js'
import { runCli } from '../helpers/run-cli.js'

let tmp: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => {
  tmp = await tempDir()
  await writeFile(tmp.path('input.log'), `${S3_EOF_LINE}\n`)
})
afterAll(() => tmp.cleanup())

const validRule = (id: string, severity: string): string => `id: ${id}
title: A test rule
status: experimental
severity: ${severity}
sources: [registry]
description: A rule written for a test.
docs: https://docs.gitlab.com/
match: { field: errorDetail, equals: unexpected EOF }
message: 'saw {errorDetail}'
remediation: Nothing to do.
falsepositives: [unknown]
examples:
  - name: fires
    lines: ['${S3_EOF_LINE.replaceAll("'", "''")}']
    findings: 1
  - name: quiet
    lines: ['time="2024-05-02T10:11:12.123Z" level=info msg="response completed"']
    findings: 0
`

test.each([
  { title: 'a wrong field type', id: 'bad-severity', text: validRule('bad-severity', 'severe'), expected: ['bad-severity.yaml', 'rule "bad-severity"', 'severity'] },
  { title: 'YAML that does not parse', id: 'bad-yaml', text: 'id: bad-yaml\ntitle: [unclosed\n', expected: ['bad-yaml.yaml'] },
  { title: 'an unknown event field', id: 'bad-field', text: validRule('bad-field', 'error').replace('field: errorDetail', 'field: noSuchField'), expected: ['bad-field.yaml', 'rule "bad-field"', 'match'] },
])('$title → exit 2 naming file, rule and field', async ({ id, text, expected }) => {
  const dir = tmp.path(id)
  await mkdir(dir)
  await writeFile(`${dir}/${id}.yaml`, text)
  const result = await runCli(['--rules', dir, tmp.path('input.log')])
  expect(result.code).toBe(2)
  expect(result.stdout).toBe('')
  expect(result.stderr.trim().split('\n')).toHaveLength(1)
  for (const part of expected) expect(result.stderr).toContain(part)
})

test('a rules directory that does not exist → exit 2 naming it', async () => {
  const result = await runCli(['--rules', tmp.path('no-such-dir'), tmp.path('input.log')])
  expect(result.code).toBe(2)
  expect(result.stderr).toContain('no-such-dir')
})

test('a valid extra rule directory is loaded beside the shipped rules', async () => {
  const dir = tmp.path('good-rules')
  await mkdir(dir)
  await writeFile(`${dir}/my-eof.yaml`, validRule('my-eof', 'warning'))
  const result = await runCli(['--rules', dir, '--only', 'my-eof', '--format', 'ndjson', tmp.path('input.log')])
  expect(result.stderr).toBe('')
  expect(result.stdout).toContain('"rule":"my-eof"')
  expect(result.code).toBe(1)
})
