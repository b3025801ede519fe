// The embedding example (packages/registry-logscan/examples/log-forwarder.mjs) runs as documented: lines are
// forwarded unchanged, the finding is shipped while the input is still open, and the summary counts every line.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { HEALTHY_LINE, S3_EOF_LINE } from '../helpers/fixtures.js'
import { parseNdjson } from '../helpers/run-cli.js'

const EXAMPLE = fileURLToPath(new URL('../../packages/registry-logscan/examples/log-forwarder.mjs', import.meta.url))

test('forwards every line and ships the finding before the input ends', async () => {
  const child = spawn(process.execPath, [EXAMPLE, '/var/log/gitlab/registry/current'])
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  const shipped = new Promise<void>((resolve) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (stderr.includes('s3-unexpected-eof')) resolve()
    })
  })
  child.stdin.write(`${HEALTHY_LINE}\n${S3_EOF_LINE}\n`)
  // The finding must arrive while stdin is still open: the scanner flushes on idle, not only at the end.
  await shipped
  child.stdin.end(`${HEALTHY_LINE}\n`)
  const code = await new Promise((resolve) => child.on('close', resolve))
  expect(code).toBe(0)
  expect(stdout).toBe(`${HEALTHY_LINE}\n${S3_EOF_LINE}\n${HEALTHY_LINE}\n`)
  const records = parseNdjson(stderr)
  expect(records[0]).toMatchObject({ rule: 's3-unexpected-eof', severity: 'error', file: '/var/log/gitlab/registry/current', line: 2 })
  expect(records.at(-1)).toMatchObject({ msg: 'forwarder done', lines: 3 })
})
