// Where a worker's time goes, stage by stage, on one thread: what a batch costs when every record is skipped,
// when the prefilter decides, when every record is parsed, and with the rules matched. Also how many records
// each rule's literal formula lets through, which bounds what any prefilter can skip. These figures are
// the floor the worker pool divides between cores (see README "Stage costs").
// Run: `pnpm exec tsc -b && node benchmarks/dist/stage-costs.js [--size 200MB]` (the corpus must exist).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createLogParser, isLogEvent, type ParseOutput } from '@registry-logscan/parser'
import { compileRules, type CompiledRules, type RuleSet } from '@registry-logscan/rules-engine'
import { loadCatalogue } from './load-catalogue.js'
import { corpusDir, type GroundTruth } from './make-corpus.js'
import { formatBytes, parseBytes } from './sizes.js'

const CHUNK_BYTES = 64 * 1024

const STAGES = ['skip every record', 'prefilter', 'parse every record', 'prefilter + match'] as const
type Stage = (typeof STAGES)[number]

export interface StageRun {
  stage: Stage
  seconds: number
  offered: number
  passed: number
  events: number
  matched: number
}

function runStage(stage: Stage, inputs: readonly { file: string; bytes: Buffer }[], rules: CompiledRules): StageRun {
  const run: StageRun = { stage, seconds: 0, offered: 0, passed: 0, events: 0, matched: 0 }
  const decide =
    stage === 'skip every record' ? () => false : stage === 'parse every record' ? () => true : (text: string) => rules.prefilter(text)
  const prefilter = (text: string): boolean => {
    run.offered++
    const passed = decide(text)
    if (passed) run.passed++
    return passed
  }
  const take = (outputs: readonly ParseOutput[]): void => {
    for (const output of outputs) {
      if (!isLogEvent(output)) continue
      run.events++
      if (stage === 'prefilter + match' && rules.matchEvent(output) !== undefined) run.matched++
    }
  }
  const started = performance.now()
  feed(inputs, prefilter, take)
  run.seconds = (performance.now() - started) / 1000
  return run
}

/** Parses every input in chunks, as a worker does, handing what each call completes to `take`. */
function feed(inputs: readonly { file: string; bytes: Buffer }[], prefilter: (text: string) => boolean, take: (outputs: readonly ParseOutput[]) => void): void {
  for (const { file, bytes } of inputs) {
    const parser = createLogParser({ file, prefilter })
    for (let at = 0; at < bytes.length; at += CHUNK_BYTES) take(parser.write(bytes.subarray(at, at + CHUNK_BYTES)))
    take(parser.end())
  }
}

/** Records (as the prefilter sees them) each rule alone would let through. */
function passesPerRule(inputs: readonly { file: string; bytes: Buffer }[], ruleSet: RuleSet): [string, number][] {
  // Counted in one pass, each record offered to every rule's own prefilter: the records are not kept.
  const perRule = ruleSet.rules.map((rule) => compileRules({ ...ruleSet, rules: [rule] }))
  const counts = perRule.map(() => 0)
  const countPasses = (text: string): boolean => {
    perRule.forEach((one, index) => {
      if (one.prefilter(text)) counts[index] = (counts[index] ?? 0) + 1
    })
    return false
  }
  feed(inputs, countPasses, () => undefined)
  return ruleSet.rules.map((rule, index): [string, number] => [rule.id, counts[index] ?? 0]).sort((left, right) => right[1] - left[1])
}

export interface StageCosts {
  bytes: number
  /** Best of `repeats` runs per stage, in `STAGES` order. */
  stages: StageRun[]
  /** Rule id → records its literal formula alone lets through, most first. */
  passes: [string, number][]
}

/** Measures every stage on the corpus in `dir` (its ground-truth.json names the files). */
export async function measureStages(dir: string, ruleSet: RuleSet, repeats = 2): Promise<StageCosts> {
  const truth = JSON.parse(await readFile(join(dir, 'ground-truth.json'), 'utf8')) as GroundTruth
  const inputs = await Promise.all(Object.values(truth.files).map(async ({ path }) => ({ file: path, bytes: await readFile(join(dir, path)) })))
  const rules = compileRules(ruleSet)
  const stages = STAGES.map((stage) => {
    const runs = Array.from({ length: repeats }, () => runStage(stage, inputs, rules))
    return runs.reduce((left, right) => (right.seconds < left.seconds ? right : left))
  })
  return { bytes: inputs.reduce((sum, input) => sum + input.bytes.length, 0), stages, passes: passesPerRule(inputs, ruleSet) }
}

async function main(argv: readonly string[]): Promise<void> {
  const sizeFlag = argv.indexOf('--size')
  const dir = corpusDir(parseBytes(sizeFlag === -1 ? '200MB' : (argv[sizeFlag + 1] ?? '200MB')))
  const { ruleSet } = await loadCatalogue()
  const { bytes, stages, passes } = await measureStages(dir, ruleSet)
  process.stdout.write(`${dir}: ${formatBytes(bytes)}, one thread, best of 2\n\n`)
  process.stdout.write(`| stage | seconds | MB/s | records offered | passed | events | matched |\n|---|---|---|---|---|---|---|\n`)
  for (const run of stages) {
    const rate = (bytes / 1024 ** 2 / run.seconds).toFixed(0)
    process.stdout.write(`| ${run.stage} | ${run.seconds.toFixed(2)} | ${rate} | ${run.offered} | ${run.passed} | ${run.events} | ${run.matched} |\n`)
  }
  process.stdout.write('\nRecords each rule alone lets through the prefilter (rules letting none through left out):\n\n')
  for (const [id, count] of passes) if (count > 0) process.stdout.write(`  ${String(count).padStart(8)}  ${id}\n`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2))
