// The bin is a sh script that is also a JS module: sh runs node with the heap flags, node reads the rest. This
// checks the sh half with a stand-in `node` that reports how it was called (the JS half runs in every CLI test).
import { chmod, writeFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { tempDir } from '../helpers/fixtures.js'
import { CLI_BIN, runCli } from '../helpers/run-cli.js'

let tmp: Awaited<ReturnType<typeof tempDir>>
beforeAll(async () => {
  tmp = await tempDir()
  await writeFile(tmp.path('node'), '#!/bin/sh\nfor arg in "$@"; do printf "%s\\n" "$arg"; done\n')
  await chmod(tmp.path('node'), 0o755)
})
afterAll(() => tmp.cleanup())

describe('bin', () => {
  test('runs node with the heap flags, the script itself and every argument intact', async () => {
    const result = await runCli(['--summary', 'a b.log', '$HOME', "it's"], { env: { PATH: `${tmp.dir}:${process.env['PATH'] ?? ''}` } })
    expect(result.stderr).toBe('')
    expect(result.stdout.trimEnd().split('\n')).toEqual(['--max-semi-space-size=2', '--max-old-space-size=1024', CLI_BIN, '--summary', 'a b.log', '$HOME', "it's"])
  })
})
