// scan(): the whole pipeline over files, globs, directories, stdin or a caller's stream.
//
//   paths / globs / dirs / `-` / Readable / AsyncIterable
//        │ openInputs: expand, order rotations oldest first, note what cannot be opened, leave out the
//        │             logs of GitLab services no rule reads (inside directories and globs)
//        ▼
//   bytes (gunzipped by magic) or lines          ← readInput; followFile for --follow
//        │ createLogParser per input: split lines, cap length, detect source, parse
//        ▼
//   ParseOutput: LogEvent | UnparsedLine | OversizedLine ──► summary line accounting, onEvent
//        │ rule engine: match conditions, correlate (sequence / threshold), fold repeats
//        ▼
//   Finding ──► the caller's for-await loop (and the summary's per-rule counts)
//
// Files are read one after another so correlation sees time move forward; live inputs (stdin, streams,
// followed files) are read side by side and flushed when they go quiet (see merge-live-inputs.ts).
import type { Finding, RuleSet } from '@registry-logscan/rules-engine'
import type { MatchPool } from '@registry-logscan/worker-pool'
import { errorCode, errorMessage } from './describe-error.js'
import { mergeLiveInputs, type LiveItem } from './merge-live-inputs.js'
import { openInputs, type InputSpec, type ScanInput } from './open-inputs.js'
import { isLiveFile } from './order-rotations.js'
import { readInput, type InputReader } from './read-input.js'
import { readWithPool } from './read-with-pool.js'
import { resolveRules, type ScanOptions } from './scan-options.js'
import { createScanPipeline, type OpenInput, type ScanPipeline } from './scan-pipeline.js'
import type { ScanSummary } from './scan-summary.js'

/** How far a scan has read; for progress bars. */
export interface ScanProgress {
  /** Bytes read so far (compressed bytes for gzip inputs). */
  bytesRead: number
  /** Total size of the file inputs (0 when only streams are read). */
  bytesTotal: number
}

/**
 * A running scan: iterate it for findings as they are found; `summary` settles when the iteration ends.
 * The scan runs as it is iterated (one iteration per result). If rules fail to load, the iteration throws
 * the `RuleFileError` and `summary` rejects with it.
 */
export interface ScanResult extends AsyncIterable<Finding> {
  readonly summary: Promise<ScanSummary>
  progress(): ScanProgress
}

const LIVE_TIMING = { idleMs: 20, tickMs: 1000 }

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError'
}

/** Reads one input to its end (or the abort), feeding the pipeline. */
async function* readToEnd(reader: InputReader, pipeline: ScanPipeline, signal: AbortSignal): AsyncGenerator<Finding> {
  let open: OpenInput = pipeline.open(reader.name)
  try {
    for await (const chunk of reader.chunks) {
      if ('rotated' in chunk) {
        yield* pipeline.close(open)
        open = pipeline.open(reader.name)
      } else yield* pipeline.write(open, chunk)
      if (signal.aborted) break
    }
    pipeline.collector.addInput(reader.name)
  } catch (error) {
    if (!isAbort(error)) pipeline.collector.addFailure({ input: reader.name, code: errorCode(error), message: `${reader.name}: ${errorMessage(error)}` })
    else pipeline.collector.addInput(reader.name)
  }
  yield* pipeline.close(open)
}

/** Reads live inputs side by side, flushing on quiet, until all end or the abort. */
async function* readLive(readers: readonly InputReader[], pipeline: ScanPipeline, signal: AbortSignal): AsyncGenerator<Finding> {
  const open = new Map<InputReader, OpenInput>(readers.map((reader) => [reader, pipeline.open(reader.name)]))
  const handle = (item: LiveItem): Finding[] => {
    if (item.kind === 'idle') return pipeline.idle()
    const current = open.get(item.reader)
    if (current === undefined) return []
    if (item.kind === 'chunk') {
      if (!('rotated' in item.chunk)) return pipeline.write(current, item.chunk)
      const findings = pipeline.close(current)
      open.set(item.reader, pipeline.open(item.reader.name))
      return findings
    }
    if (item.kind === 'done') pipeline.collector.addInput(item.reader.name)
    else pipeline.collector.addFailure({ input: item.reader.name, code: errorCode(item.error), message: `${item.reader.name}: ${errorMessage(item.error)}` })
    open.delete(item.reader)
    return pipeline.close(current)
  }
  for await (const item of mergeLiveInputs(readers, LIVE_TIMING, signal)) yield* handle(item)
  // Stopped by the abort: what was read so far still counts as read.
  for (const [reader, current] of open) {
    pipeline.collector.addInput(reader.name)
    yield* pipeline.close(current)
  }
}

/** A worker pool for large file scans, or undefined when matching stays on this thread (see `ScanOptions.workers`). */
async function createPool(ruleSet: RuleSet | undefined, bytesTotal: number, options: ScanOptions): Promise<MatchPool | undefined> {
  if (ruleSet === undefined || options.onEvent !== undefined) return undefined
  // Imported only when needed: tinypool and the worker entry cost start-up time small scans should not pay.
  const { chooseWorkerCount, createMatchPool } = await import('@registry-logscan/worker-pool')
  const workers = chooseWorkerCount(bytesTotal, options.workers)
  if (workers === 0) return undefined
  options.logger?.debug({ workers, bytesTotal }, 'matching on worker threads')
  return createMatchPool({
    workers,
    ruleSet,
    ...(options.maxLineLength !== undefined && { maxLineLength: options.maxLineLength }),
    ...(options.source !== undefined && { source: options.source }),
  })
}

function isLiveInput(spec: InputSpec, follow: boolean): boolean {
  return spec.kind !== 'file' || (follow && isLiveFile(spec.path) && !spec.path.endsWith('.gz'))
}

/**
 * Scans `input` with the rules in `options` (default: the shipped catalogue) and yields findings as they are
 * found. Files are read in written order (rotations oldest first); gzip is detected by content.
 *
 * @example
 * ```ts
 * const result = scan('/var/log/gitlab/registry/', { only: ['s3-unexpected-eof'] })
 * for await (const finding of result) console.log(finding.title, finding.file, finding.line)
 * console.log((await result.summary).lines)
 * ```
 */
export function scan(input: ScanInput, options: ScanOptions = {}): ScanResult {
  let settle: { resolve(summary: ScanSummary): void; reject(error: unknown): void } | undefined
  const summary = new Promise<ScanSummary>((resolve, reject) => (settle = { resolve, reject }))
  // The iteration reports the same error; without this a caller who only iterates gets an unhandled rejection.
  summary.catch(() => undefined)
  const readers: InputReader[] = []
  let bytesTotal = 0
  let started = false

  async function* run(): AsyncGenerator<Finding> {
    const controller = new AbortController()
    const signal = options.signal === undefined ? controller.signal : AbortSignal.any([options.signal, controller.signal])
    let pipeline: ScanPipeline
    let ruleSet: RuleSet | undefined
    try {
      ruleSet = await resolveRules(options)
      pipeline = createScanPipeline(ruleSet, options)
    } catch (error) {
      settle?.reject(error)
      throw error
    }
    let pool: MatchPool | undefined
    try {
      const { inputs, failed, skipped } = await openInputs(input, { follow: options.follow === true })
      for (const failure of failed) pipeline.collector.addFailure(failure)
      for (const each of skipped) pipeline.collector.addSkipped(each)
      const follow = options.follow === true
      for (const spec of inputs) if (spec.kind === 'file' && !isLiveInput(spec, follow)) bytesTotal += spec.size
      pool = await createPool(ruleSet, bytesTotal, options)
      const live: InputReader[] = []
      for (const spec of inputs) {
        if (signal.aborted) break
        const reader = readInput(spec, { follow, signal })
        readers.push(reader)
        if (isLiveInput(spec, follow)) live.push(reader)
        else if (pool !== undefined) yield* readWithPool(reader, pool, pipeline, signal)
        else yield* readToEnd(reader, pipeline, signal)
      }
      if (live.length > 0 && !signal.aborted) yield* readLive(live, pipeline, signal)
      yield* pipeline.end()
    } finally {
      // Also reached when the caller stops iterating early (`break`): stop followers and open streams.
      controller.abort()
      await pool?.close()
      if (options.signal?.aborted === true) pipeline.collector.setInterrupted()
      for (const reader of readers) pipeline.collector.addBytes(reader.bytesRead())
      settle?.resolve(pipeline.summary())
    }
  }

  return {
    summary,
    progress: () => ({ bytesRead: readers.reduce((sum, reader) => sum + reader.bytesRead(), 0), bytesTotal }),
    [Symbol.asyncIterator]() {
      if (started) throw new Error('a ScanResult can be iterated once')
      started = true
      return run()
    },
  }
}
