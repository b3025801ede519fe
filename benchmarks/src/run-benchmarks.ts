// `pnpm bench`: one table answering "how fast, how big, how correct" against the naive scan, ripgrep and `cat`.
//   node benchmarks/dist/run-benchmarks.js [--size 100MB] [--workers 0,1,2,4] [--scaling 250MB,1GB,4GB]
//                                          [--rule-counts 25,100,500] [--no-latency]
// Results: benchmarks/results/<date>-<size>.json and .md. Exit 1 when a method's findings are wrong.
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus } from 'node:os'
import { join, resolve } from 'node:path'
import { loadNaiveRules } from './baselines/readline-regexp.js'
import type { MethodResult } from './bench-method.js'
import { checkGroundTruth } from './check-ground-truth.js'
import { corpusDir, makeCorpus, type GroundTruth } from './make-corpus.js'
import { measureLatency } from './measure-latency.js'
import { makeRuleCopies } from './make-rule-copies.js'
import { hasCommand, runNodeMethod, runTool } from './run-method.js'
import { formatBytes, parseBytes } from './sizes.js'
import { CORPUS_FILES } from './corpus/corpus-files.js'
import { RULES_DIR } from './load-catalogue.js'

interface Row {
  method: string
  seconds: number
  mbPerSecond: number
  linesPerSecond: number
  peakRssMb?: number
  correct?: boolean | undefined
  note?: string
}

const RESULTS = resolve(import.meta.dirname, '..', 'results')

/** The corpus for `bytes`, generated when missing. */
async function corpus(bytes: number): Promise<{ dir: string; truth: GroundTruth; files: string[] }> {
  const dir = corpusDir(bytes)
  const truthFile = join(dir, 'ground-truth.json')
  const truth = existsSync(truthFile) ? (JSON.parse(await readFile(truthFile, 'utf8')) as GroundTruth) : await makeCorpus({ outDir: dir, bytes })
  const files = Object.values(truth.files).map((file) => join(dir, file.path)).sort()
  return { dir, truth, files }
}

function row(method: string, bytes: number, result: { seconds: number; lines: number; peakRssMb?: number }, extra: Partial<Row> = {}): Row {
  const out: Row = { method, seconds: result.seconds, mbPerSecond: bytes / 2 ** 20 / result.seconds, linesPerSecond: result.lines / result.seconds, ...extra }
  if (result.peakRssMb !== undefined) out.peakRssMb = result.peakRssMb
  return out
}

function table(rows: readonly Row[], baselines: Readonly<Record<string, number | undefined>>): string {
  const head = ['method', 'MB/s', 'lines/s', 'peak RSS', ...Object.keys(baselines).map((name) => `× ${name}`), 'output']
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`]
  for (const r of rows) {
    const ratios = Object.values(baselines).map((base) => (base === undefined ? 'n/a' : (r.mbPerSecond / base).toFixed(2)))
    const output = r.correct === undefined ? (r.note ?? '') : r.correct ? 'matches ground truth' : `WRONG ${r.note ?? ''}`
    lines.push(`| ${[r.method, r.mbPerSecond.toFixed(1), Math.round(r.linesPerSecond).toLocaleString('en'), r.peakRssMb === undefined ? '-' : `${r.peakRssMb} MB`, ...ratios, output].join(' | ')} |`)
  }
  return lines.join('\n')
}

const SOURCE_FILES: Record<string, (keyof typeof CORPUS_FILES)[]> = {
  registry: ['registry', 'registryJson'],
  'nginx-access': ['nginxRegistry', 'nginxGitlab'],
  'nginx-error': ['nginxError'],
  rails: ['railsProduction', 'railsJson', 'railsExceptions', 'railsApplication'],
  docker: ['runnerPod', 'dockerClient'],
  proxy: ['mitmdump'],
}

async function main(argv: readonly string[]): Promise<number> {
  const flag = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined)
  const bytes = parseBytes(flag('--size') ?? '100MB')
  const workerCounts = (flag('--workers') ?? '0,1,2,4').split(',').map(Number)
  const { dir, truth, files } = await corpus(bytes)
  const size = truth.bytes
  const log = (text: string): boolean => process.stderr.write(`${text}\n`)
  log(`corpus ${dir}: ${formatBytes(size)}, ${Object.values(truth.expected).reduce((a, b) => a + b, 0)} incidents`)
  const rows: Row[] = []
  let allCorrect = true

  const cat = await runTool('sh', ['-c', `cat ${files.map((f) => `'${f}'`).join(' ')} > /dev/null`])
  rows.push(row('cat (raw read)', size, { seconds: cat.seconds, lines: Object.values(truth.files).reduce((a, f) => a + f.lines, 0) }))

  let rgMbs: number | undefined
  if (await hasCommand('rg')) {
    const literals = [...new Set((await loadNaiveRules(RULES_DIR)).flatMap((rule) => rule.literals))]
    const literalsFile = join(dir, 'literals.txt')
    await writeFile(literalsFile, `${literals.join('\n')}\n`)
    const rg = await runTool('rg', ['-c', '-F', '-f', literalsFile, ...files])
    const r = row('ripgrep -c -F -f literals.txt', size, { seconds: rg.seconds, lines: 0 }, { note: `${literals.length} literals` })
    rgMbs = r.mbPerSecond
    rows.push(r)
  } else log('ripgrep not installed: its column is n/a (apt-get install -y ripgrep)')

  log('naive: readline + one RegExp per rule')
  const naive = await runNodeMethod({ method: 'naive', files })
  const naiveRow = row('naive readline + RegExp per rule', size, naive, { note: 'candidate lines only' })
  rows.push(naiveRow)

  const ours: Record<number, MethodResult> = {}
  for (const workers of workerCounts) {
    log(`ours: ${workers} workers`)
    const result = await runNodeMethod({ method: 'ours', workers, files })
    ours[workers] = result
    const check = checkGroundTruth(truth.expected, result.rules)
    allCorrect &&= check.ok
    const note = check.mismatches.map((m) => `${m.rule} ${m.found}/${m.expected}`).join(', ')
    rows.push(row(workers === 0 ? 'ours, in-thread' : `ours, ${workers} worker${workers === 1 ? '' : 's'}`, size, result, { correct: check.ok, note }))
  }

  for (const [source, roles] of Object.entries(SOURCE_FILES)) {
    const sourceFiles = roles.map((role) => join(dir, CORPUS_FILES[role]))
    const sourceBytes = roles.reduce((sum, role) => sum + (truth.files[role]?.bytes ?? 0), 0)
    const result = await runNodeMethod({ method: 'parse', files: sourceFiles })
    rows.push(row(`parse only: ${source}`, sourceBytes, result, { note: `${formatBytes(sourceBytes)}` }))
  }

  const baselines = { naive: naiveRow.mbPerSecond, ripgrep: rgMbs, cat: rows[0]?.mbPerSecond }
  const sections = [`## ${new Date().toISOString().slice(0, 10)} — ${formatBytes(size)} corpus`, '', table(rows, baselines)]

  const one = ours[1]
  const two = ours[2]
  if (one !== undefined && two !== undefined) sections.push('', `2 workers vs 1 worker: ${(one.seconds / two.seconds).toFixed(2)}×`)

  if (!argv.includes('--no-latency')) {
    try {
      const latency = await measureLatency((n) => `time="${new Date(Date.UTC(2024, 4, 2) + n * 7_200_000).toISOString()}" level=error msg="unknown error" code=UNKNOWN detail="unexpected EOF" error="unknown: unknown error" vars_name=acme/app${n}`)
      sections.push('', `Live latency (line written to stdin → finding printed, built CLI, ${latency.samples} samples): p50 ${latency.p50Ms.toFixed(1)} ms, p99 ${latency.p99Ms.toFixed(1)} ms`)
    } catch (error) {
      sections.push('', `Live latency: not measured (${error instanceof Error ? error.message : String(error)})`)
    }
  }

  const scaling = flag('--scaling')
  if (scaling !== undefined) {
    const scaleRows: string[] = ['| corpus | workers | seconds | s per GB | peak RSS | output |', '|---|---|---|---|---|---|']
    for (const text of scaling.split(',')) {
      const scaled = await corpus(parseBytes(text))
      for (const workers of [2]) {
        log(`scaling: ${formatBytes(scaled.truth.bytes)}, ${workers} workers`)
        const result = await runNodeMethod({ method: 'ours', workers, files: scaled.files })
        const check = checkGroundTruth(scaled.truth.expected, result.rules)
        allCorrect &&= check.ok
        scaleRows.push(`| ${formatBytes(scaled.truth.bytes)} | ${workers} | ${result.seconds.toFixed(1)} | ${(result.seconds / (scaled.truth.bytes / 2 ** 30)).toFixed(1)} | ${result.peakRssMb} MB | ${check.ok ? 'matches ground truth' : 'WRONG'} |`)
      }
    }
    sections.push('', '### Cost per GB', '', ...scaleRows)
  }

  const ruleCounts = flag('--rule-counts')
  if (ruleCounts !== undefined) {
    const countRows = ['| rules | in-thread MB/s |', '|---|---|']
    for (const count of ruleCounts.split(',').map(Number)) {
      const rulesDir = await makeRuleCopies(RULES_DIR, count)
      const result = await runNodeMethod({ method: 'ours', workers: 0, files, rulesDir })
      countRows.push(`| ${count} | ${(size / 2 ** 20 / result.seconds).toFixed(1)} |`)
    }
    sections.push('', '### Rule-count scaling', '', ...countRows)
  }

  const machine = `${availableParallelism()} × ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`
  sections.push('', `Machine: ${machine}`)
  const report = sections.join('\n')
  process.stdout.write(`${report}\n`)
  await mkdir(RESULTS, { recursive: true })
  const stamp = `${new Date().toISOString().slice(0, 19).replaceAll(':', '')}-${formatBytes(size).replace(' ', '')}`
  await writeFile(join(RESULTS, `${stamp}.md`), `${report}\n`)
  await writeFile(join(RESULTS, `${stamp}.json`), `${JSON.stringify({ machine, size, rows, ours }, null, 1)}\n`)
  return allCorrect ? 0 : 1
}

process.exitCode = await main(process.argv.slice(2))
