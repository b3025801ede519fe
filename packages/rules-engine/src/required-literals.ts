// What text a record must contain for a condition to hold, so records can be skipped before they become
// events. A requirement is a list of literals, any one of which must occur in the record's raw text;
// `undefined` means "no requirement" (anything may match). Being wrong here loses findings, so it is
// conservative:
// - Only fields whose value is copied verbatim from the line give literals (VERBATIM_FIELDS). Normalised
//   fields (`errorCode`, `level`, `route`, `status`, …) and derived ones (`repository`, `digest`) do not, and
//   neither do the open `fields.<key>` maps (JSON numbers are re-printed).
// - A literal is cut at characters a log format may escape (`"` `\` `<` `>` `&`, control and non-ASCII
//   characters: logfmt quoting, JSON, NGINX `\xNN`), and the longest remaining piece is kept.
// - Pieces shorter than MIN_LITERAL are dropped (they would pass nearly every line anyway).
// - `not`, `exists`, numeric comparisons, `cidr` and regexes with top-level alternation give no requirement.
import type { ConditionNames } from './compile-condition.js'
import { correlationsOf, type Condition, type Correlation, type Rule } from './rule-schema.js'

/** A string the record text must contain; `ignoreCase` literals are lower-case ASCII. */
export interface Literal {
  text: string
  ignoreCase: boolean
}

/** Any one of the literals must occur; `undefined`: no requirement. */
export type Requirement = readonly Literal[] | undefined

/** Fields whose values appear verbatim (up to escaping) in the record text the prefilter sees. */
export const VERBATIM_FIELDS: ReadonlySet<string> = new Set([
  'raw', 'message', 'errorDetail', 'errorMessage', 'error', 'userAgent', 'referer', 'uri', 'path', 'url', 'request',
  'upstream', 'exceptionMessage', 'exceptionClass', 'backtrace', 'imageReference',
])

const MIN_LITERAL = 3

/** The requirement of a whole rule: its `match`, and at least one of its correlation conditions. */
export function ruleRequirement(rule: Rule, names: ConditionNames): Requirement {
  const correlation = correlationsOf(rule).flatMap(({ correlation: each }) => correlationConditions(each))
  const ofCorrelation = correlation.length === 0 ? undefined : anyOf(correlation.map((condition) => requiredLiterals(condition, names)))
  return best([rule.match === undefined ? undefined : requiredLiterals(rule.match, names), ofCorrelation])
}

/** The conditions of one correlation, in slot order (see compile-rules.ts); `undefined` = "every event". */
export function correlationConditions({ sequence, threshold, match }: Correlation): (Condition | undefined)[] {
  if (sequence !== undefined) {
    return [...sequence.steps.map((step) => step.match), sequence.until?.match, sequence.missing?.match].filter(
      (condition, index) => index < sequence.steps.length || condition !== undefined,
    )
  }
  if (threshold !== undefined) return [threshold.match]
  return [match]
}

export function requiredLiterals(condition: Condition | undefined, names: ConditionNames, depth = 0): Requirement {
  if (condition === undefined || depth > 64) return undefined
  if (condition.all !== undefined) return best(condition.all.map((child) => requiredLiterals(child, names, depth + 1)))
  if (condition.any !== undefined) return anyOf(condition.any.map((child) => requiredLiterals(child, names, depth + 1)))
  if (condition.macro !== undefined) {
    return Object.hasOwn(names.macros, condition.macro) ? requiredLiterals(names.macros[condition.macro], names, depth + 1) : undefined
  }
  if (condition.field === undefined || !VERBATIM_FIELDS.has(condition.field)) return undefined
  const ignoreCase = condition.ignoreCase === true
  if (condition.equals !== undefined) return literalsOf([condition.equals], ignoreCase)
  if (condition.oneOf !== undefined) return literalsOf(condition.oneOf, ignoreCase)
  if (condition.inList !== undefined) {
    return Object.hasOwn(names.lists, condition.inList) ? literalsOf(names.lists[condition.inList] ?? [], ignoreCase) : undefined
  }
  for (const needles of [condition.contains, condition.startsWith, condition.endsWith]) {
    if (needles !== undefined) return literalsOf(typeof needles === 'string' ? [needles] : needles, ignoreCase)
  }
  if (condition.regex !== undefined) {
    const literal = regexLiteral(condition.regex)
    return literal === undefined ? undefined : literalsOf([literal], ignoreCase)
  }
  return undefined
}

function literalsOf(values: readonly (string | number | boolean)[], ignoreCase: boolean): Requirement {
  if (values.length === 0) return undefined
  const literals: Literal[] = []
  for (const value of values) {
    if (typeof value !== 'string') return undefined
    const piece = longestSafePiece(value)
    if (piece.length < MIN_LITERAL) return undefined
    literals.push({ text: ignoreCase ? piece.toLowerCase() : piece, ignoreCase })
  }
  return literals
}

/** The longest run of characters no log format escapes: printable ASCII except `"` `\` `<` `>` `&`. */
export function longestSafePiece(text: string): string {
  let bestStart = 0
  let bestLength = 0
  let start = 0
  for (let index = 0; index <= text.length; index++) {
    const code = index < text.length ? text.charCodeAt(index) : -1
    const safe = code >= 0x20 && code < 0x7f && code !== 0x22 && code !== 0x5c && code !== 0x3c && code !== 0x3e && code !== 0x26
    if (safe) continue
    if (index - start > bestLength) {
      bestStart = start
      bestLength = index - start
    }
    start = index + 1
  }
  return text.slice(bestStart, bestStart + bestLength)
}

/** All must hold: any one requirement suffices; keep the most selective (longest shortest literal, then fewest). */
function best(requirements: readonly Requirement[]): Requirement {
  let chosen: Requirement
  for (const requirement of requirements) {
    if (requirement === undefined) continue
    if (chosen === undefined || score(requirement) > score(chosen)) chosen = requirement
  }
  return chosen
}

function score(requirement: readonly Literal[]): number {
  const shortest = Math.min(...requirement.map((literal) => literal.text.length))
  return Math.min(shortest, 64) * 1_000 - requirement.length
}

/** One of them holds: every branch needs a requirement, and the union is required. */
function anyOf(requirements: readonly Requirement[]): Requirement {
  const union: Literal[] = []
  for (const requirement of requirements) {
    if (requirement === undefined) return undefined
    union.push(...requirement)
  }
  return union.length === 0 ? undefined : union
}

/** Escapes that are not the character itself: classes, assertions, control and code-point escapes, backreferences. */
const SPECIAL_ESCAPES = new Set('dDwWsSbBnrtfv0123456789kpPxuc')

/**
 * The longest literal every match of `pattern` contains, read from its top level only: groups, classes,
 * escapes like `\d`, `.` and anchors end a run; a character made optional by `?`, `*` or `{0,…}` is dropped.
 * A top-level `|` means no single literal is required.
 */
export function regexLiteral(pattern: string): string | undefined {
  const runs: string[] = []
  let run = ''
  const endRun = () => {
    if (run !== '') runs.push(run)
    run = ''
  }
  let index = 0
  while (index < pattern.length) {
    const char = pattern.charAt(index)
    if (char === '|') return undefined
    if (char === '\\') {
      const next = pattern.charAt(index + 1)
      if (SPECIAL_ESCAPES.has(next)) {
        endRun()
        index = skipQuantifier(pattern, skipEscape(pattern, index))
        continue
      }
      index = addLiteral(next, index + 2)
      continue
    }
    if (char === '(' || char === '[') {
      endRun()
      index = skipQuantifier(pattern, char === '(' ? skipGroup(pattern, index) : skipClass(pattern, index))
      continue
    }
    if ('.^$'.includes(char)) {
      endRun()
      index = skipQuantifier(pattern, index + 1)
      continue
    }
    if ('*+?{}'.includes(char)) return undefined // a quantifier with nothing before it: leave it to RegExp
    index = addLiteral(char, index + 1)
  }
  endRun()
  return runs.reduce<string | undefined>((longest, candidate) => (longest === undefined || candidate.length > longest.length ? candidate : longest), undefined)

  /** Adds a literal character at `next`, looking at the quantifier after it. */
  function addLiteral(char: string, next: number): number {
    const quantifier = pattern.charAt(next)
    if (quantifier === '?' || quantifier === '*' || (quantifier === '{' && /^\{0[,}]/.test(pattern.slice(next, next + 3)))) {
      endRun()
      return skipQuantifier(pattern, next)
    }
    run += char
    if (quantifier === '+' || quantifier === '{') {
      endRun()
      return skipQuantifier(pattern, next)
    }
    return next
  }
}

function skipQuantifier(pattern: string, index: number): number {
  let at = index
  const char = pattern.charAt(at)
  if (char === '*' || char === '+' || char === '?') at++
  else if (char === '{') {
    const close = pattern.indexOf('}', at)
    at = close === -1 ? pattern.length : close + 1
  } else return at
  return pattern.charAt(at) === '?' ? at + 1 : at
}

function skipGroup(pattern: string, open: number): number {
  let depth = 0
  for (let index = open; index < pattern.length; index++) {
    const char = pattern.charAt(index)
    if (char === '\\') index++
    else if (char === '[') index = skipClass(pattern, index) - 1
    else if (char === '(') depth++
    else if (char === ')' && --depth === 0) return index + 1
  }
  return pattern.length
}

/** In JS a `]` right after `[` closes the class (`[]` matches nothing), so the first unescaped `]` ends it. */
function skipClass(pattern: string, open: number): number {
  for (let index = open + 1; index < pattern.length; index++) {
    const char = pattern.charAt(index)
    if (char === '\\') index++
    else if (char === ']') return index + 1
  }
  return pattern.length
}

/** The index after the escape starting at `index` (a backslash followed by one of SPECIAL_ESCAPES). */
function skipEscape(pattern: string, index: number): number {
  const kind = pattern.charAt(index + 1)
  const after = index + 2
  if (kind === 'x') return after + 2
  if (kind === 'c') return after + 1
  if (kind === 'u') return pattern.charAt(after) === '{' ? skipTo(pattern, after, '}') : after + 4
  if (kind === 'k') return pattern.charAt(after) === '<' ? skipTo(pattern, after, '>') : after
  if (kind === 'p' || kind === 'P') return pattern.charAt(after) === '{' ? skipTo(pattern, after, '}') : after
  let end = after
  if (/[0-9]/.test(kind)) while (/[0-9]/.test(pattern.charAt(end))) end++
  return end
}

function skipTo(pattern: string, from: number, close: string): number {
  const at = pattern.indexOf(close, from)
  return at === -1 ? pattern.length : at + 1
}
