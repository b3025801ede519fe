// Runs one benchmark method in its own process (so its peak RSS is its own) and prints one JSON line:
// { seconds, lines, peakRssMb, rules } where `rules` is rule id → occurrences (ours) or matching lines (naive).
//   node benchmarks/dist/bench-method.js '{"method":"ours","workers":2,"files":[…]}'
import { createReadStream } from 'node:fs'
import { createLogParser } from '@registry-logscan/parser'
import { loadNaiveRules, scanNaive } from './baselines/readline-regexp.js'
import { loadCatalogue, RULES_DIR } from './load-catalogue.js'
import { scanOurs } from './scan-ours.js'

export interface MethodRequest {
  method: 'ours' | 'naive' | 'parse'
  files: string[]
  workers?: number
  rulesDir?: string
}

export interface MethodResult {
  seconds: number
  lines: number
  peakRssMb: number
  rules: Record<string, number>
  /** parse: events per source. */
  sources?: Record<string, number>
  skippedRules?: string[]
}

/** Parse only (no rules): bytes → events for one input. */
async function parseOnly(files: readonly string[]): Promise<{ lines: number; sources: Record<string, number> }> {
  const sources: Record<string, number> = {}
  let lines = 0
  for (const file of files) {
    const parser = createLogParser({ file })
    for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) parser.write(chunk as Buffer)
    parser.end()
    lines += parser.counts.read
    for (const [source, count] of Object.entries(parser.counts.parsedBySource)) sources[source] = (sources[source] ?? 0) + count
  }
  return { lines, sources }
}

async function main(request: MethodRequest): Promise<MethodResult> {
  // Rule loading and validation (seconds with the regex checker) are setup, reported apart from throughput.
  const catalogue = request.method === 'ours' ? await loadCatalogue(request.rulesDir ?? RULES_DIR) : undefined
  const started = performance.now()
  const done = (lines: number, rules: Record<string, number>, extra: Partial<MethodResult> = {}): MethodResult => ({
    seconds: (performance.now() - started) / 1000,
    lines,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    rules,
    ...extra,
  })
  if (request.method === 'naive') {
    const rules = await loadNaiveRules(request.rulesDir ?? RULES_DIR)
    const result = await scanNaive(request.files, rules)
    return done(result.lines, result.matches)
  }
  if (request.method === 'parse') {
    const result = await parseOnly(request.files)
    return done(result.lines, {}, { sources: result.sources })
  }
  if (catalogue === undefined) throw new Error('unreachable: rules are loaded for ours')
  const result = await scanOurs(request.files, catalogue.ruleSet, request.workers ?? 0)
  return done(result.lines, result.rules, { skippedRules: catalogue.skipped.map((s) => s.file) })
}

process.stdout.write(`${JSON.stringify(await main(JSON.parse(process.argv[2] ?? '{}') as MethodRequest))}\n`)
