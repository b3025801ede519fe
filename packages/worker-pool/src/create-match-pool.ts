// The worker pool: inputs are cut into batches of whole lines (split-batches.ts), each batch is parsed and
// matched by `matchBatch` in a worker thread (or on the main thread with 0 workers), and results come back in
// input order. At most `2 × workers` batches are in flight, so reading waits for matching and memory stays
// flat whatever the input size. Correlation stays with the caller: it needs one ordered stream.
import { Buffer } from 'node:buffer'
import { compileRules, type RuleSet } from '@registry-logscan/rules-engine'
import { detectSource, type SourceId } from '@registry-logscan/parser'
import { Tinypool } from 'tinypool'
import { matchBatch, type BatchResult, type BatchTask } from './match-batch.js'
import type { MatchWorkerData } from './match-worker.js'
import { createBatchBuffers } from './batch-buffers.js'
import { readFileChunks } from './read-file-chunks.js'
import { createBatchSplitter, type Batch } from './split-batches.js'
import { lastTailHeader } from './last-tail-header.js'

export interface MatchPoolOptions {
  /** Worker threads; 0 runs every batch on the calling thread (same batches, same output). */
  workers: number
  /** The loaded rules (`loadRules`); every worker compiles its own copy, so slot numbers agree with the caller's. */
  ruleSet: RuleSet
  /** Longest line parsed, in bytes (default 65536, the parser's). */
  maxLineLength?: number
  /** Force this source for every input (`--source`). */
  source?: SourceId
  /** Batch size target in bytes (default 1 MiB). Cost: one task message per batch. */
  batchBytes?: number
  /** Live inputs: a partial batch is sent after this long without input (default 15 ms). */
  idleFlushMs?: number
  /** Times a batch is re-run when its worker dies (default 2). */
  retries?: number
}

/** What the caller tells the pool about one input. */
export interface ScanMeta {
  /** The name events and findings carry (`-` for stdin). Also used to detect the source. */
  file: string
  /** Force the source of this input. */
  source?: SourceId
  /**
   * A live input (stdin pipe, `--follow`): batches are also cut when input pauses, so lines are not held back.
   * Cuts then depend on timing, so multi-line records may be split at a pause.
   */
  live?: boolean
}

export interface MatchPool {
  /** Scans one input; yields each batch's result in input order. Iterate to the end (or break to stop reading). */
  scanStream(input: AsyncIterable<Uint8Array>, meta: ScanMeta): AsyncIterable<BatchResult>
  /** `scanStream` over a file read from disk. */
  scanFile(path: string, meta?: Partial<ScanMeta>): AsyncIterable<BatchResult>
  readonly workers: number
  /** Stops the worker threads. */
  close(): Promise<void>
}

const DEFAULT_BATCH_BYTES = 1 << 20
const DEFAULT_MAX_LINE_LENGTH = 65536
const DETECTION_BYTES = 64 * 1024
/**
 * A worker's heap holds one batch's events at a time (matchBatch parses in 64 KiB slices), ~15 MB live. A 4 MB
 * young generation instead of V8's default 48 took ~50 MB of RSS off each worker and ran no slower (cache-
 * friendlier). Giving the old generation any explicit limit makes V8 size it to the live heap instead of
 * letting it grow to ~50 MB between collections: another ~35 MB per worker. 256 MB is far above what a batch
 * can hold (a 4 MiB batch whose every line matched), so the limit itself is never the one that bites.
 * Measured on the 200 MB benchmark corpus, 2 workers (benchmarks/README.md).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 256 }
// Workers always run the built file: when this module is loaded from source (vitest), `src/` has no `.js`.
const WORKER_URL = new URL(import.meta.url.includes('/src/') ? '../dist/match-worker.js' : './match-worker.js', import.meta.url).href

/** Creates a pool; with `workers > 0` the threads start at once and load `dist/match-worker.js`. */
export function createMatchPool(options: MatchPoolOptions): MatchPool {
  const workers = Math.max(0, Math.floor(options.workers))
  const batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES
  const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH
  const retries = options.retries ?? 2
  const idleFlushMs = options.idleFlushMs ?? 15
  const inThread = workers === 0 ? compileRules(options.ruleSet) : undefined
  const workerData: MatchWorkerData = { ruleSet: options.ruleSet }
  const pool =
    workers === 0
      ? undefined
      : new Tinypool({ filename: WORKER_URL, minThreads: workers, maxThreads: workers, workerData, idleTimeout: 60_000, resourceLimits: WORKER_LIMITS })

  const limit = Math.max(1, workers * 2)
  // The in-flight window, the batch being cut, and the batches one chunk can complete at once.
  const buffers = createBatchBuffers(limit + 2)

  async function run(task: BatchTask): Promise<BatchResult> {
    try {
      if (inThread !== undefined || pool === undefined) return matchBatch(task, inThread ?? compileRules(options.ruleSet))
      for (let attempt = 0; ; attempt++) {
        // The bytes are shared memory, not transferred: they are still here if the worker dies and the batch is re-run.
        try {
          const result = (await pool.run({ ...task, attempt })) as BatchResult
          // The worker leaves the file name out of each event (match-worker.ts).
          for (const { event } of result.matches) event.file = task.file
          return result
        } catch (error) {
          if (attempt >= retries) throw error
        }
      }
    } finally {
      buffers.release(task.bytes)
    }
  }

  async function* scanStream(input: AsyncIterable<Uint8Array>, meta: ScanMeta): AsyncGenerator<BatchResult> {
    const splitter = createBatchSplitter({ targetBytes: batchBytes, maxBytes: batchBytes * 4, lineCapBytes: maxLineLength + 1, allocate: buffers.acquire })
    const source = meta.source ?? options.source
    let fileSource: SourceId | undefined
    let lastTime: number | undefined
    /** For a `tail` of several files: the file the last `==> <path> <==` header seen so far named. */
    let tailPath: string | undefined
    const inFlight: Promise<BatchResult>[] = []

    const dispatch = (batch: Batch): void => {
      if (batch.index === 0 && source === undefined) fileSource = detectFileSource(meta.file, batch.bytes)
      const task: BatchTask = { index: batch.index, attempt: 0, file: meta.file, firstLine: batch.firstLine, bytes: batch.bytes, maxLineLength }
      if (source !== undefined) task.source = source
      if (fileSource !== undefined) task.fileSource = fileSource
      // Every batch is searched (one backwards search of its bytes): the first header may come late, after
      // `gitlab-ctl reconfigure` output in `docker logs gitlab`.
      if (tailPath !== undefined) task.tailPath = tailPath
      tailPath = lastTailHeader(batch.bytes) ?? tailPath
      const result = run(task)
      // Rejections are observed when the result is awaited in order; this only stops an unhandled warning.
      result.catch(() => undefined)
      inFlight.push(result)
    }

    /** Results in order, filling inherited times across batch boundaries. */
    const settle = async (): Promise<BatchResult> => {
      const result = await (inFlight.shift() as Promise<BatchResult>)
      for (const match of result.matches) {
        if (match.event.time !== undefined || match.streamTime !== undefined) break
        if (lastTime !== undefined) match.streamTime = lastTime
      }
      if (result.lastTime !== undefined) lastTime = result.lastTime
      return result
    }

    for await (const chunk of meta.live === true ? withIdleMarks(input, idleFlushMs) : input) {
      const batches = chunk === IDLE ? splitter.flush() : splitter.push(chunk)
      for (const batch of batches) {
        dispatch(batch)
        while (inFlight.length >= limit) yield await settle()
      }
      // A live input yields what is ready without waiting for the window to fill.
      if (chunk === IDLE) while (inFlight.length > 0) yield await settle()
    }
    for (const batch of splitter.end()) dispatch(batch)
    while (inFlight.length > 0) yield await settle()
  }

  return {
    workers,
    scanStream,
    scanFile(path, meta = {}) {
      return scanStream(readFileChunks(path), { ...meta, file: meta.file ?? path })
    },
    async close() {
      await pool?.destroy()
    },
  }
}

/** The input's source from its name, else from the first lines of its first batch. */
function detectFileSource(file: string, bytes: Uint8Array): SourceId | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, DETECTION_BYTES)).toString('utf8')
  const sample = head.split('\n').slice(0, 200)
  return detectSource(file === '-' ? { sample } : { path: file, sample })
}

const IDLE = Symbol('idle')

/** Passes chunks through and inserts `IDLE` whenever the input has been quiet for `ms`. */
async function* withIdleMarks(input: AsyncIterable<Uint8Array>, ms: number): AsyncGenerator<Uint8Array | typeof IDLE> {
  const iterator = input[Symbol.asyncIterator]()
  let next = iterator.next()
  for (;;) {
    let timer: NodeJS.Timeout | undefined
    const idle = new Promise<typeof IDLE>((resolve) => (timer = setTimeout(resolve, ms, IDLE)))
    const winner = await Promise.race([next, idle])
    clearTimeout(timer)
    if (winner === IDLE) {
      yield IDLE
      // Wait for input without further marks: one flush per pause is enough.
      const result = await next
      if (result.done === true) return
      next = iterator.next()
      yield result.value
      continue
    }
    if (winner.done === true) return
    next = iterator.next()
    yield winner.value
  }
}
