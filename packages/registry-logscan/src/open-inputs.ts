// Turns what the caller named (paths, globs, directories, `-`, streams) into the list of inputs a scan reads,
// in the order their lines were written. Problems are values (`FailedInput`), never exceptions: one unreadable
// file among many is reported in the summary while the rest are scanned.
import { stat } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import type FastGlob from 'fast-glob'
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

/** Expands one named path or glob into file paths, or a failure. */
async function expandName(name: string): Promise<string[] | FailedInput> {
  let missing: unknown
  try {
    const info = await stat(name)
    if (!info.isDirectory()) return [name]
    const files = await listDirectory(name)
    return files.length > 0 ? files : { input: name, code: 'NO_FILES', message: `${name}: directory has no files to read` }
  } catch (error) {
    missing = error
  }
  const fg = await loadGlob()
  if (!fg.isDynamicPattern(name)) return { input: name, code: errorCode(missing), message: `${name}: ${errorMessage(missing)}` }
  const matched = (await fg(name, { onlyFiles: true, dot: false, suppressErrors: true })).sort()
  return matched.length > 0 ? matched : { input: name, code: 'NO_FILES', message: `${name}: no file matches this pattern` }
}

/**
 * Expands `input` into the inputs to read. Files named by several globs are read once; within each rotation
 * family the oldest file comes first (see `orderRotations`).
 */
export async function openInputs(input: ScanInput): Promise<{ inputs: InputSpec[]; failed: FailedInput[] }> {
  if (typeof input !== 'string' && !Array.isArray(input)) {
    if (!isAsyncIterable(input)) return { inputs: [], failed: [{ input: 'stream', code: 'EINVAL', message: 'input is not readable' }] }
    return { inputs: [{ kind: 'stream', name: '-', stream: input }], failed: [] }
  }
  const names: readonly string[] = typeof input === 'string' ? [input] : (input as readonly string[])
  const failed: FailedInput[] = []
  const paths: string[] = []
  let stdin = false
  for (const name of names.length > 0 ? names : ['-']) {
    if (name === '-') {
      stdin = true
      continue
    }
    const expanded = await expandName(name)
    if (Array.isArray(expanded)) paths.push(...expanded)
    else failed.push(expanded)
  }
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
  return { inputs, failed }
}
