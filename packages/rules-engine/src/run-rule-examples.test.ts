import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { loadRules } from './load-rules.js'
import { runRuleExamples } from './run-rule-examples.js'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rule-examples-'))
  await mkdir(join(dir, 'examples'))
  await writeFile(join(dir, 'examples', 'error.log'), '2024/05/02 10:11:12 [error] 123#0: *45 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: registry.example.com, request: "GET /v2/ HTTP/1.1", upstream: "http://[::1]:5000/v2/", host: "registry.example.com"\n')
  await writeFile(join(dir, 'ipv6-refused.yaml'), `id: ipv6-refused
title: NGINX cannot reach the registry on ::1
status: stable
severity: error
sources: [nginx-error]
description: test
docs: https://docs.gitlab.com/
match:
  all:
    - { field: message, contains: 'Connection refused' }
    - { field: upstream, contains: '[::1]' }
message: 'refused: {upstream}'
remediation: Listen on IPv6 or point NGINX at 127.0.0.1.
falsepositives: [unknown]
examples:
  - name: from a file
    files: [examples/error.log]
    findings: 1
  - name: IPv4 upstream
    source: nginx-error
    lines: ['2024/05/02 10:11:12 [error] 123#0: *45 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: registry.example.com, request: "GET /v2/ HTTP/1.1", upstream: "http://127.0.0.1:5000/v2/", host: "registry.example.com"']
    findings: 0
  - name: claims a finding it will not get
    lines: ['nothing to see']
    findings: 1
  - name: escapes its directory
    files: [../../etc/passwd]
    findings: 0
`)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

test('runs every example through the real parser and reports pass/fail', async () => {
  const results = await runRuleExamples(await loadRules([dir]))
  expect(results.map(({ example, expected, actual, passed }) => ({ example, expected, actual, passed }))).toEqual([
    { example: 'from a file', expected: 1, actual: 1, passed: true },
    { example: 'IPv4 upstream', expected: 0, actual: 0, passed: true },
    { example: 'claims a finding it will not get', expected: 1, actual: 0, passed: false },
    { example: 'escapes its directory', expected: 0, actual: 0, passed: false },
  ])
  expect(results[0]?.findings[0]?.message).toBe('refused: http://[::1]:5000/v2/')
  expect(results[3]?.error).toMatch(/outside the rule's directory/)
})
