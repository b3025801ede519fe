// The work of one batch, the same function whether it runs in a worker or on the main thread (0 workers):
// parse the batch's lines, skip records no rule can match (the engine's prefilter), run the stateless part of
// every rule, and return only what matched plus the line accounting. Running the same function on the same
// batches is what makes the output independent of the worker count.
import { createLogParser, isLogEvent, type LineCounts, type LogEvent, type OversizedLine, type ParseOutput, type SourceId, type UnparsedLine } from '@registry-logscan/parser'
import { createEventCompactor, type CompiledRules, type EventCompactor, type EventMatch } from '@registry-logscan/rules-engine/match'

/** What a batch task carries to a worker (structured-clone friendly; `bytes` is transferred). */
export interface BatchTask {
  /** Position of the batch in its input. */
  index: number
  /** 0 on the first run, 1… when a batch is re-run after its worker died. */
  attempt: number
  file: string
  /** 1-based number of the batch's first physical line in the input. */
  firstLine: number
  bytes: Uint8Array
  /** Forced source (`--source`). */
  source?: SourceId
  /** The file's source, detected once on the main thread (not forced: other sources still get lines they claim). */
  fileSource?: SourceId
  /** The file the last `gitlab-ctl tail` header before this batch named (`last-tail-header.ts`). */
  tailPath?: string
  maxLineLength?: number
}

/**
 * An event that satisfied at least one rule condition, compacted to what the engine reads after matching
 * (`createEventCompactor`): the evidence text and the fields of the rules it hit, not the whole event.
 */
export interface BatchMatch {
  event: LogEvent
  match: EventMatch
  /**
   * For an event without a time: the latest time seen before it in its input (pass it to the engine's
   * `accept(event, match, streamTime)`). Filled across batches by the pool before results are yielded.
   */
  streamTime?: number
}

/** What one batch produced. */
export interface BatchResult {
  index: number
  file: string
  /** Bytes of input the batch covered (for progress). */
  bytes: number
  matches: BatchMatch[]
  counts: LineCounts
  /** The first few unparsed / oversized lines of the batch, for the summary's samples. */
  samples: (UnparsedLine | OversizedLine)[]
  /** Time (epoch ms) of the last event of the batch that had one: events without a time inherit it. */
  lastTime?: number
}

/** Bytes handed to the parser at a time (see `matchBatch`). */
const PARSE_SLICE_BYTES = 64 * 1024

/** Unparsed/oversized lines kept per batch (the counts cover all of them). */
export const SAMPLES_PER_BATCH = 4

/** One compactor per compiled rule set (per thread), built on its first batch. */
const compactors = new WeakMap<CompiledRules, EventCompactor>()

/** Parses and matches one batch. Never throws on data. */
export function matchBatch(task: BatchTask, rules: CompiledRules): BatchResult {
  let compact = compactors.get(rules)
  if (compact === undefined) {
    compact = createEventCompactor(rules)
    compactors.set(rules, compact)
  }
  const parser = createLogParser({
    file: task.file,
    source: task.source,
    fileSource: task.fileSource,
    tailPath: task.tailPath,
    maxLineLength: task.maxLineLength,
    prefilter: (text) => rules.prefilter(text),
  })
  const offset = task.firstLine - 1
  const matches: BatchMatch[] = []
  const samples: (UnparsedLine | OversizedLine)[] = []
  let lastTime: number | undefined
  const take = (outputs: readonly ParseOutput[]): void => {
    for (const output of outputs) {
      output.line += offset
      if (!isLogEvent(output)) {
        if (samples.length < SAMPLES_PER_BATCH) samples.push(output)
        continue
      }
      if (output.time !== undefined) lastTime = output.time
      const match = rules.matchEvent(output)
      if (match === undefined) continue
      const event = compact(output, match)
      matches.push(output.time === undefined && lastTime !== undefined ? { event, match, streamTime: lastTime } : { event, match })
    }
  }
  // Fed in slices so each slice's events die before the next is parsed: a whole batch of events alive at
  // once would outlive the young generation and be promoted, which costs GC time and grows the heap.
  for (let at = 0; at < task.bytes.byteLength; at += PARSE_SLICE_BYTES) take(parser.write(task.bytes.subarray(at, at + PARSE_SLICE_BYTES)))
  take(parser.end())
  const result: BatchResult = { index: task.index, file: task.file, bytes: task.bytes.byteLength, matches, counts: parser.counts, samples }
  if (lastTime !== undefined) result.lastTime = lastTime
  return result
}
