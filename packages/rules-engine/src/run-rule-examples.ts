// `registry-logscan rules test`: every example embedded in every rule runs through the real parser and a
// fresh engine holding only that rule; the number of findings (after folding) must equal `findings:`.
// Example files are untrusted paths: they must stay inside the rule file's directory.
import { readFile } from 'node:fs/promises'
import { dirname, isAbsolute, relative, resolve } from 'node:path'
import { createLogParser, isLogEvent, type LogEvent, type SourceId } from '@registry-logscan/parser'
import { compileRules } from './compile-rules.js'
import type { Finding } from './finding.js'
import type { RuleSet } from './load-rules.js'
import { createRuleEngine } from './rule-engine.js'
import type { Rule, RuleExample } from './rule-schema.js'

/** One example's input: inline lines, or files (already resolved to absolute paths inside the rule's directory). */
export type ExampleInput = { lines: readonly string[] } | { files: readonly string[] }

/** Turns an example's input into events; the default runs the real parser (`createLogParser`). */
export type ExampleParser = (input: ExampleInput, source: SourceId | undefined, name: string) => Promise<LogEvent[]> | LogEvent[]

export interface RunRuleExamplesOptions {
  parse?: ExampleParser
}

export interface RuleExampleResult {
  rule: string
  file: string
  example: string
  expected: number
  actual: number
  passed: boolean
  findings: Finding[]
  /** Why the example could not run (unreadable or out-of-directory file); then `passed` is false. */
  error?: string
}

/** Runs every example of every rule in `ruleSet`, in rule order. Never throws for a failing example. */
export async function runRuleExamples(ruleSet: RuleSet, options: RunRuleExamplesOptions = {}): Promise<RuleExampleResult[]> {
  const parse = options.parse ?? parseExample
  const results: RuleExampleResult[] = []
  for (const rule of ruleSet.rules) {
    const compiled = compileRules({ ...ruleSet, rules: [rule] })
    for (const example of rule.examples) {
      const base = { rule: rule.id, file: rule.file, example: example.name, expected: example.findings }
      let events: LogEvent[]
      try {
        events = await parse(exampleInput(rule, example), example.source, `${rule.file}#${example.name}`)
      } catch (error) {
        results.push({ ...base, actual: 0, passed: false, findings: [], error: (error as Error).message })
        continue
      }
      const engine = createRuleEngine(compiled)
      const findings = events.flatMap((event) => engine.process(event))
      findings.push(...engine.end())
      results.push({ ...base, actual: findings.length, passed: findings.length === example.findings, findings })
    }
  }
  return results
}

function exampleInput(rule: Rule, example: RuleExample): ExampleInput {
  if (example.files === undefined) return { lines: example.lines ?? [] }
  const dir = dirname(rule.file)
  return {
    files: example.files.map((file) => {
      const path = resolve(dir, file)
      const inside = relative(dir, path)
      if (isAbsolute(file) || inside.startsWith('..') || isAbsolute(inside)) {
        throw new Error(`example file "${file}" is outside the rule's directory`)
      }
      return path
    }),
  }
}

/** The default parser: inline lines as one stream; files each parsed, then merged by time (stable). */
async function parseExample(input: ExampleInput, source: SourceId | undefined, name: string): Promise<LogEvent[]> {
  if ('lines' in input) {
    const parser = createLogParser({ file: name, source })
    const outputs = input.lines.flatMap((line) => parser.writeLine(line))
    return [...outputs, ...parser.end()].filter(isLogEvent)
  }
  const streams: LogEvent[][] = []
  for (const file of input.files) {
    const parser = createLogParser({ file, source })
    const outputs = parser.write(await readFile(file))
    streams.push([...outputs, ...parser.end()].filter(isLogEvent))
  }
  return mergeByTime(streams)
}

/** Events of several files in time order; an event without a time sorts with the previous event of its file. */
function mergeByTime(streams: readonly LogEvent[][]): LogEvent[] {
  const keyed = streams.flatMap((events, stream) => {
    let time = Number.NEGATIVE_INFINITY
    return events.map((event, index) => {
      time = event.time ?? time
      return { event, time, stream, index }
    })
  })
  keyed.sort((a, b) => a.time - b.time || a.stream - b.stream || a.index - b.index)
  return keyed.map(({ event }) => event)
}
