// Picks the source parser for a file: by its name first (each source's `fileNames`, after rotation suffixes
// are removed), then by the summed `sniff` scores of its first lines. Per-line re-detection, for streams that
// mix formats, uses `rankSources` from the pipeline.
import type { SourceParser } from './define-source.js'
import type { SourceId } from './log-event.js'
import { sources } from './sources/index.js'
import { unwrapLine } from './unwrap-line.js'

/** What detection looks at. Both are optional; with neither, nothing is detected. */
export interface DetectSourceInput {
  /** The file's path (any separators). `-` (stdin) carries no information. */
  path?: string
  /** The first lines of the input, wrappers included; the first ~20 non-empty ones are read. */
  sample?: readonly string[]
}

/** Non-empty lines of a sample that content detection reads. */
export const DETECTION_SAMPLE_LINES = 20

const catalogue: readonly SourceParser[] = sources

// Rotated names: logrotate `.1`, `.2.gz`, dateext `-20240502`; svlogd `@<tai64n>.s` / `.u` stand for `current`.
const COMPRESSED = /\.gz$/
const ROTATION = /(?:\.\d{1,4}|-\d{8}(?:\d\d)?)$/
const SVLOGD_ROTATION = /\/@[0-9a-f]{24}\.[su]$|^@[0-9a-f]{24}\.[su]$/

/** Guesses the source of an input by file name, then by content. Returns undefined when nothing fits. */
export function detectSource(input: DetectSourceInput): SourceId | undefined {
  const byPath = input.path === undefined ? undefined : detectSourceByPath(input.path)
  if (byPath !== undefined) return byPath
  if (input.sample === undefined) return undefined
  return detectSourceByContent(input.sample.map((line) => unwrapLine(line).text))
}

/** The source whose `fileNames` match `path` as given or with its rotation suffixes removed. */
export function detectSourceByPath(path: string): SourceId | undefined {
  const slashed = path.replaceAll('\\', '/')
  const candidates = [slashed, withoutRotation(slashed)]
  for (const candidate of candidates) {
    const match = catalogue.find((source) => source.fileNames.some((pattern) => pattern.test(candidate)))
    if (match !== undefined) return match.id
  }
  return undefined
}

function withoutRotation(path: string): string {
  if (SVLOGD_ROTATION.test(path)) return path.replace(/@[0-9a-f]{24}\.[su]$/, 'current')
  return path.replace(COMPRESSED, '').replace(ROTATION, '')
}

/**
 * The source with the highest summed `sniff` over the first non-empty (already unwrapped) lines; ties go to
 * the earlier source in the catalogue. Undefined when no source scores above zero.
 */
export function detectSourceByContent(texts: readonly string[]): SourceId | undefined {
  const totals = new Map<SourceId, number>()
  let read = 0
  for (const text of texts) {
    if (read >= DETECTION_SAMPLE_LINES) break
    if (text.trim() === '') continue
    read++
    for (const source of catalogue) totals.set(source.id, (totals.get(source.id) ?? 0) + safeSniff(source, text))
  }
  let best: SourceId | undefined
  let bestScore = 0
  for (const source of catalogue) {
    const score = totals.get(source.id) ?? 0
    if (score > bestScore) {
      best = source.id
      bestScore = score
    }
  }
  return best
}

/** Sources other than `except` that sniff `text` above zero, most confident first (catalogue order on ties). */
export function rankSources(text: string, except?: SourceId): SourceParser[] {
  const scored: { source: SourceParser; score: number }[] = []
  for (const source of catalogue) {
    if (source.id === except) continue
    const score = safeSniff(source, text)
    if (score > 0) scored.push({ source, score })
  }
  // Array.prototype.sort is stable, so equal scores keep catalogue order.
  return scored.sort((a, b) => b.score - a.score).map(({ source }) => source)
}

/** Whether `source` claims `text` (`safeSniff(source, text) > 0`), through its `claims` shortcut when it has one. */
export function claimsLine(source: SourceParser, text: string): boolean {
  if (source.claims === undefined) return safeSniff(source, text) > 0
  try {
    return source.claims(text)
  } catch {
    return false
  }
}

/** `sniff` clamped to 0..1; a sniff that throws or returns NaN scores 0 (parsers must not take detection down). */
export function safeSniff(source: SourceParser, text: string): number {
  let score: number
  try {
    score = source.sniff(text)
  } catch {
    return 0
  }
  return Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0
}
