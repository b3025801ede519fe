// Worker-thread entry (loaded by tinypool from dist/match-worker.js): compiles the rule set it was given once,
// then runs `matchBatch` on every batch it is sent.
import { compileRules, type RuleSet } from '@registry-logscan/rules-engine/match'
import { Tinypool } from 'tinypool'
import { matchBatch, type BatchResult, type BatchTask } from './match-batch.js'

/** What the pool passes as tinypool `workerData`. */
export interface MatchWorkerData {
  ruleSet: RuleSet
}

const { ruleSet } = Tinypool.workerData as MatchWorkerData
const rules = compileRules(ruleSet)

// Test hook for crash recovery: the thread dies of an uncaught exception (how a crash or an out-of-memory
// reaches the pool) on the first run of batch N. tinypool replaces the thread; the pool re-runs the batch.
const crashOnBatch = Number(process.env['REGISTRY_LOGSCAN_TEST_WORKER_CRASH_ON_BATCH'] ?? Number.NaN)

export default function run(task: BatchTask): BatchResult | Promise<never> {
  if (task.index === crashOnBatch && task.attempt === 0) {
    setImmediate(() => {
      throw new Error(`test crash on batch ${task.index}`)
    })
    return new Promise<never>(() => undefined)
  }
  const result = matchBatch(task, rules)
  // Every event of a batch comes from the task's file: the name crosses the thread once per batch, not once
  // per event (a copy per event on the main thread was a quarter of an access-log batch's clone).
  for (const { event } of result.matches) event.file = ''
  return result
}
