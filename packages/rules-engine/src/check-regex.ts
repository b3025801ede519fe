// Rule regexes are untrusted and run on attacker-controlled log lines: each one is proven linear by
// recheck before it is compiled. The automaton checker goes first: it decides the regular subset exactly
// and fast, where recheck's default would fuzz patterns with bounded repeats (`[^\n]{0,200}`) and
// report their bounded cost as polynomial. Patterns it cannot analyse (lookaround, backreferences, huge
// automata) go to the default checker with a timeout. Anything not called safe is refused with the reason.
import { createRequire } from 'node:module'
import type * as Recheck from 'recheck'
import { isKnownSafe, rememberSafe } from './regex-verdict-cache.js'

// recheck is loaded on the first pattern the verdict cache does not know: it costs ~35 MB of memory and
// ~100 ms of start-up, which a CLI run whose patterns were all proven before (the usual case) never pays.
let loadedCheckSync: typeof Recheck.checkSync | undefined
function checkSync(...args: Parameters<typeof Recheck.checkSync>): Recheck.Diagnostics {
  loadedCheckSync ??= (createRequire(import.meta.url)('recheck') as typeof Recheck).checkSync
  return loadedCheckSync(...args)
}

/** Milliseconds recheck may spend on one pattern. */
const CHECK_TIMEOUT_MS = 2_000

/** The verdict on one pattern: `undefined` when it is safe, else why it is refused. */
export type RegexVerdict = string | undefined

const verdicts = new Map<string, RegexVerdict>()

/** Checks a rule regex (JS syntax, `flags` `''` or `'i'`); returns why it is unsafe, or `undefined` when safe. */
export function checkRegex(pattern: string, flags: string): RegexVerdict {
  const key = `${flags}/${pattern}`
  if (verdicts.has(key)) return verdicts.get(key)
  const verdict = isKnownSafe(pattern, flags) ? undefined : judge(pattern, flags)
  if (verdict === undefined) rememberSafe(pattern, flags)
  verdicts.set(key, verdict)
  return verdict
}

function judge(pattern: string, flags: string): RegexVerdict {
  try {
    new RegExp(pattern, flags)
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message}`
  }
  let diagnostics: Recheck.Diagnostics
  try {
    diagnostics = checkSync(pattern, flags, { timeout: CHECK_TIMEOUT_MS, checker: 'automaton' })
    if (diagnostics.status === 'unknown') diagnostics = checkSync(pattern, flags, { timeout: CHECK_TIMEOUT_MS })
  } catch (error) {
    return `could not be checked for catastrophic backtracking: ${(error as Error).message}`
  }
  switch (diagnostics.status) {
    case 'safe':
      return undefined
    case 'vulnerable':
      return `can backtrack without bound (${diagnostics.complexity.summary}); attack string: ${diagnostics.attack.pattern}`
    case 'unknown': {
      const { error } = diagnostics
      const detail = 'message' in error ? `${error.kind}: ${error.message}` : error.kind
      const hint = /\(\?<[=!]|\\[1-9]|\\k</.test(pattern) ? ' (lookbehind and backreferences cannot be proven safe; rewrite without them)' : ''
      return `could not be proven safe (${detail})${hint}`
    }
  }
}
