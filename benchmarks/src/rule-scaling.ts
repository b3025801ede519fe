// How the cost per line grows with the number of rules (10, 25, 100, 500 generated rules). The literal
// index picks the few rules a line might satisfy, so the cost should grow far slower than the rule count.
//   pnpm exec tsc -b benchmarks && node benchmarks/dist/rule-scaling.js
import type { RegistryEvent } from '@registry-logscan/parser'
import { compileRules, createRuleEngine, ruleSchema, type Rule, type RuleSet } from '@registry-logscan/rules-engine'

const RULE_COUNTS = [10, 25, 100, 500]
const LINES = 50_000
const ROUNDS = 5

/** Rule `i` looks for its own phrase, in one of the shapes the catalogue uses. */
function generatedRule(index: number): Rule {
  const phrase = `failure-${index.toString(36)} detected`
  const shapes = [
    { field: 'message', contains: phrase },
    { all: [{ field: 'level', equals: 'error' }, { field: 'errorDetail', equals: phrase }] },
    { field: 'message', regex: `${phrase} after \\d+ attempts`, ignoreCase: true },
    { any: [{ field: 'error', contains: phrase }, { field: 'message', startsWith: phrase }] },
  ]
  const definition = ruleSchema.parse({
    id: `generated-${index}`, title: `generated ${index}`, status: 'experimental', severity: 'warning', sources: ['registry'],
    description: 'generated', docs: 'https://docs.gitlab.com/', message: '{message}', remediation: 'none', falsepositives: ['none'],
    match: shapes[index % shapes.length],
    examples: [{ name: 'fires', lines: ['x'], findings: 1 }, { name: 'quiet', lines: ['y'], findings: 0 }],
  })
  return { ...definition, file: `generated/${definition.id}.yaml` }
}

/** Mostly healthy registry traffic; one line in 200 carries a phrase some rule looks for. */
function corpus(ruleCount: number): RegistryEvent[] {
  return Array.from({ length: LINES }, (_, index) => {
    const hit = index % 200 === 0
    const message = hit ? `failure-${(index % ruleCount).toString(36)} detected after 3 attempts` : 'response completed'
    const raw = `time="2024-05-02T10:11:12.${String(index % 1000).padStart(3, '0')}Z" level=info msg="${message}" go.version=go1.22 http.request.method=GET http.request.uri="/v2/group/app-${index % 97}/manifests/latest" http.response.status=200 http.response.duration=12.3ms`
    return {
      source: 'registry', message, raw, file: 'registry.log', line: index + 1, lineCount: 1, format: 'logrus-text', access: false, fields: {},
      level: hit ? 'error' : 'info', time: Date.UTC(2024, 4, 2, 10) + index * 10, uri: `/v2/group/app-${index % 97}/manifests/latest`, status: 200,
      ...(hit && { errorDetail: message, error: message }),
    }
  })
}

function measure(ruleCount: number): { nsPerLine: number; findings: number } {
  const rules: RuleSet = { rules: Array.from({ length: ruleCount }, (_, index) => generatedRule(index)), dirs: [] }
  const compiled = compileRules(rules)
  const events = corpus(ruleCount)
  let best = Number.POSITIVE_INFINITY
  let findings = 0
  for (let round = 0; round < ROUNDS; round++) {
    const engine = createRuleEngine(compiled)
    findings = 0
    const started = process.hrtime.bigint()
    for (const event of events) {
      if (!compiled.prefilter(event.raw, event.source)) continue
      const match = compiled.matchEvent(event)
      if (match !== undefined) findings += engine.accept(event, match).length
    }
    findings += engine.end().length
    best = Math.min(best, Number(process.hrtime.bigint() - started) / LINES)
  }
  return { nsPerLine: best, findings }
}

const rows = RULE_COUNTS.map((count) => ({ rules: count, ...measure(count) }))
const base = rows[0]?.nsPerLine ?? 1
console.log('rules  ns/line  ×cost  ×rules  findings')
for (const row of rows) {
  console.log(
    `${String(row.rules).padStart(5)}  ${row.nsPerLine.toFixed(0).padStart(7)}  ${(row.nsPerLine / base).toFixed(2).padStart(5)}  ${(row.rules / (rows[0]?.rules ?? 1)).toFixed(1).padStart(6)}  ${row.findings}`,
  )
}
