// --follow on a real file under a running CLI, across both kinds of rotation: rename-and-create (svlogd,
// logrotate's default) and copytruncate. Every line is reported exactly once: none lost, none repeated.
import { appendFile, copyFile, mkdir, rename, truncate } from 'node:fs/promises'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { S3_EOF_LINE, tempDir, writeLog } from '../helpers/fixtures.js'
import { parseNdjson, spawnCli } from '../helpers/run-cli.js'

let tmp: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => {
  tmp = await tempDir()
})
afterAll(() => tmp.cleanup())

const at = (hour: number): string => `${S3_EOF_LINE.replace('T10:', `T${String(hour).padStart(2, '0')}:`)}\n`
const findingsIn = (stdout: string): Record<string, unknown>[] => parseNdjson(stdout).filter((record) => record.msg !== 'summary')

test('follows growth, rename-and-create and copytruncate without losing or repeating a line', async () => {
  const path = tmp.path('registry.log')
  await writeLog(path, [at(1).trim()])
  const cli = spawnCli(['--follow', '--format', 'ndjson', '--summary', path])
  const waitFor = (count: number): Promise<string> => cli.waitForStdout((out) => findingsIn(out).length >= count, 5000)

  await waitFor(1)
  await appendFile(path, at(2))
  await waitFor(2)

  // rename-and-create: a line lands in the old file just before the rename, then the new file starts.
  await appendFile(path, at(3))
  await rename(path, `${path}.1`)
  await writeLog(path, [at(4).trim()])
  await waitFor(4)

  // copytruncate: copy, truncate in place, keep writing.
  await copyFile(path, `${path}.1`)
  await truncate(path, 0)
  await appendFile(path, at(5))
  await waitFor(5)

  cli.child.kill('SIGINT')
  const result = await cli.exited
  const findings = findingsIn(result.stdout)
  expect(findings.map((finding) => [String(finding.time).slice(11, 13), finding.line])).toEqual([
    ['01', 1],
    ['02', 2],
    ['03', 3],
    ['04', 1],
    ['05', 1],
  ])
  expect(parseNdjson(result.stdout).at(-1)).toMatchObject({ msg: 'summary', summary: { interrupted: true } })
  expect(result.code).toBe(0)
})

test('waits for a file that does not exist yet, and says so on stderr', async () => {
  const path = tmp.path('later/current')
  const cli = spawnCli(['--follow', '--format', 'ndjson', path])
  for (let waited = 0; !cli.stderr().includes('waiting for it to appear'); waited += 20) {
    if (waited > 5000) throw new Error(`no note on stderr: ${cli.stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  // Its directory did not exist either: the follower polls until both do.
  await mkdir(tmp.path('later'))
  await writeLog(path, [at(6).trim()])
  await cli.waitForStdout((out) => findingsIn(out).length === 1, 5000)
  cli.child.kill('SIGINT')
  const result = await cli.exited
  expect(result.stderr).toContain(`note: ${path} does not exist yet; waiting for it to appear`)
  expect(findingsIn(result.stdout)).toEqual([expect.objectContaining({ rule: 's3-unexpected-eof', file: path })])
})
