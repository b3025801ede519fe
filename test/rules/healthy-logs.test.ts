// The good-log baseline: logs of a working registry, NGINX and Rails (test/fixtures/healthy/, written by
// test/fixtures/make-healthy.mjs) must parse, and no rule may fire on them.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLogParser, isLogEvent, type LogEvent, type LineCounts } from '@registry-logscan/parser'
import { compileRules, createRuleEngine, loadRules } from '@registry-logscan/rules-engine'
import { describe, expect, test } from 'vitest'
import { RULES_DIR } from './catalogue-paths.js'

const HEALTHY_DIR = fileURLToPath(new URL('../fixtures/healthy/', import.meta.url))

const files = readdirSync(HEALTHY_DIR, { recursive: true, encoding: 'utf8' })
  .map((name) => join(HEALTHY_DIR, name))
  .filter((path) => statSync(path).isFile())
  .sort()

function parseFile(file: string): { events: LogEvent[]; counts: LineCounts } {
  const parser = createLogParser({ file })
  const outputs = [...parser.write(readFileSync(file)), ...parser.end()]
  return { events: outputs.filter(isLogEvent), counts: parser.counts }
}

const parsed = new Map(files.map((file) => [relative(HEALTHY_DIR, file), parseFile(file)]))

describe('healthy fixtures', () => {
  test('cover every source and thousands of lines', () => {
    const sources = new Set([...parsed.values()].flatMap(({ events }) => events.map((event) => event.source)))
    expect([...sources].sort()).toEqual(['docker', 'nginx-access', 'nginx-error', 'rails', 'registry'])
    const read = [...parsed.values()].reduce((sum, { counts }) => sum + counts.read, 0)
    expect(read).toBeGreaterThan(4000)
  })

  // A baseline nobody can parse proves nothing: (nearly) every non-blank line must become an event. Runner
  // job logs carry arbitrary script output (BuildKit progress), hence a margin rather than zero.
  test.each([...parsed.keys()])('%s parses', (name) => {
    const counts = parsed.get(name)?.counts
    const lines = (counts?.read ?? 0) - (counts?.unparsedByReason.empty ?? 0)
    expect(counts?.parsed ?? 0, JSON.stringify(counts?.unparsedByReason)).toBeGreaterThanOrEqual(Math.ceil(lines * 0.9))
    expect(counts?.parsed).toBeGreaterThan(0)
  })

  test('no rule fires', async () => {
    const ruleSet = await loadRules([RULES_DIR])
    const engine = createRuleEngine(compileRules(ruleSet))
    // Merge the files by time, as a scan of the whole directory would see them.
    const events = [...parsed.values()]
      .flatMap(({ events: list }) => {
        let time = Number.NEGATIVE_INFINITY
        return list.map((event, index) => ({ event, time: (time = event.time ?? time), index }))
      })
      .sort((a, b) => a.time - b.time || a.index - b.index)
      .map(({ event }) => event)
    const findings = [...events.flatMap((event) => engine.process(event)), ...engine.end()]
    expect(findings.map((finding) => `${finding.rule}: ${finding.file}:${finding.line} ${finding.message}`)).toEqual([])
  })
})
