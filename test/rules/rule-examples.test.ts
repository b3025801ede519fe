// Every example embedded in every rule, through the real loader, parser and engine: the number of findings
// (after folding) must equal the example's `findings:`. A new rule is covered without editing this file.
import { loadRules, runRuleExamples, type Rule, type RuleExampleResult } from '@registry-logscan/rules-engine'
import { describe, expect, test } from 'vitest'
import { RULES_DIR } from './catalogue-paths.js'

const ruleSet = await loadRules([RULES_DIR])

// On failure, show what fired, so a wrong count is diagnosable without rerunning by hand.
function describeResult(result: RuleExampleResult | undefined): string {
  if (result === undefined) return 'no result'
  const findings = result.findings.map((finding) => `${finding.file}:${finding.line} ${finding.message}`)
  return [`expected ${result.expected}, got ${result.actual}`, ...findings].join('\n  ')
}

describe.each(ruleSet.rules)('$id', (rule: Rule) => {
  test.each(rule.examples)('$name', async (example) => {
    const [result] = await runRuleExamples({ ...ruleSet, rules: [{ ...rule, examples: [example] }] })
    expect(result?.error).toBeUndefined()
    expect(result?.actual, describeResult(result)).toBe(example.findings)
  })
})
