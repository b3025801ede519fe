// The README is the user's front door: its exit-code table and error-code list must match the code
// (fastify's errors-vs-docs test). Codes come from the rule engine's errors.ts and the CLI's own.
import { readFile } from 'node:fs/promises'
import { expect, test } from 'vitest'

const read = (path: string): Promise<string> => readFile(new URL(`../../${path}`, import.meta.url), 'utf8')

test('every rule-file error code and the CLI usage code are documented in README.md', async () => {
  const readme = await read('README.md')
  const errors = await read('packages/rules-engine/src/errors.ts')
  const codes = new Set([...errors.matchAll(/'(RLS_[A-Z_]+)'/g)].map((match) => match[1]))
  const parseArgs = await read('packages/cli/src/parse-args.ts')
  for (const match of parseArgs.matchAll(/code = '(RLS_[A-Z_]+)'/g)) codes.add(match[1])
  expect(codes.size).toBeGreaterThan(5)
  for (const code of codes) expect(readme, `${code} is not documented in README.md`).toContain(`\`${code}\``)
})

test('the failed-input codes the facade produces are documented', async () => {
  const readme = await read('README.md')
  const sources = (await Promise.all(['open-inputs.ts', 'describe-error.ts'].map((file) => read(`packages/registry-logscan/src/${file}`)))).join('\n')
  const codes = new Set([...sources.matchAll(/code: '([A-Z_]+)'|: '(EIO)'/g)].map((match) => match[1] ?? match[2]))
  expect(codes).toContain('NO_FILES')
  for (const code of codes) expect(readme).toContain(`\`${code}\``)
})

test('the exit-code table lists 0, 1 and 2', async () => {
  const readme = await read('README.md')
  const table = readme.slice(readme.indexOf('## Exit codes'))
  for (const code of ['| 0 |', '| 1 |', '| 2 |']) expect(table).toContain(code)
})
