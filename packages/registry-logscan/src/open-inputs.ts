// Turns what the caller named (paths, globs, directories, `-`, streams) into the list of inputs a scan reads,
// in the order their lines were written. Problems are values (`FailedInput`), never exceptions: one unreadable
// file among many is reported in the summary while the rest are scanned.
import { stat } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { otherServiceOf } from '@registry-logscan/parser'
import { errorCode, errorMessage } from './describe-error.js'
import { distinct, listDirectory, listGlob, loadGlob, realPath, type ListedFiles } from './list-files.js'
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

function isAsyncIterable(value: unknown): value is AsyncIterable<string | Uint8Array> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}

/** What one named path or glob expands to. */
interface Expanded {
  files: string[]
  skipped: SkippedInput[]
  /** Directories inside it that could not be listed. */
  failed: FailedInput[]
}

/** Splits what a directory or glob matched into the files to read and the other services' logs; unlistable directories fail. */
function sortOut({ files, unreadable }: ListedFiles): Expanded {
  const expanded: Expanded = { files: [], skipped: [], failed: [] }
  for (const { path, code, message } of unreadable) expanded.failed.push({ input: path, code, message })
  for (const path of files) {
    const service = otherServiceOf(path)
    if (service === undefined) expanded.files.push(path)
    else expanded.skipped.push({ input: path, service })
  }
  return expanded
}

/**
 * Expands one named path or glob into file paths, or a failure. A directory or glob with only other services'
 * logs is not a failure. With `follow`, a file that does not exist yet is kept: it is waited for, as `tail -F` does.
 */
async function expandName(name: string, follow: boolean): Promise<Expanded | FailedInput> {
  let missing: unknown
  try {
    const info = await stat(name)
    if (!info.isDirectory()) return { files: [name], skipped: [], failed: [] }
    const listed = await listDirectory(name)
    if (listed.files.length === 0 && listed.unreadable.length === 0) return { input: name, code: 'NO_FILES', message: `${name}: directory has no files to read` }
    return sortOut(listed)
  } catch (error) {
    missing = error
  }
  const fg = await loadGlob()
  if (!fg.isDynamicPattern(name)) {
    if (follow && errorCode(missing) === 'ENOENT') return { files: [name], skipped: [], failed: [] }
    return { input: name, code: errorCode(missing), message: `${name}: ${errorMessage(missing)}` }
  }
  const listed = await listGlob(name)
  if (listed.files.length === 0 && listed.unreadable.length === 0) return { input: name, code: 'NO_FILES', message: `${name}: no file matches this pattern` }
  return sortOut(listed)
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
 * services no rule reads are skipped; a file named on its own is always read. `follow`: a named file that does
 * not exist yet is an input (read once it appears), not a failure.
 */
export async function openInputs(input: ScanInput, options: { follow?: boolean } = {}): Promise<OpenedInputs> {
  const follow = options.follow === true
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
    const expanded = await expandName(name, follow)
    if (!('files' in expanded)) {
      failed.push(expanded)
      continue
    }
    paths.push(...expanded.files)
    failed.push(...expanded.failed)
    for (const each of expanded.skipped) skipped.set(each.input, each)
  }
  // A log both matched by a glob and named on its own (under any spelling) is read.
  const read = new Set(await Promise.all(paths.map(realPath)))
  for (const [input] of skipped) if (read.has(await realPath(input))) skipped.delete(input)
  const inputs: InputSpec[] = []
  // One file named twice, or under two spellings (a link, `./a.log` and `a.log`), is read once.
  for (const path of orderRotations(await distinct(paths))) {
    try {
      const info = await stat(path)
      inputs.push({ kind: 'file', path, size: info.size })
    } catch (error) {
      if (follow && errorCode(error) === 'ENOENT') inputs.push({ kind: 'file', path, size: 0 })
      else failed.push({ input: path, code: errorCode(error), message: `${path}: ${errorMessage(error)}` })
    }
  }
  if (stdin) inputs.push({ kind: 'stdin' })
  return { inputs, failed, skipped: [...skipped.values()] }
}
