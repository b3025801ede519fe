// Worker-thread entry (loaded by tinypool from dist/match-worker.js): compiles the rule set it was given once,
// then runs `matchBatch` on every batch it is sent.
import { compileRules, type RuleSet } from '@registry-logscan/rules-engine'
import { Tinypool } from 'tinypool'
import { matchBatch, type BatchResult, type BatchTask } from './match-batch.js'

/** What the pool passes as tinypool `workerData`. */
export interface MatchWorkerData {
  ruleSet: RuleSet
}

const { ruleSet } = Tinypool.workerData as MatchWorkerData
const rules = compileRules(ruleSet)

// Test hook for crash recovery: the worker exits (as a crash would) on the first run of batch N.
const exitOnBatch = Number(process.env['REGISTRY_LOGSCAN_TEST_WORKER_EXIT_ON_BATCH'] ?? Number.NaN)

export default function run(task: BatchTask): BatchResult {
  if (task.index === exitOnBatch && task.attempt === 0) process.exit(1)
  return matchBatch(task, rules)
}
