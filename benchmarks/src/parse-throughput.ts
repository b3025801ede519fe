// How fast does the parser read each source, next to the cheapest scan one could write (split the whole
// buffer on `\n`, one RegExp test per line)? And is the hand-written splitter faster than split2?
// Run: `pnpm --filter @registry-logscan/benchmarks exec tsc -b && node benchmarks/dist/parse-throughput.js [MB]`
// (default 50 MB per source). Figures are throughput ratios ours / baseline, measured in the same process.
import { createRequire } from 'node:module'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createLineSplitter, createLogParser, sources, type SourceId } from '@registry-logscan/parser'

const CHUNK_BYTES = 64 * 1024
const megabytes = Number(process.argv[2] ?? 50)
const targetBytes = megabytes * 1024 * 1024

// split2 is the parser package's dependency, not ours: resolve it from there.
const requireFromParser = createRequire(import.meta.resolve('@registry-logscan/parser'))
const split2 = requireFromParser('split2') as (options?: { maxLength?: number }) => NodeJS.ReadWriteStream

/** The source's example lines repeated up to about `bytes` (whole repetitions only). */
function buildCorpus(lines: readonly string[], bytes: number): Buffer {
  const block = Buffer.from(`${lines.join('\n')}\n`)
  const repeats = Math.max(1, Math.floor(bytes / block.length))
  return Buffer.concat(Array.from({ length: repeats }, () => block))
}

function chunksOf(corpus: Buffer): Buffer[] {
  const chunks: Buffer[] = []
  for (let start = 0; start < corpus.length; start += CHUNK_BYTES) chunks.push(corpus.subarray(start, start + CHUNK_BYTES))
  return chunks
}

interface Run {
  seconds: number
  lines: number
}

function time(fn: () => number): Run {
  const started = performance.now()
  const lines = fn()
  return { seconds: (performance.now() - started) / 1000, lines }
}

async function timeAsync(fn: () => Promise<number>): Promise<Run> {
  const started = performance.now()
  const lines = await fn()
  return { seconds: (performance.now() - started) / 1000, lines }
}

/** The naive scan every figure is divided by: decode all, split on `\n`, one RegExp test per line. */
function naiveScan(corpus: Buffer): number {
  const pattern = /level=error|" 5\d\d |Error response from daemon|Exception|\[error\]/
  let lines = 0
  let matched = 0
  for (const line of corpus.toString('utf8').split('\n')) {
    lines++
    if (pattern.test(line)) matched++
  }
  // The split leaves one empty string after the final newline; `matched` is read so the loop is not elided.
  return lines - 1 + (matched < 0 ? 1 : 0)
}

/**
 * `skip`: the file's source as the worker pool passes it (not forced, so every line is sniffed) and a
 * prefilter that rejects every record: the pipeline's own cost (split, unwrap, records, accounting), which
 * is what the records no rule can match cost a scan.
 */
function parseAll(corpus: Buffer, source: SourceId, skip = false): number {
  const parser = createLogParser(skip ? { file: '-', fileSource: source, prefilter: () => false } : { file: '-', source })
  let outputs = 0
  for (const chunk of chunksOf(corpus)) outputs += parser.write(chunk).length
  outputs += parser.end().length
  return parser.counts.read + (outputs < 0 ? 1 : 0)
}

function splitOurs(corpus: Buffer): number {
  const splitter = createLineSplitter()
  let lines = 0
  for (const chunk of chunksOf(corpus)) lines += splitter.push(chunk).length
  return lines + splitter.end().length
}

async function splitWithSplit2(corpus: Buffer): Promise<number> {
  let lines = 0
  const count = new Writable({
    objectMode: true,
    write(_line: unknown, _encoding, done) {
      lines++
      done()
    },
  })
  await pipeline(Readable.from(chunksOf(corpus)), split2(), count)
  return lines
}

const rate = (bytes: number, run: Run): string => `${(bytes / 1024 / 1024 / run.seconds).toFixed(1).padStart(7)} MB/s`
const lineRate = (run: Run): string => `${(run.lines / run.seconds / 1e6).toFixed(2).padStart(6)} Mlines/s`
const ratio = (ours: Run, baseline: Run): string => `${(baseline.seconds / ours.seconds).toFixed(3)}×`

function check(label: string, ours: number, baseline: number): void {
  if (ours !== baseline) throw new Error(`${label}: ${ours} lines, baseline ${baseline}; the comparison would be meaningless`)
}

async function main(): Promise<void> {
  console.log(`parse throughput, ~${megabytes} MB per source, ${CHUNK_BYTES / 1024} KB chunks, node ${process.version}`)
  console.log('source         ours (full parse)             naive split+RegExp             ours/naive   skipped by prefilter      skipped/naive')
  for (const source of sources) {
    const lines = source.examples.flatMap((example) => example.lines)
    if (lines.length === 0) continue
    const corpus = buildCorpus(lines, targetBytes)
    // Warm up the JIT on a small slice, and check both sides count the same lines before timing.
    const warm = buildCorpus(lines, 1024 * 1024)
    check(source.id, parseAll(warm, source.id), naiveScan(warm))
    const baseline = time(() => naiveScan(corpus))
    const ours = time(() => parseAll(corpus, source.id))
    check(source.id, ours.lines, baseline.lines)
    parseAll(warm, source.id, true)
    const skipped = time(() => parseAll(corpus, source.id, true))
    check(source.id, skipped.lines, baseline.lines)
    console.log(
      `${source.id.padEnd(14)} ${rate(corpus.length, ours)} ${lineRate(ours)}   ${rate(corpus.length, baseline)} ${lineRate(baseline)}   ${ratio(ours, baseline).padStart(7)}      ${rate(corpus.length, skipped)} ${lineRate(skipped)}   ${ratio(skipped, baseline)}`,
    )
  }

  const mixed = buildCorpus(sources.flatMap((source) => source.examples.flatMap((example) => example.lines)), targetBytes)
  check('splitter', splitOurs(mixed.subarray(0, 1024 * 1024)), await splitWithSplit2(mixed.subarray(0, 1024 * 1024)))
  const split2Run = await timeAsync(() => splitWithSplit2(mixed))
  const oursRun = time(() => splitOurs(mixed))
  check('splitter', oursRun.lines, split2Run.lines)
  console.log('\nsplitter alone (mixed corpus)')
  console.log(`createLineSplitter ${rate(mixed.length, oursRun)} ${lineRate(oursRun)}`)
  console.log(`split2             ${rate(mixed.length, split2Run)} ${lineRate(split2Run)}`)
  console.log(`ours/split2        ${ratio(oursRun, split2Run)}`)
}

await main()
