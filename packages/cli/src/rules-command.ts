// `rules list | show ID | test [DIR…]`: what would run, one rule in full, and the examples embedded in rule
// files run through the real parser and engine (pass/fail per rule).
import { resolve, sep } from 'node:path'
import pc from 'picocolors'
import { defaultRules, loadRules, runRuleExamples, type RuleSet } from 'registry-logscan'
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from './exit-codes.js'
import type { Command, ScanFlags } from './parse-args.js'
import { sanitizeLine, sanitizeTerminal } from './sanitize-terminal.js'

type RulesCommand = Extract<Command, { kind: 'rules-list' | 'rules-show' | 'rules-test' }>
type Rule = RuleSet['rules'][number]

function listRules(ruleSet: RuleSet): string {
  const rows = [...ruleSet.rules].sort((a, b) => (a.id < b.id ? -1 : 1)).map((rule) => [rule.id, rule.severity, rule.sources.join(','), rule.title])
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)))
  return rows.map((row) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ')).join('\n') + '\n'
}

function showRule(rule: Rule, colors: ReturnType<typeof pc.createColors>): string {
  const section = (label: string, text: string | undefined): string[] => (text === undefined ? [] : ['', colors.bold(label), sanitizeTerminal(text.trim())])
  return [
    `${colors.bold(rule.id)}  ${rule.severity}  ${rule.status}  sources: ${rule.sources.join(', ')}`,
    sanitizeLine(rule.title),
    ...section('What it means', rule.description),
    ...section('Fix', rule.remediation),
    ...section('Config', rule.configFix),
    ...section('Verify', rule.verify?.map((command) => `$ ${command}`).join('\n')),
    ...section('False positives', rule.falsepositives.map((text) => `- ${text}`).join('\n')),
    ...section('Docs', rule.docs),
    ...section('File', rule.file),
  ].join('\n') + '\n'
}

function selection(flags: ScanFlags): { only?: string[]; disable?: string[] } {
  return { ...(flags.only.length > 0 && { only: flags.only }), ...(flags.disable.length > 0 && { disable: flags.disable }) }
}

export async function runRulesCommand(command: RulesCommand, write: (text: string) => void): Promise<number> {
  const { flags } = command
  const colors = pc.createColors(flags.color && process.stdout.isTTY === true)
  // A rule file error propagates to main.ts, which reports it for every command.
  if (command.kind === 'rules-test') {
    // A directory's rules are loaded over the shipped ones, whose macros and lists they may use (a copy of a
    // shipped rule does); only the directory's own rules are tested.
    const loaded = await loadRules([defaultRules(), ...flags.rules, ...command.dirs], selection(flags))
    const named = command.dirs.map((dir) => resolve(dir))
    const isNamed = (file: string): boolean => named.some((path) => file === path || file.startsWith(`${path}${sep}`))
    const tested = named.length === 0 ? loaded : { ...loaded, rules: loaded.rules.filter((rule) => isNamed(resolve(rule.file))) }
    if (tested.rules.length === 0) {
      process.stderr.write(`registry-logscan: rules test: no rule to test in ${command.dirs.map(sanitizeLine).join(', ')}\n`)
      return EXIT_ERROR
    }
    const results = await runRuleExamples(tested)
    let failed = 0
    for (const result of results) {
      if (!result.passed) failed++
      const why = result.error ?? `expected ${result.expected} finding(s), got ${result.actual}`
      write(`${result.passed ? colors.green('pass') : colors.red('FAIL')}  ${result.rule}  ${sanitizeLine(result.example)}${result.passed ? '' : `: ${sanitizeLine(why)}`}\n`)
    }
    write(`${results.length - failed} passed, ${failed} failed\n`)
    return failed > 0 ? EXIT_FINDINGS : EXIT_OK
  }
  const ruleSet = await loadRules([defaultRules(), ...flags.rules], selection(flags))
  if (command.kind === 'rules-list') {
    write(listRules(ruleSet))
    return EXIT_OK
  }
  const rule = ruleSet.rules.find((candidate) => candidate.id === command.id)
  if (rule === undefined) {
    process.stderr.write(`registry-logscan: no rule with id "${sanitizeLine(command.id)}" (see: registry-logscan rules list)\n`)
    return EXIT_ERROR
  }
  write(showRule(rule, colors))
  return EXIT_OK
}
