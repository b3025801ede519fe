// Generates a deterministic corpus of GitLab registry-stack logs (normal traffic, near-misses and injected
// incidents for every rule) and a ground-truth file (rule id → expected occurrences).
//   node benchmarks/dist/make-corpus.js --size 1GB [--out benchmarks/corpus/1gb] [--seed 1]
import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { corpusSize, flushFull, type CorpusContext } from './corpus/corpus-context.js'
import { CORPUS_FILES, openCorpusFiles, type CorpusFileRole } from './corpus/corpus-files.js'
import { incidentCatalogue } from './corpus/incident-catalogue.js'
import { nearMisses } from './corpus/near-misses.js'
import { gitlabApi, pull, push, railsPage } from './corpus/normal-traffic.js'
import { createPools, createRandom } from './corpus/random-pools.js'
import { formatBytes, parseBytes } from './sizes.js'

export interface CorpusOptions {
  outDir: string
  /** Target size in bytes (the corpus ends at the first session boundary past it). */
  bytes: number
  seed?: number
  /** Bytes of corpus per incident of each rule (default 2 MiB: 500 incidents of every rule per GiB). */
  incidentEveryBytes?: number
}

/** One injected incident, for debugging a mismatch. */
export interface InjectedIncident {
  rule: string
  variant: number
  file: string
  line: number
  time: string
}

/** Written next to the corpus as `ground-truth.json`. */
export interface GroundTruth {
  seed: number
  bytes: number
  files: Record<CorpusFileRole, { path: string; bytes: number; lines: number }>
  /** Rule id → expected occurrences (the sum of `count` over that rule's findings). */
  expected: Record<string, number>
  incidents: InjectedIncident[]
}

const START = Date.UTC(2024, 4, 1)
const THREE_HOURS = 3 * 3600_000
const NEAR_MISS_EVERY = 48 * 1024

/** Writes the corpus; resolves with its ground truth (also written to `<outDir>/ground-truth.json`). */
export async function makeCorpus(options: CorpusOptions): Promise<GroundTruth> {
  const seed = options.seed ?? 1
  const incidentEvery = options.incidentEveryBytes ?? 2 * 1024 * 1024
  const random = createRandom(seed)
  const files = openCorpusFiles(options.outDir)
  const ctx: CorpusContext = { files, random, pools: createPools(random, Math.max(1, Math.round(options.bytes / 100e6))), clock: START, connection: 100_000 }
  // Simulated time follows bytes so that two incidents of one rule are ≥ 3 h apart: no fold window merges them.
  const msPerByte = THREE_HOURS / incidentEvery
  const incidentStep = incidentEvery / incidentCatalogue.length
  const expected: Record<string, number> = Object.fromEntries(incidentCatalogue.map((t) => [t.rule, 0]))
  const incidents: InjectedIncident[] = []
  let nextIncident = incidentStep / 2
  let nextNearMiss = NEAR_MISS_EVERY / 2
  let incidentCount = 0
  let nearMissCount = 0
  let size = 0
  let sessions = 0
  while (size < options.bytes) {
    const before = size
    const roll = random.next()
    const route = random.chance(0.15) ? 'helm' : 'omnibus'
    if (roll < 0.22) push(ctx, route)
    else if (roll < 0.67) pull(ctx, route)
    else if (roll < 0.8) gitlabApi(ctx)
    else railsPage(ctx)
    size = corpusSize(files)
    ctx.clock += Math.round((size - before) * msPerByte) + random.int(0, 2000)
    if (size >= nextNearMiss) {
      ;(nearMisses[nearMissCount++ % nearMisses.length] as (typeof nearMisses)[number])(ctx)
      nextNearMiss += NEAR_MISS_EVERY
    }
    if (size >= nextIncident) {
      const template = incidentCatalogue[incidentCount % incidentCatalogue.length]
      if (template === undefined) throw new Error('empty incident catalogue')
      const ordinal = Math.floor(incidentCount / incidentCatalogue.length)
      const variant = ordinal % template.variants.length
      const at = ctx.clock
      const evidence = (template.variants[variant] as (typeof template.variants)[number])(ctx, ordinal)
      incidents.push({ rule: template.rule, variant, file: CORPUS_FILES[evidence.role], line: evidence.line, time: new Date(at).toISOString() })
      expected[template.rule] = (expected[template.rule] ?? 0) + 1
      incidentCount += 1
      nextIncident += incidentStep
      ctx.clock += random.int(1000, 5000)
    }
    if (++sessions % 32 === 0) await flushFull(files)
  }
  for (const file of Object.values(files)) await file.close()
  const truth: GroundTruth = {
    seed,
    bytes: corpusSize(files),
    files: Object.fromEntries(Object.entries(files).map(([role, f]) => [role, { path: f.relativePath, bytes: f.bytes, lines: f.lines }])) as GroundTruth['files'],
    expected,
    incidents,
  }
  await writeFile(join(options.outDir, 'ground-truth.json'), `${JSON.stringify(truth, null, 1)}\n`)
  return truth
}

/** Default corpus directory for a size: `benchmarks/corpus/<size>`. */
export function corpusDir(bytes: number): string {
  return resolve(import.meta.dirname, '..', 'corpus', formatBytes(bytes).replace(' ', '').toLowerCase())
}

async function main(argv: readonly string[]): Promise<void> {
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(name)
    return i === -1 ? undefined : argv[i + 1]
  }
  const bytes = parseBytes(flag('--size') ?? '10MB')
  const outDir = resolve(flag('--out') ?? corpusDir(bytes))
  const started = performance.now()
  const truth = await makeCorpus({ outDir, bytes, seed: Number(flag('--seed') ?? 1) })
  const seconds = (performance.now() - started) / 1000
  const incidents = Object.values(truth.expected).reduce((a, b) => a + b, 0)
  process.stdout.write(`${outDir}: ${formatBytes(truth.bytes)} in ${seconds.toFixed(1)} s (${formatBytes(truth.bytes / seconds)}/s), ${incidents} incidents\n`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2))
