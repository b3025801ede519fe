// A broken rule file stops the CLI before any scan: exit 2, one message per broken file naming the file, the
// rule and the field.
import { mkdir, writeFile } from 'node:fs/promises'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { S3_EOF_LINE, tempDir, testRule } from '../helpers/fixtures.js'
import { runCli } from '../helpers/run-cli.js'

let tmp: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => {
  tmp = await tempDir()
  await writeFile(tmp.path('input.log'), `${S3_EOF_LINE}\n`)
})
afterAll(() => tmp.cleanup())


test.each([
  { title: 'a wrong field type', id: 'bad-severity', text: testRule('bad-severity', 'severe'), expected: ['bad-severity.yaml', 'rule "bad-severity"', 'severity'] },
  { title: 'YAML that does not parse', id: 'bad-yaml', text: 'id: bad-yaml\ntitle: [unclosed\n', expected: ['bad-yaml.yaml'] },
  { title: 'an unknown event field', id: 'bad-field', text: testRule('bad-field', 'error').replace('field: errorDetail', 'field: noSuchField'), expected: ['bad-field.yaml', 'rule "bad-field"', 'match'] },
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

test('several broken rule files → one line for each, then exit 2, nothing scanned', async () => {
  const dir = tmp.path('several')
  await mkdir(dir)
  await writeFile(`${dir}/bad-severity.yaml`, testRule('bad-severity', 'severe'))
  await writeFile(`${dir}/fine.yaml`, testRule('fine', 'warning'))
  await writeFile(`${dir}/bad-field.yaml`, testRule('bad-field', 'error').replace('field: errorDetail', 'field: noSuchField'))
  const result = await runCli(['--rules', dir, tmp.path('input.log')])
  expect(result.code).toBe(2)
  expect(result.stdout).toBe('')
  const lines = result.stderr.trim().split('\n')
  expect(lines).toHaveLength(2)
  expect(lines[0]).toContain('bad-field.yaml')
  expect(lines[1]).toContain('bad-severity.yaml')
})

test('a rules directory that does not exist → exit 2 naming it', async () => {
  const result = await runCli(['--rules', tmp.path('no-such-dir'), tmp.path('input.log')])
  expect(result.code).toBe(2)
  expect(result.stderr).toContain('no-such-dir')
})

test('a valid extra rule directory is loaded beside the shipped rules', async () => {
  const dir = tmp.path('good-rules')
  await mkdir(dir)
  await writeFile(`${dir}/my-eof.yaml`, testRule('my-eof', 'warning'))
  const result = await runCli(['--rules', dir, '--only', 'my-eof', '--format', 'ndjson', tmp.path('input.log')])
  expect(result.stderr).toBe('')
  expect(result.stdout).toContain('"rule":"my-eof"')
  expect(result.code).toBe(0)
})
