// Large file scans: the worker pool parses and matches batches of whole lines on worker threads; findings are
// still correlated here, on one thread, in input order (the engine's `accept`). Used only for inputs that are
// read once (not followed, not stdin) and only when rules run and nobody asked for every event (`onEvent`).
import type { Finding } from '@registry-logscan/rules-engine'
import { addLineCounts, emptyLineCounts, type MatchPool } from '@registry-logscan/worker-pool'
import { errorCode, errorMessage } from './describe-error.js'
import type { InputReader } from './read-input.js'
import type { ScanPipeline } from './scan-pipeline.js'

async function* bytesOf(reader: InputReader): AsyncGenerator<Uint8Array> {
  for await (const chunk of reader.chunks) if ('bytes' in chunk) yield chunk.bytes
}

/** Reads one input through the pool; failures (a truncated gzip) are recorded like `readToEnd` does. */
export async function* readWithPool(reader: InputReader, pool: MatchPool, pipeline: ScanPipeline, signal: AbortSignal): AsyncGenerator<Finding> {
  const counts = emptyLineCounts()
  try {
    for await (const result of pool.scanStream(bytesOf(reader), { file: reader.name })) {
      addLineCounts(counts, result.counts)
      yield* pipeline.acceptBatch(result)
      if (signal.aborted) break
    }
    pipeline.collector.addInput(reader.name)
  } catch (error) {
    pipeline.collector.addFailure({ input: reader.name, code: errorCode(error), message: `${reader.name}: ${errorMessage(error)}` })
  }
  pipeline.collector.addParserCounts(reader.name, counts, true)
}
