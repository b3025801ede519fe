// Catalogue lint: the rule files against the id contract (shared/spec/rule-ids.md, ids are public API),
// the parser's sources, the docs they cite, the example files they point to and the generated README.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import { SOURCE_IDS } from '@registry-logscan/parser'
import { loadRules } from '@registry-logscan/rules-engine'
import { describe, expect, test } from 'vitest'
import { COMMITTED_IDS, RULES_DIR, RULES_README, parseCommittedIds, parseSpecRuleIds, readSpecRuleIds } from './catalogue-paths.js'

const { rules } = await loadRules([RULES_DIR])
const committedIds = parseCommittedIds(readFileSync(COMMITTED_IDS, 'utf8'))
const ruleFiles = readdirSync(RULES_DIR).filter((name) => name.endsWith('.yaml'))
const DOCS_PAGES = [
  'https://docs.gitlab.com/administration/packages/container_registry_troubleshooting/',
  'https://docs.gitlab.com/user/packages/container_registry/troubleshoot_container_registry/',
  'https://docs.gitlab.com/administration/packages/container_registry/',
]

describe('rule ids', () => {
  test('each file is named for its id', () => {
    for (const rule of rules) expect(basename(rule.file)).toBe(`${rule.id}.yaml`)
    expect(rules).toHaveLength(ruleFiles.length)
  })

  test('ids are unique', () => {
    const ids = rules.map((rule) => rule.id)
    expect(new Set(ids).size).toBe(ids.length)
  })

  test('the ids are exactly the committed list rules/ids.txt', () => {
    expect(rules.map((rule) => rule.id).sort()).toEqual([...committedIds].sort())
  })

  test('the committed list is the spec list (when ../shared is checked out)', () => {
    const specIds = readSpecRuleIds()
    if (specIds === undefined) return
    expect([...committedIds].sort()).toEqual([...specIds].sort())
  })

  test('the spec table parser reads ids and skips the header', () => {
    const table = '| id | doc section |\n|---|---|\n| s3-head-403 | T: x |\n| clock-skew | T: y |\ntext | not-a-row |'
    expect(parseSpecRuleIds(table)).toEqual(['s3-head-403', 'clock-skew'])
  })
})

describe.each(rules)('$id', (rule) => {
  test('reads only sources the parser has', () => {
    for (const source of rule.sources) expect(SOURCE_IDS).toContain(source)
  })

  test('cites a section of the GitLab registry docs', () => {
    expect(DOCS_PAGES.some((page) => rule.docs.startsWith(page)), rule.docs).toBe(true)
  })

  test('has a fix, false positives and both kinds of example', () => {
    expect(rule.remediation.length).toBeGreaterThan(200)
    expect(rule.falsepositives.length).toBeGreaterThan(0)
    expect(rule.examples.some((example) => example.findings > 0)).toBe(true)
    expect(rule.examples.some((example) => example.findings === 0)).toBe(true)
  })

  test('every example file exists', () => {
    for (const example of rule.examples) {
      for (const file of example.files ?? []) expect(existsSync(resolve(dirname(rule.file), file)), file).toBe(true)
    }
  })

  test('is listed in rules/README.md', () => {
    expect(readFileSync(RULES_README, 'utf8')).toContain(`[\`${rule.id}\`](${rule.id}.yaml)`)
  })
})
