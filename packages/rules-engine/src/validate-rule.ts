// Checks that need more than the schema: every field a rule names exists for its sources, macros and lists
// exist (and macros do not loop), regexes are provably linear, CIDRs parse, and the file is named for the id.
import { basename, extname } from 'node:path'
import ipaddr from 'ipaddr.js'
import { isSourceId, SOURCE_IDS, type SourceId } from '@registry-logscan/parser'
import { checkRegex } from './check-regex.js'
import { RuleFileError, type RuleFileErrorCode } from './errors.js'
import { checkFieldPath } from './field-path.js'
import { correlationsOf, sequenceExtras } from './correlations-of.js'
import type { Condition, Correlation, ListValues, RuleDefinition } from './rule-schema.js'

/** Named macros and lists visible to the rules of one load. */
export interface RuleNames {
  macros: ReadonlyMap<string, Condition>
  lists: ReadonlyMap<string, ListValues>
}

class Problem {
  constructor(
    readonly code: RuleFileErrorCode,
    readonly path: string,
    readonly reason: string,
  ) {}
}

/** Throws a RuleFileError for the first problem of `rule`, loaded from `file`. */
export function validateRule(rule: RuleDefinition, file: string, names: RuleNames): void {
  const fail = (problem: Problem): never => {
    throw new RuleFileError({ code: problem.code, file, ruleId: rule.id, path: problem.path, reason: problem.reason })
  }
  const expected = basename(file, extname(file))
  if (expected !== rule.id) fail(new Problem('RLS_RULE_INVALID', 'id', `the id must equal the file name "${expected}"`))
  const problem = findRuleProblem(rule, names)
  if (problem !== undefined) fail(problem)
}

/** Checks a macro's own content (regexes, CIDRs) when its file is loaded; fields are checked per using rule. */
export function validateMacro(name: string, condition: Condition, file: string): void {
  const problem = findConditionProblem(condition, `macros.${name}`, undefined, { macros: new Map(), lists: new Map() }, [])
  if (problem !== undefined) throw new RuleFileError({ code: problem.code, file, path: problem.path, reason: problem.reason })
}

function findRuleProblem(rule: RuleDefinition, names: RuleNames): Problem | undefined {
  const { sources } = rule
  const condition = (value: Condition | undefined, path: string) =>
    value === undefined ? undefined : findConditionProblem(value, path, sources, names, [])
  const fields = (paths: readonly string[] | undefined, path: string) =>
    (paths ?? []).map((field, index) => fieldProblem(field, `${path}[${index}]`, sources)).find((found) => found !== undefined)
  return (
    condition(rule.match, 'match') ??
    fields(rule.fold.by, 'fold.by') ??
    templateProblem(rule.message, sources) ??
    correlationsOf(rule)
      .map(({ correlation, path }) => correlationProblem(correlation, path))
      .find((found) => found !== undefined)
  )

  function correlationProblem({ sequence, threshold, match }: Correlation, at: string): Problem | undefined {
    return (
      condition(match, `${at}.match`) ??
      (sequence === undefined
      ? undefined
      : (fields(sequence.by, `${at}.sequence.by`) ??
        sequence.steps
          .map((step, index) => {
            const stepPath = `${at}.sequence.steps[${index}]`
            return fields(step.by, `${stepPath}.by`) ?? condition(step.match, `${stepPath}.match`)
          })
          .find((found) => found !== undefined) ??
        sequenceExtras(sequence)
          .map(({ role, match }) => condition(match, `${at}.sequence.${role}.match`))
          .find((found) => found !== undefined))) ??
    (threshold === undefined
      ? undefined
      : (fields(threshold.by, `${at}.threshold.by`) ??
        (threshold.distinct === undefined ? undefined : fieldProblem(threshold.distinct, `${at}.threshold.distinct`, sources)) ??
        condition(threshold.match, `${at}.threshold.match`)))
    )
  }
}

function fieldProblem(field: string, path: string, sources: readonly SourceId[] | undefined): Problem | undefined {
  if (sources === undefined || sources.length === 0) return undefined
  const reason = checkFieldPath(field, sources)
  return reason === undefined ? undefined : new Problem('RLS_RULE_INVALID', path, reason)
}

/** `{name}` / `{a|b}` placeholders in the message must be fields of the rule's sources, or `count`. */
function templateProblem(message: string, sources: readonly SourceId[]): Problem | undefined {
  for (const [, names] of message.matchAll(/\{([^{}\s]{1,200})\}/g)) {
    for (const name of names?.split('|') ?? []) {
      if (name === 'count') continue
      const problem = fieldProblem(name, 'message', sources)
      if (problem !== undefined) return new Problem(problem.code, 'message', `{${name}}: ${problem.reason}`)
    }
  }
  return undefined
}

/** `sources` undefined: a macro checked on its own, before any rule uses it (fields and names not checked). */
function findConditionProblem(
  condition: Condition,
  path: string,
  sources: readonly SourceId[] | undefined,
  names: RuleNames,
  macroStack: readonly string[],
): Problem | undefined {
  const nested = (child: Condition, childPath: string) => findConditionProblem(child, childPath, sources, names, macroStack)
  if (condition.all !== undefined) {
    // `all: [{ field: source, equals: registry }, { field: access, … }]` reads `access` of registry events only:
    // its siblings' fields are checked against the sources it leaves. A branch no source of the rule can reach
    // (the registry half of the shipped `request-line` macro in an NGINX-only rule) has no field to check, but
    // its regexes, macros, lists and ranges are still checked like any other.
    const reachable = sources === undefined ? undefined : sourcesAllowed(condition.all, sources)
    return firstProblem(condition.all, (child, index) => findConditionProblem(child, `${path}.all[${index}]`, reachable, names, macroStack))
  }
  if (condition.any !== undefined) return firstProblem(condition.any, (child, index) => nested(child, `${path}.any[${index}]`))
  if (condition.not !== undefined) return nested(condition.not, `${path}.not`)
  if (condition.macro !== undefined) {
    if (sources === undefined) return undefined
    const macro = names.macros.get(condition.macro)
    if (macro === undefined) return new Problem('RLS_RULE_INVALID', `${path}.macro`, `unknown macro "${condition.macro}"${known(names.macros)}`)
    if (macroStack.includes(condition.macro)) {
      return new Problem('RLS_RULE_INVALID', `${path}.macro`, `macro "${condition.macro}" uses itself (${[...macroStack, condition.macro].join(' → ')})`)
    }
    const inner = findConditionProblem(macro, `${path}.macro`, sources, names, [...macroStack, condition.macro])
    return inner === undefined ? undefined : new Problem(inner.code, inner.path, `in macro "${condition.macro}": ${inner.reason}`)
  }
  if (condition.field === undefined) return undefined
  return (
    sourceValueProblem(condition, path) ??
    fieldProblem(condition.field, `${path}.field`, sources) ??
    listProblem(condition, path, sources, names) ??
    regexProblem(condition, path) ??
    cidrProblem(condition.cidr, `${path}.cidr`)
  )
}

/** A `source` compared with a name no source has (a typo would silently disable its branch). */
function sourceValueProblem({ field, equals, oneOf }: Condition, path: string): Problem | undefined {
  if (field !== 'source') return undefined
  const values = equals !== undefined ? [equals] : (oneOf ?? [])
  const unknown = values.find((value) => typeof value !== 'string' || !isSourceId(value))
  if (unknown === undefined) return undefined
  return new Problem('RLS_RULE_INVALID', `${path}.${equals !== undefined ? 'equals' : 'oneOf'}`, `"${String(unknown)}" is not a source (${SOURCE_IDS.join(', ')})`)
}

/** The sources an `all` list can match: the rule's, narrowed by its `source` equals / oneOf conditions. */
function sourcesAllowed(conditions: readonly Condition[], sources: readonly SourceId[]): readonly SourceId[] {
  let allowed = sources
  for (const { field, equals, oneOf } of conditions) {
    if (field !== 'source') continue
    const named = typeof equals === 'string' ? [equals] : Array.isArray(oneOf) ? oneOf.filter((value) => typeof value === 'string') : undefined
    if (named !== undefined) allowed = allowed.filter((source) => named.includes(source))
  }
  return allowed
}

function listProblem(condition: Condition, path: string, sources: readonly SourceId[] | undefined, names: RuleNames): Problem | undefined {
  if (condition.inList === undefined || sources === undefined || names.lists.has(condition.inList)) return undefined
  return new Problem('RLS_RULE_INVALID', `${path}.inList`, `unknown list "${condition.inList}"${known(names.lists)}`)
}

function regexProblem(condition: Condition, path: string): Problem | undefined {
  if (condition.regex === undefined) return undefined
  const verdict = checkRegex(condition.regex, condition.ignoreCase === true ? 'i' : '')
  return verdict === undefined ? undefined : new Problem('RLS_RULE_UNSAFE_REGEX', `${path}.regex`, verdict)
}

function cidrProblem(cidr: string | string[] | undefined, path: string): Problem | undefined {
  if (cidr === undefined) return undefined
  const ranges = typeof cidr === 'string' ? [cidr] : cidr
  for (const [index, range] of ranges.entries()) {
    if (!ipaddr.isValidCIDR(range)) {
      return new Problem('RLS_RULE_INVALID', typeof cidr === 'string' ? path : `${path}[${index}]`, `"${range}" is not a CIDR range`)
    }
  }
  return undefined
}

function firstProblem<T>(items: readonly T[], check: (item: T, index: number) => Problem | undefined): Problem | undefined {
  for (const [index, item] of items.entries()) {
    const problem = check(item, index)
    if (problem !== undefined) return problem
  }
  return undefined
}

function known(names: ReadonlyMap<string, unknown>): string {
  return names.size === 0 ? ' (no macros/*.yaml defines any)' : ` (known: ${[...names.keys()].join(', ')})`
}
