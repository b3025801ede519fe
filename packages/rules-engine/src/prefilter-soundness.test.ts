// The prefilter may only skip records no rule matches. Checked on every log this repository holds (parser
// fixtures and examples, rule examples, healthy logs, real-world captures, samples) against the whole rule
// catalogue, by brute force: each event parsed without the prefilter is evaluated against every condition
// of every rule, and a record whose event satisfies one must pass the prefilter on its text.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLogParser, isLogEvent, sources, type LogEvent, type SourceId } from '@registry-logscan/parser'
import { describe, expect, test } from 'vitest'
import { compileCondition, type ConditionNames } from './compile-condition.js'
import { compileRules } from './compile-rules.js'
import { loadRules } from './load-rules.js'
import { correlationConditions } from './required-literals.js'
import { correlationsOf } from './correlations-of.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const LOG_DIRS = ['packages/parser/src/sources/fixtures', 'rules/examples', 'test/fixtures/healthy', 'test/fixtures/real-world', 'samples']
const NOT_LOGS = /\.(?:md|json|jsonl|ya?ml|mjs|ts)$/

function filesUnder(dir: string): string[] {
  const absolute = join(root, dir)
  try {
    statSync(absolute)
  } catch {
    return []
  }
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .map((name) => join(absolute, name))
    .filter((path) => statSync(path).isFile() && !NOT_LOGS.test(path))
    .sort()
}

interface Input {
  name: string
  file: string
  text: string
  source?: SourceId | undefined
}

const ruleSet = await loadRules([join(root, 'rules')])
const names: ConditionNames = { macros: ruleSet.macros ?? {}, lists: ruleSet.lists ?? {} }
const compiled = compileRules(ruleSet)

const inputs: Input[] = [
  ...LOG_DIRS.flatMap(filesUnder).map((path) => ({ name: relative(root, path), file: path, text: readFileSync(path, 'utf8') })),
  ...ruleSet.rules.flatMap((rule) =>
    rule.examples.flatMap((example) =>
      example.lines === undefined ? [] : [{ name: `${rule.id}: ${example.name}`, file: '-', text: `${example.lines.join('\n')}\n`, source: example.source }],
    ),
  ),
  ...sources.flatMap((source) =>
    source.examples.map((example) => ({ name: `${source.id}: ${example.title}`, file: '-', text: `${example.lines.join('\n')}\n` })),
  ),
]

/** Per rule: its `match` and its correlation conditions, compiled on their own (no literal index involved). */
const bruteForce = ruleSet.rules.map((rule) => ({
  sources: new Set<string>(rule.sources),
  match: rule.match === undefined ? undefined : compileCondition(rule.match, names),
  conditions: correlationsOf(rule)
    .flatMap(({ correlation }) => correlationConditions(correlation))
    .map((condition) => (condition === undefined ? undefined : compileCondition(condition, names))),
}))

/** The slots an event satisfies, as `matchEvent` numbers them, by evaluating every rule. */
function expectedHits(event: LogEvent): number[] {
  const hits: number[] = []
  let slot = 0
  for (const rule of bruteForce) {
    const width = Math.max(1, rule.conditions.length)
    if (rule.sources.has(event.source) && (rule.match === undefined || rule.match(event))) {
      if (rule.conditions.length === 0) hits.push(slot)
      rule.conditions.forEach((condition, offset) => {
        if (condition === undefined || condition(event)) hits.push(slot + offset)
      })
    }
    slot += width
  }
  return hits
}

function eventsOf(input: Input): LogEvent[] {
  const parser = createLogParser({ file: input.file, source: input.source })
  const outputs = [...parser.write(Buffer.from(input.text)), ...parser.end()]
  return outputs.filter(isLogEvent)
}

const stateless = new Set<string>(sources.filter((source) => source.createState === undefined).map((source) => source.id))

describe('prefilter soundness over every log in the repository', () => {
  test('the corpus is not empty', () => {
    expect(inputs.length).toBeGreaterThan(50)
  })

  test.each(inputs.map((input) => [input.name, input] as const))('%s', (_name, input) => {
    for (const event of eventsOf(input)) {
      const hits = expectedHits(event)
      expect({ line: event.line, hits: compiled.matchEvent(event)?.hits ?? [] }).toEqual({ line: event.line, hits })
      if (hits.length === 0 || !stateless.has(event.source)) continue
      expect({ line: event.line, raw: event.raw, passes: compiled.prefilter(event.raw) }).toEqual({ line: event.line, raw: event.raw, passes: true })
      expect(compiled.prefilter(event.raw, event.source)).toBe(true)
    }
  })
})
