// What text a record must contain for a condition to hold, so records can be skipped before they become
// events. A condition maps to a *literal formula*: literals joined by `all` / `any` as the condition's own
// `all` / `any` are, where `undefined` means "no requirement" (anything may match). The formula is sound: if
// the condition holds for an event, the formula holds for the event's raw text. Being wrong here loses
// findings, so it is conservative:
// - Fields whose value is copied verbatim from the line (VERBATIM_FIELDS, and the strings of the open
//   `fields.<key>` maps) give their operand; fields the parsers derive give what their derivation needs
//   (derived-literals.ts). Other fields (`level`, `digest`, `clientAddress`, …) give nothing.
// - A literal is cut at characters a log format may escape (`"` `\` `<` `>` `&`, control and non-ASCII
//   characters: logfmt quoting, JSON, NGINX `\xNN`), and the longest remaining piece is kept.
// - Pieces shorter than MIN_LITERAL are dropped (they would pass nearly every line anyway).
// - `not`, `exists`, numeric comparisons and `cidr` give nothing; a regex gives one literal per top-level
//   alternative (regex-literal.ts).
// `gateOf` reduces a formula to one list of alternatives that is necessary on its own: the literal index
// looks a rule up by those, and only then evaluates the whole formula.
import type { ConditionNames } from './compile-condition.js'
import { DERIVED_FIELDS, derivedFormula } from './derived-literals.js'
import { regexAlternativeLiterals } from './regex-literal.js'
import { correlationsOf, sequenceExtras } from './correlations-of.js'
import type { Condition, Correlation, Rule } from './rule-schema.js'

/** A string the record text must contain; `ignoreCase` literals are lower-case ASCII. */
export interface Literal {
  text: string
  ignoreCase: boolean
  /** The literal is a number token: it counts only where no digit comes right before or after it. */
  wholeNumber?: boolean
}

/** Any one of the literals must occur; `undefined`: no requirement. */
export type Requirement = readonly Literal[] | undefined

/** Literals combined as the condition they come from; `undefined` (where a formula is optional) holds always. */
export type LiteralFormula = { literal: Literal } | { all: readonly LiteralFormula[] } | { any: readonly LiteralFormula[] }

/** Fields whose values appear verbatim (up to escaping) in the record text the prefilter sees. */
export const VERBATIM_FIELDS: ReadonlySet<string> = new Set([
  'raw', 'message', 'errorDetail', 'errorMessage', 'error', 'userAgent', 'referer', 'uri', 'path', 'url', 'request',
  'upstream', 'upstreamAddress', 'exceptionMessage', 'exceptionClass', 'backtrace', 'imageReference',
])

const MIN_LITERAL = 3
const MAX_DEPTH = 64
/** A `fields.<key>` string that looks like a number may be a re-printed JSON number (`1e3` → `1000`). */
const NUMERIC = /^[-+0-9.eE]+$/

/**
 * What the formulas may read. `derived: false` keeps to verbatim fields: for events that may not come from
 * the parser (built by hand, their `raw` need not show their derived fields); default true.
 */
export interface FormulaOptions {
  derived?: boolean
}

/** The formula of a whole rule: its `match`, and at least one of its correlation conditions. */
export function ruleFormula(rule: Rule, names: ConditionNames, options: FormulaOptions = {}): LiteralFormula | undefined {
  const correlation = correlationsOf(rule).flatMap(({ correlation: each }) => correlationConditions(each))
  const formulaOf = (condition: Condition | undefined) => conditionFormula(condition, names, 0, options)
  const ofCorrelation = correlation.length === 0 ? undefined : anyOf(correlation.map(formulaOf))
  return allOf([rule.match === undefined ? undefined : formulaOf(rule.match), ofCorrelation])
}

/** The necessary literals of a whole rule (see `gateOf`). */
export function ruleRequirement(rule: Rule, names: ConditionNames): Requirement {
  return gateOf(ruleFormula(rule, names))
}

/** The necessary literals of one condition (see `gateOf`). */
export function requiredLiterals(condition: Condition | undefined, names: ConditionNames): Requirement {
  return gateOf(conditionFormula(condition, names))
}

/** The conditions of one correlation, in slot order (see compile-rules.ts); `undefined` = "every event". */
export function correlationConditions({ sequence, threshold, match }: Correlation): (Condition | undefined)[] {
  if (sequence !== undefined) {
    return [...sequence.steps.map((step) => step.match), ...sequenceExtras(sequence).map((extra) => extra.match)]
  }
  if (threshold !== undefined) return [threshold.match]
  return [match]
}

export function conditionFormula(
  condition: Condition | undefined,
  names: ConditionNames,
  depth = 0,
  options: FormulaOptions = {},
): LiteralFormula | undefined {
  if (condition === undefined || depth > MAX_DEPTH) return undefined
  const child = (inner: Condition | undefined) => conditionFormula(inner, names, depth + 1, options)
  if (condition.all !== undefined) return allOf(condition.all.map(child))
  if (condition.any !== undefined) return anyOf(condition.any.map(child))
  if (condition.macro !== undefined) return Object.hasOwn(names.macros, condition.macro) ? child(names.macros[condition.macro]) : undefined
  const field = condition.field
  if (field === undefined) return undefined
  if (DERIVED_FIELDS.has(field)) return options.derived === false ? undefined : derivedFormula(condition, names)
  const openMap = field.startsWith('fields.')
  if (!openMap && !VERBATIM_FIELDS.has(field)) return undefined
  const ignoreCase = condition.ignoreCase === true
  const literals = (values: readonly (string | number | boolean)[]) => literalsOf(values, ignoreCase, openMap)
  if (condition.equals !== undefined) return literals([condition.equals])
  if (condition.oneOf !== undefined) return literals(condition.oneOf)
  if (condition.inList !== undefined) {
    return Object.hasOwn(names.lists, condition.inList) ? literals(names.lists[condition.inList] ?? []) : undefined
  }
  for (const needles of [condition.contains, condition.startsWith, condition.endsWith]) {
    if (needles !== undefined) return literals(typeof needles === 'string' ? [needles] : needles)
  }
  if (condition.regex !== undefined) {
    const alternatives = regexAlternativeLiterals(condition.regex)
    return alternatives === undefined ? undefined : literals(alternatives)
  }
  return undefined
}

function literalsOf(values: readonly (string | number | boolean)[], ignoreCase: boolean, openMap: boolean): LiteralFormula | undefined {
  if (values.length === 0) return undefined
  const literals: LiteralFormula[] = []
  for (const value of values) {
    if (typeof value !== 'string' || (openMap && NUMERIC.test(value))) return undefined
    const piece = longestSafePiece(value)
    if (piece.length < MIN_LITERAL) return undefined
    literals.push({ literal: { text: ignoreCase ? piece.toLowerCase() : piece, ignoreCase } })
  }
  return literals.length === 1 ? literals[0] : { any: literals }
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

/** Every part must hold: parts without a requirement drop out. */
export function allOf(parts: readonly (LiteralFormula | undefined)[]): LiteralFormula | undefined {
  const kept = parts.filter((part): part is LiteralFormula => part !== undefined)
  if (kept.length <= 1) return kept[0]
  return { all: kept }
}

/** One part holds: a part without a requirement makes the whole one hold always. */
export function anyOf(parts: readonly (LiteralFormula | undefined)[]): LiteralFormula | undefined {
  if (parts.length === 0 || parts.includes(undefined)) return undefined
  const kept = parts as readonly LiteralFormula[]
  return kept.length === 1 ? kept[0] : { any: kept }
}

/**
 * One list of literals, any of which the text must contain whenever `formula` holds: for `all`, the most
 * selective part's list (longest shortest literal, then fewest); for `any`, the union of the parts' lists.
 */
export function gateOf(formula: LiteralFormula | undefined): Requirement {
  if (formula === undefined) return undefined
  if ('literal' in formula) return [formula.literal]
  if ('any' in formula) {
    const union: Literal[] = []
    for (const part of formula.any) union.push(...(gateOf(part) ?? []))
    return dedupe(union)
  }
  let chosen: Requirement
  for (const part of formula.all) {
    const requirement = gateOf(part)
    if (requirement !== undefined && (chosen === undefined || score(requirement) > score(chosen))) chosen = requirement
  }
  return chosen
}

function score(requirement: readonly Literal[]): number {
  // A number token passes more lines than a word of the same length (timestamps, sizes, durations).
  const shortest = Math.min(...requirement.map((literal) => (literal.wholeNumber === true ? 1 : literal.text.length)))
  return Math.min(shortest, 64) * 1_000 - requirement.length
}

function dedupe(literals: readonly Literal[]): Literal[] {
  const seen = new Set<string>()
  return literals.filter((literal) => {
    const key = literalKey(literal)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** Identifies a literal: equal keys, same test. */
export function literalKey(literal: Literal): string {
  return `${literal.ignoreCase ? 'i' : 'c'}${literal.wholeNumber === true ? 'n' : 'w'}${literal.text}`
}
