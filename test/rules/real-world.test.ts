// Real-world validation: log files collected from public issues and pages (or written in the exact layouts real
// installations produce) under test/fixtures/real-world/<rule-id>/, each folder with an expected.json mapping a
// file name to what the shipped catalogue must report on it. Each file is scanned alone through the library
// facade (detection, wrappers, gzip, parser, engine, correlation), as `registry-logscan <file>` would.
//
// expected.json values:
//   - a number n: the folder's rule fires n times and no other rule fires (0 = a file that must stay silent);
//   - an object { "<rule-id>": n, … }: exactly these counts, and every rule not named stays silent.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadRules, scan, type RuleSet } from 'registry-logscan'
import { beforeAll, describe, expect, test } from 'vitest'
import { RULES_DIR } from './catalogue-paths.js'

const REAL_WORLD_DIR = fileURLToPath(new URL('../fixtures/real-world/', import.meta.url))

type Expectation = number | Record<string, number>

interface Case {
  rule: string
  file: string
  path: string
  expected: Record<string, number>
}

const folders = readdirSync(REAL_WORLD_DIR)
  .filter((name) => statSync(join(REAL_WORLD_DIR, name)).isDirectory())
  .sort()

function readCases(): Case[] {
  const cases: Case[] = []
  for (const rule of folders) {
    const folder = join(REAL_WORLD_DIR, rule)
    // A folder without its table is reported by the structure test below, not by failing the whole file.
    if (!existsSync(join(folder, 'expected.json'))) continue
    const table = JSON.parse(readFileSync(join(folder, 'expected.json'), 'utf8')) as Record<string, Expectation>
    for (const [file, expectation] of Object.entries(table)) {
      const expected = typeof expectation === 'number' ? (expectation === 0 ? {} : { [rule]: expectation }) : expectation
      cases.push({ rule, file, path: join(folder, file), expected })
    }
  }
  return cases
}

const cases = readCases()
let ruleSet: RuleSet

beforeAll(async () => {
  ruleSet = await loadRules([RULES_DIR])
})

/** Findings per rule when `path` is scanned alone, with where each one points (for failure messages). */
async function findingsByRule(path: string): Promise<{ counts: Record<string, number>; where: string[] }> {
  const counts: Record<string, number> = {}
  const where: string[] = []
  for await (const finding of scan(path, { rules: ruleSet, workers: 0 })) {
    counts[finding.rule] = (counts[finding.rule] ?? 0) + 1
    where.push(`${finding.rule} @${finding.line}: ${finding.message}`)
  }
  return { counts, where }
}

describe('real-world logs', () => {
  test.each(folders)('%s has files, an expected.json naming exactly them, and a README', (rule) => {
    const folder = join(REAL_WORLD_DIR, rule)
    expect(existsSync(join(folder, 'expected.json')), `${rule}/expected.json`).toBe(true)
    const listed = new Set(cases.filter((c) => c.rule === rule).map((c) => c.file))
    const present = readdirSync(folder).filter((name) => name !== 'expected.json' && name !== 'README.md')
    expect([...listed].sort(), `${rule}/expected.json must list exactly the log files in its folder`).toEqual(present.sort())
    expect(existsSync(join(folder, 'README.md')), `${rule}/README.md`).toBe(true)
    expect(ruleSet.rules.some((r) => r.id === rule), `${rule} is a rule id`).toBe(true)
    // A folder that only proves silence would not show that the rule works on real logs.
    expect(cases.some((c) => c.rule === rule && (c.expected[rule] ?? 0) > 0), `${rule} fires on at least one file`).toBe(true)
  })

  test.each(cases.map((c) => [`${c.rule}/${c.file}`, c] as const))('%s', async (_name, c) => {
    const { counts, where } = await findingsByRule(c.path)
    expect(counts, where.join('\n')).toEqual(c.expected)
  })
})
