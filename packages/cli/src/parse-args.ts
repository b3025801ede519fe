// argv → a command, with every usage error found before anything runs. The flags are fixed by
// ../../../shared/spec/cli-contract.md; `node:util` parseArgs does the tokenising.
import { parseArgs as parseArgv } from 'node:util'
import { SEVERITIES, SOURCE_IDS, type Severity, type SourceId } from 'registry-logscan'

/** Output formats: text for people, ndjson as findings happen, json as one document at the end. */
export type OutputFormat = 'text' | 'ndjson' | 'json'
const FORMATS: readonly OutputFormat[] = ['text', 'ndjson', 'json']

/** Options shared by scanning and `parse`. */
export interface ScanFlags {
  inputs: string[]
  format: OutputFormat
  rules: string[]
  only: string[]
  disable: string[]
  /** Without it the scan is a report, not a gate: findings do not change the exit code. */
  failOn?: Severity
  follow: boolean
  workers?: number
  summary: boolean
  source?: SourceId
  color: boolean
  maxLineLength?: number
}

export type Command =
  | { kind: 'scan'; flags: ScanFlags }
  | { kind: 'parse'; flags: ScanFlags }
  | { kind: 'rules-list'; flags: ScanFlags }
  | { kind: 'rules-show'; id: string; flags: ScanFlags }
  | { kind: 'rules-test'; dirs: string[]; flags: ScanFlags }
  | { kind: 'help' }
  | { kind: 'version' }

/** A command line that cannot run; the CLI prints the message and exits 2. */
export class UsageError extends Error {
  readonly code = 'RLS_USAGE'
  override readonly name = 'UsageError'
}

const OPTIONS = {
  format: { type: 'string' },
  rules: { type: 'string', multiple: true },
  only: { type: 'string', multiple: true },
  disable: { type: 'string', multiple: true },
  'fail-on': { type: 'string' },
  follow: { type: 'boolean', short: 'f' },
  workers: { type: 'string' },
  summary: { type: 'boolean' },
  source: { type: 'string' },
  'no-color': { type: 'boolean' },
  'max-line-length': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got "${value}")`)
}

function count(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined
  const parsed = Number(value)
  if (!/^\d+$/.test(value) || parsed < min) throw new UsageError(`--${flag} must be a whole number ≥ ${min} (got "${value}")`)
  return parsed
}

/**
 * `--only a,b --only c` → `[a, b, c]`. A flag given with no id at all (`--only "$EMPTY"`) is an error: read as
 * "no filter" it would run every rule when the caller meant a few.
 */
function idList(flag: string, values: readonly string[] | undefined): string[] {
  const ids = (values ?? []).flatMap((value) => value.split(',')).map((id) => id.trim()).filter((id) => id !== '')
  if (values !== undefined && ids.length === 0) throw new UsageError(`--${flag} needs at least one rule id (see: registry-logscan rules list)`)
  return ids
}

/** Reads argv (without `node` and the script). Throws `UsageError` for anything the contract does not allow. */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Command {
  let parsed
  try {
    parsed = parseArgv({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  const { values, positionals } = parsed
  if (values.help === true) return { kind: 'help' }
  if (values.version === true) return { kind: 'version' }
  const workers = count('workers', values.workers, 0)
  const maxLineLength = count('max-line-length', values['max-line-length'], 1)
  const source = values.source === undefined ? undefined : oneOf('source', values.source, SOURCE_IDS, 'registry')
  const flags: ScanFlags = {
    inputs: [],
    format: oneOf('format', values.format, FORMATS, 'text'),
    rules: values.rules ?? [],
    only: idList('only', values.only),
    disable: idList('disable', values.disable),
    ...(values['fail-on'] !== undefined && { failOn: oneOf('fail-on', values['fail-on'], SEVERITIES, 'info') }),
    follow: values.follow === true,
    summary: values.summary === true,
    // NO_COLOR (no-color.org) wins over FORCE_COLOR; a TTY check happens where the stream is known.
    color: values['no-color'] !== true && (env.NO_COLOR ?? '') === '',
    ...(workers !== undefined && { workers }),
    ...(source !== undefined && { source }),
    ...(maxLineLength !== undefined && { maxLineLength }),
  }
  const [first, ...rest] = positionals
  if (first === 'parse') return { kind: 'parse', flags: { ...flags, inputs: rest } }
  if (first === 'rules') {
    const [action, ...args] = rest
    if (action === 'list' && args.length === 0) return { kind: 'rules-list', flags }
    if (action === 'show' && args.length === 1 && args[0] !== undefined) return { kind: 'rules-show', id: args[0], flags }
    if (action === 'test') return { kind: 'rules-test', dirs: args, flags }
    throw new UsageError('usage: registry-logscan rules list | rules show ID | rules test [DIR…]')
  }
  return { kind: 'scan', flags: { ...flags, inputs: positionals } }
}
