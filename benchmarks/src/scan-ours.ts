// Our scan as the facade runs it: the worker pool (0 = in-thread) over each file in turn, correlation on the
// calling thread. Returns rule id → occurrences (folded repeats included), the unit of the ground truth.
import { compileRules, createRuleEngine, type RuleSet } from '@registry-logscan/rules-engine'
import { addLineCounts, createMatchPool, emptyLineCounts } from '@registry-logscan/worker-pool'

export async function scanOurs(files: readonly string[], ruleSet: RuleSet, workers: number): Promise<{ lines: number; rules: Record<string, number> }> {
  const pool = createMatchPool({ workers, ruleSet })
  const engine = createRuleEngine(compileRules(ruleSet))
  const counts = emptyLineCounts()
  try {
    for (const file of files) {
      for await (const result of pool.scanFile(file)) {
        for (const { event, match, streamTime } of result.matches) engine.accept(event, match, streamTime)
        addLineCounts(counts, result.counts)
      }
    }
  } finally {
    await pool.close()
  }
  engine.end()
  const rules = Object.fromEntries(Object.entries(engine.stats().rules).map(([id, stats]) => [id, stats.count]))
  return { lines: counts.read, rules }
}

