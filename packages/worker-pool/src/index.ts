// Public surface of @registry-logscan/worker-pool: re-exports only.
export { createMatchPool } from './create-match-pool.js'
export type { MatchPool, MatchPoolOptions, ScanMeta } from './create-match-pool.js'
export { SAMPLES_PER_BATCH, matchBatch } from './match-batch.js'
export type { BatchMatch, BatchResult, BatchTask } from './match-batch.js'
export { addLineCounts, emptyLineCounts } from './sum-line-counts.js'
export { createBatchSplitter } from './split-batches.js'
export type { Batch, BatchSplitter, BatchSplitterOptions } from './split-batches.js'
export { POOL_MIN_BYTES, chooseWorkerCount } from './choose-worker-count.js'
