import { cp, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { addLineCounts, emptyLineCounts } from './sum-line-counts.js'
import { compileRules, createRuleEngine, loadRules, type Finding, type RuleSet } from '@registry-logscan/rules-engine'
import { afterEach, beforeAll, describe, expect, test } from 'vitest'
import { createMatchPool } from './create-match-pool.js'

// The pool's threads run dist/match-worker.js: build first (`pnpm exec tsc -b`).
const RULES_DIR = fileURLToPath(new URL('../../../rules', import.meta.url))

let ruleSet: RuleSet
let input: Uint8Array

/** Every line of every rule example, repeated with filler, so each rule has evidence in many batches. */
function buildInput(rules: RuleSet): Uint8Array {
  const lines: string[] = []
  for (let round = 0; round < 12; round++) {
    for (const rule of rules.rules) {
      for (const example of rule.examples) lines.push(...(example.lines ?? []))
      lines.push(`2024/05/02 10:${String(round).padStart(2, '0')}:00 [notice] 1#0: signal process started`)
    }
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`)
}

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) {
    // Let other work run between chunks, as a real stream does.
    await Promise.resolve()
    yield bytes.slice(at, at + size)
  }
}

/** Scans `input` with `workers` threads and runs correlation as the facade does; returns everything printable. */
async function scan(workers: number): Promise<string> {
  const pool = createMatchPool({ workers, ruleSet, batchBytes: 4096 })
  const engine = createRuleEngine(compileRules(ruleSet))
  const findings: Finding[] = []
  const counts = emptyLineCounts()
  const samples: unknown[] = []
  try {
    for await (const result of pool.scanStream(chunks(input, 1000), { file: 'mixed.log' })) {
      for (const { event, match, streamTime } of result.matches) findings.push(...engine.accept(event, match, streamTime))
      addLineCounts(counts, result.counts)
      samples.push(...result.samples)
    }
  } finally {
    await pool.close()
  }
  findings.push(...engine.end())
  return JSON.stringify({ findings, counts, samples, stats: engine.stats() })
}

/** The catalogue's rules that load on their own (the catalogue is edited in parallel; one bad file must not hide the rest). */
async function loadValidRules(): Promise<RuleSet> {
  const root = await mkdtemp(join(tmpdir(), 'match-pool-rules-'))
  const files = (await readdir(RULES_DIR)).filter((name) => name.endsWith('.yaml'))
  const valid: string[] = []
  for (const name of files) {
    const dir = join(root, name)
    await cp(join(RULES_DIR, 'macros'), join(dir, 'macros'), { recursive: true })
    await cp(join(RULES_DIR, name), join(dir, name))
    if (await loadRules([dir]).then(() => true, () => false)) valid.push(name)
  }
  const all = join(root, 'all')
  await cp(join(RULES_DIR, 'macros'), join(all, 'macros'), { recursive: true })
  for (const name of valid) await cp(join(RULES_DIR, name), join(all, name))
  const loaded = await loadRules([all])
  await rm(root, { recursive: true, force: true })
  return loaded
}

beforeAll(async () => {
  ruleSet = await loadValidRules()
  input = buildInput(ruleSet)
})

afterEach(() => {
  delete process.env['REGISTRY_LOGSCAN_TEST_WORKER_CRASH_ON_BATCH']
})

describe('createMatchPool', () => {
  test('0, 1, 2 and 4 workers give identical findings, counts and samples', async () => {
    const inThread = await scan(0)
    const parsed = JSON.parse(inThread) as { findings: Finding[]; counts: { read: number } }
    expect(parsed.findings.length).toBeGreaterThan(ruleSet.rules.length / 2)
    expect(parsed.counts.read).toBe(new TextDecoder().decode(input).split('\n').length - 1)
    for (const workers of [1, 2, 4]) expect(await scan(workers), `${workers} workers`).toBe(inThread)
  })

  test('a worker that dies is replaced and its batch re-run: no line lost or counted twice', async () => {
    const inThread = await scan(0)
    process.env['REGISTRY_LOGSCAN_TEST_WORKER_CRASH_ON_BATCH'] = '3'
    expect(await scan(2)).toBe(inThread)
  })

  test('reads ahead of the results by a bounded amount, however large the input', async () => {
    const pool = createMatchPool({ workers: 2, ruleSet, batchBytes: 4096 })
    const large = new Uint8Array(input.length * 8)
    for (let i = 0; i < 8; i++) large.set(input, i * input.length)
    let readBytes = 0
    let resultBytes = 0
    let maxAhead = 0
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of chunks(large, 4096)) {
        readBytes += chunk.length
        maxAhead = Math.max(maxAhead, readBytes - resultBytes)
        yield chunk
      }
    }
    try {
      for await (const result of pool.scanStream(counted(), { file: 'mixed.log' })) resultBytes += result.bytes
    } finally {
      await pool.close()
    }
    // Bound: the splitter's look-ahead (4 × batch) + 2 × workers batches of at most 4 × batch each.
    expect(large.length).toBeGreaterThan(1_000_000)
    expect(maxAhead).toBeLessThan(4 * 4096 + 2 * 2 * 4 * 4096 + 4096)
  })
})
