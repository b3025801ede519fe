// Turns what the caller named (paths, globs, directories, `-`, streams) into the list of inputs a scan reads,
// in the order their lines were written. Problems are values (`FailedInput`), never exceptions: one unreadable
// file among many is reported in the summary while the rest are scanned.
import { stat } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import type FastGlob from 'fast-glob'
import { otherServiceOf } from '@registry-logscan/parser'
import { errorCode, errorMessage } from './describe-error.js'
import { orderRotations } from './order-rotations.js'

/** What `scan()` reads: a path, a glob, `-` (stdin), an array of those, a Node `Readable`, or an async iterable of lines/buffers. */
export type ScanInput = string | readonly string[] | Readable | AsyncIterable<string | Uint8Array>

/** One input after expansion. */
export type InputSpec =
  | { kind: 'file'; path: string; size: number }
  | { kind: 'stdin' }
  | { kind: 'stream'; name: string; stream: AsyncIterable<string | Uint8Array> }

/** An input that could not be read, with why; listed in the scan summary. */
export interface FailedInput {
  /** The path, glob or file as named (or as found inside a named directory). */
  input: string
  /** `ENOENT`, `EACCES`, `EISDIR`, `NO_FILES` (a glob or directory with nothing to read), `Z_BUF_ERROR` (truncated gzip), … */
  code: string
  message: string
}

/**
 * A file a directory or glob matched that the scan leaves out: the log of a GitLab service no rule reads
 * (`otherServiceOf`). Naming the file itself scans it.
 */
export interface SkippedInput {
  input: string
  /** The service the log belongs to (`gitaly`, `postgresql`, …). */
  service: string
}

/** svlogd's bookkeeping files sit beside `current`; they are not logs. Skipped only inside named directories. */
const SVLOGD_CONTROL_FILES = new Set(['lock', 'state', 'newstate', 'config'])

function isAsyncIterable(value: unknown): value is AsyncIterable<string | Uint8Array> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}

/** fast-glob is loaded on first use: a scan of named files or stdin never needs it (start-up time). */
async function loadGlob(): Promise<typeof FastGlob> {
  return (await import('fast-glob')).default
}

async function listDirectory(dir: string): Promise<string[]> {
  const fg = await loadGlob()
  const found = await fg('**/*', { cwd: dir, onlyFiles: true, dot: false, followSymbolicLinks: true, suppressErrors: true })
  const base = dir.endsWith('/') ? dir : `${dir}/`
  return found
    .filter((relative) => !SVLOGD_CONTROL_FILES.has(relative.slice(relative.lastIndexOf('/') + 1)))
    .sort()
    .map((relative) => base + relative)
}

/** What one named path or glob expands to. */
interface Expanded {
  files: string[]
  skipped: SkippedInput[]
}

/** Splits what a directory or glob matched into the files to read and the other services' logs. */
function sortOut(matched: readonly string[]): Expanded {
  const expanded: Expanded = { files: [], skipped: [] }
  for (const path of matched) {
    const service = otherServiceOf(path)
    if (service === undefined) expanded.files.push(path)
    else expanded.skipped.push({ input: path, service })
  }
  return expanded
}

/** Expands one named path or glob into file paths, or a failure. A directory or glob with only other services' logs is not a failure. */
async function expandName(name: string): Promise<Expanded | FailedInput> {
  let missing: unknown
  try {
    const info = await stat(name)
    if (!info.isDirectory()) return { files: [name], skipped: [] }
    const files = await listDirectory(name)
    return files.length > 0 ? sortOut(files) : { input: name, code: 'NO_FILES', message: `${name}: directory has no files to read` }
  } catch (error) {
    missing = error
  }
  const fg = await loadGlob()
  if (!fg.isDynamicPattern(name)) return { input: name, code: errorCode(missing), message: `${name}: ${errorMessage(missing)}` }
  const matched = (await fg(name, { onlyFiles: true, dot: false, suppressErrors: true })).sort()
  return matched.length > 0 ? sortOut(matched) : { input: name, code: 'NO_FILES', message: `${name}: no file matches this pattern` }
}

/** The inputs a scan reads, those it could not open, and those it leaves out. */
export interface OpenedInputs {
  inputs: InputSpec[]
  failed: FailedInput[]
  skipped: SkippedInput[]
}

/**
 * Expands `input` into the inputs to read. Files named by several globs are read once; within each rotation
 * family the oldest file comes first (see `orderRotations`). Inside directories and globs, logs of GitLab
 * services no rule reads are skipped; a file named on its own is always read.
 */
export async function openInputs(input: ScanInput): Promise<OpenedInputs> {
  if (typeof input !== 'string' && !Array.isArray(input)) {
    if (!isAsyncIterable(input)) return { inputs: [], failed: [{ input: 'stream', code: 'EINVAL', message: 'input is not readable' }], skipped: [] }
    return { inputs: [{ kind: 'stream', name: '-', stream: input }], failed: [], skipped: [] }
  }
  const names: readonly string[] = typeof input === 'string' ? [input] : (input as readonly string[])
  const failed: FailedInput[] = []
  const skipped = new Map<string, SkippedInput>()
  const paths: string[] = []
  let stdin = false
  for (const name of names.length > 0 ? names : ['-']) {
    if (name === '-') {
      stdin = true
      continue
    }
    const expanded = await expandName(name)
    if (!('files' in expanded)) {
      failed.push(expanded)
      continue
    }
    paths.push(...expanded.files)
    for (const each of expanded.skipped) skipped.set(each.input, each)
  }
  // A log both matched by a glob and named on its own is read.
  for (const path of paths) skipped.delete(path)
  const inputs: InputSpec[] = []
  for (const path of orderRotations([...new Set(paths)])) {
    try {
      const info = await stat(path)
      inputs.push({ kind: 'file', path, size: info.size })
    } catch (error) {
      failed.push({ input: path, code: errorCode(error), message: `${path}: ${errorMessage(error)}` })
    }
  }
  if (stdin) inputs.push({ kind: 'stdin' })
  return { inputs, failed, skipped: [...skipped.values()] }
}
