// The options `scan()` and `createScanner()` accept, and how they become loaded rules.
import type { ParseOutput, SourceId } from '@registry-logscan/parser'
import { loadRules, type RuleSet } from '@registry-logscan/rules-engine'
import type { Logger } from 'pino'
import { defaultRules } from './default-rules.js'

/** Options of `scan()` and `createScanner()`. Every field is optional. */
export interface ScanOptions {
  /**
   * Rule directories to load (later ones replace rules with the same id), or an already loaded `RuleSet`.
   * Default: `[defaultRules()]`, the shipped catalogue. `[]` loads no rules: only parsing and counting run.
   */
  rules?: readonly string[] | RuleSet
  /** Run only these rule ids. */
  only?: readonly string[]
  /** Skip these rule ids. */
  disable?: readonly string[]
  /** Force every input's source instead of detecting it per file and per line. */
  source?: SourceId
  /**
   * Worker threads that parse and match files read once (correlation stays on the calling thread). Default: one
   * per core (up to 8) when the files total 64 MB or more, else none; `0` keeps everything on the calling thread.
   * Streams and followed files are always read on the calling thread. Output does not depend on the count.
   */
  workers?: number
  /** Keep reading files as they grow, across rotation (like `tail -F`), until `signal` aborts. Default false. */
  follow?: boolean
  /** Lines longer than this many bytes are counted as oversized and not parsed. Default 65536 (the parser's). */
  maxLineLength?: number
  /** Stops the scan: reading ends, findings in flight are delivered, and the summary says `interrupted`. */
  signal?: AbortSignal
  /** A pino logger for the library's own diagnostics (debug level). Nothing is logged without one. */
  logger?: Logger
  /** Called with every parser output (events, unparsed and oversized lines), in input order. Used by `parse`. */
  onEvent?: (output: ParseOutput) => void
  /** Unparsed lines kept per source and reason for `summary.unparsedSamples`. Default 3. */
  unparsedSamples?: number
}

function isRuleSet(rules: ScanOptions['rules']): rules is RuleSet {
  return rules !== undefined && !Array.isArray(rules)
}

/** The rule set a scan runs, or `undefined` when no rules were asked for (`rules: []`). Throws `RuleFileError`. */
export async function resolveRules(options: ScanOptions): Promise<RuleSet | undefined> {
  if (isRuleSet(options.rules)) return options.rules
  const dirs = options.rules ?? [defaultRules()]
  if (dirs.length === 0) return undefined
  return loadRules([...dirs], {
    ...(options.only !== undefined && options.only.length > 0 && { only: [...options.only] }),
    ...(options.disable !== undefined && options.disable.length > 0 && { disable: [...options.disable] }),
  })
}
