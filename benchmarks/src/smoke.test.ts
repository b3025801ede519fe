// Keeps the benchmark harness from rotting (benchmarks themselves are too slow for CI): a small corpus is
// generated, scanned by the naive baseline and by our in-thread scan, and checked against its ground truth.
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sources } from '@registry-logscan/parser'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadNaiveRules, scanNaive } from './baselines/readline-regexp.js'
import { checkGroundTruth } from './check-ground-truth.js'
import { loadCatalogue, type Catalogue } from './load-catalogue.js'
import { makeCorpus, type GroundTruth } from './make-corpus.js'
import { scanOurs } from './scan-ours.js'
import { measureStages } from './stage-costs.js'

let root: string
let truth: GroundTruth
let files: string[]
let catalogue: Catalogue

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'bench-smoke-'))
  truth = await makeCorpus({ outDir: join(root, 'corpus'), bytes: 10 * 2 ** 20 })
  files = Object.values(truth.files).map((file) => join(root, 'corpus', file.path))
  catalogue = await loadCatalogue()
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

async function digestOf(dir: string, generated: GroundTruth): Promise<string> {
  const hash = createHash('sha256')
  for (const file of Object.values(generated.files)) hash.update(await readFile(join(dir, file.path)))
  return hash.digest('hex')
}

describe('benchmark harness', () => {
  test('the corpus is deterministic: the same seed writes the same bytes', async () => {
    const a = await makeCorpus({ outDir: join(root, 'a'), bytes: 2 ** 20, seed: 7 })
    const b = await makeCorpus({ outDir: join(root, 'b'), bytes: 2 ** 20, seed: 7 })
    const c = await makeCorpus({ outDir: join(root, 'c'), bytes: 2 ** 20, seed: 8 })
    expect(await digestOf(join(root, 'a'), a)).toBe(await digestOf(join(root, 'b'), b))
    expect(await digestOf(join(root, 'a'), a)).not.toBe(await digestOf(join(root, 'c'), c))
  })

  test('the corpus injects incidents for every rule of the catalogue', () => {
    expect(catalogue.skipped).toEqual([])
    const ids = catalogue.ruleSet.rules.map((rule) => rule.id).sort()
    expect(Object.keys(truth.expected).sort()).toEqual(ids)
    for (const id of ids) expect(truth.expected[id], id).toBeGreaterThan(0)
    expect(truth.bytes).toBeGreaterThanOrEqual(10 * 2 ** 20)
  })

  test('our in-thread scan finds exactly the injected incidents', async () => {
    const result = await scanOurs(files, catalogue.ruleSet, 0)
    expect(result.lines).toBe(Object.values(truth.files).reduce((sum, file) => sum + file.lines, 0))
    const { mismatches } = checkGroundTruth(truth.expected, result.rules)
    expect(mismatches).toEqual([])
  })

  test('the naive baseline reads every line and flags candidates for every injected rule', async () => {
    const naive = await scanNaive(files, await loadNaiveRules(join(import.meta.dirname, '..', '..', 'rules')))
    expect(naive.lines).toBe(Object.values(truth.files).reduce((sum, file) => sum + file.lines, 0))
    const flagged = Object.entries(naive.matches).filter(([, count]) => count > 0).map(([id]) => id)
    expect(flagged.length).toBeGreaterThan(Object.keys(truth.expected).length / 2)
  })

  test('stage costs: every stage sees every record, and the prefilter lets through what matching needs', async () => {
    const { stages, passes } = await measureStages(join(root, 'corpus'), catalogue.ruleSet, 1)
    const [skipAll, prefilter, parseAll, withMatch] = stages
    const offered = skipAll?.offered ?? 0
    expect(offered).toBeGreaterThan(0)
    for (const run of stages) expect(run.offered, run.stage).toBe(offered)
    expect(skipAll?.passed).toBe(0)
    expect(parseAll?.passed).toBe(offered)
    expect(prefilter?.passed).toBeGreaterThan(0)
    expect(prefilter?.passed).toBeLessThan(offered)
    expect(withMatch).toMatchObject({ passed: prefilter?.passed, events: prefilter?.events })
    expect(withMatch?.matched).toBeGreaterThan(0)
    // Every rule with injected incidents must see their records through the prefilter (records of stateful
    // sources, Rails request blocks, are never offered to it).
    const stateful = new Set(sources.filter((source) => source.createState !== undefined).map((source) => source.id))
    const through = new Map(passes)
    for (const rule of catalogue.ruleSet.rules) {
      if (rule.sources.every((source) => stateful.has(source))) continue
      expect(through.get(rule.id), rule.id).toBeGreaterThan(0)
    }
  })
})
