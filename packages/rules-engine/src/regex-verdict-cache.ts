// Proving a regex linear costs recheck a worker start-up plus analysis — about 0.3 s for the catalogue,
// most of a one-line scan's run time. A pattern's verdict never changes, so patterns proven safe are
// remembered in the user's cache directory and the proof runs once per pattern, not once per process.
// Only "safe" is cached: a refusal is always re-explained. The key includes the checker version, so an
// upgrade re-proves everything.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

const CACHE_VERSION = 'recheck-4.5-automaton-v1'
const MAX_ENTRIES = 10_000

function cacheFile(): string | undefined {
  if (process.env.REGISTRY_LOGSCAN_NO_CACHE !== undefined) return undefined
  const base = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache')
  return join(base, 'registry-logscan', 'regex-verdicts.json')
}

let known: Set<string> | undefined
let added = false

function keyOf(pattern: string, flags: string): string {
  return createHash('sha256').update(`${CACHE_VERSION}\0${flags}\0${pattern}`).digest('hex')
}

function load(): Set<string> {
  if (known !== undefined) return known
  known = new Set()
  const file = cacheFile()
  if (file === undefined) return known
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
    if (Array.isArray(parsed)) for (const key of parsed.slice(0, MAX_ENTRIES)) if (typeof key === 'string') known.add(key)
  } catch {
    // No cache yet, or an unreadable one: prove everything again.
  }
  return known
}

/** Whether `pattern` was proven safe by an earlier run. */
export function isKnownSafe(pattern: string, flags: string): boolean {
  return load().has(keyOf(pattern, flags))
}

/** Remembers a pattern proven safe; written out by `saveRegexVerdicts`. */
export function rememberSafe(pattern: string, flags: string): void {
  const set = load()
  if (set.size >= MAX_ENTRIES) return
  const key = keyOf(pattern, flags)
  if (!set.has(key)) {
    set.add(key)
    added = true
  }
}

/** Writes new verdicts to the cache file (atomically); failures are ignored — the cache is only a speed-up. */
export function saveRegexVerdicts(): void {
  const file = cacheFile()
  if (!added || file === undefined || known === undefined) return
  try {
    mkdirSync(join(file, '..'), { recursive: true })
    const temporary = `${file}.${process.pid}.tmp`
    writeFileSync(temporary, JSON.stringify([...known]))
    renameSync(temporary, file)
    added = false
  } catch {
    // Read-only home, full disk: the next run proves again.
  }
}
