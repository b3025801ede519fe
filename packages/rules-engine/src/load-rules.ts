// Loading rule directories: macros first (every dir's `macros/*.yaml`, later dirs replacing earlier names),
// then each dir's rule files, each read safely, schema-checked and validated. Any problem throws a
// RuleFileError, so nothing is scanned with a half-valid rule set; every rule file is checked first, and the
// error thrown carries the problems of the other files in `others`. A later dir replaces an earlier dir's
// rule of the same id (that is how `--rules DIR` overrides the shipped catalogue); within one dir an id
// may appear only once.
import { readdir } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import type { z } from 'zod'
import { RuleFileError, formatFieldPath } from './errors.js'
import { readRuleFile } from './read-rule-file.js'
import { macrosFileSchema, ruleSchema, type Condition, type ListValues, type Rule } from './rule-schema.js'
import { validateMacro, validateRule, type RuleNames } from './validate-rule.js'
import { saveRegexVerdicts } from './regex-verdict-cache.js'

/** Rules ready to compile, with the macros and lists they may refer to. Plain data (structured-clonable). */
export interface RuleSet {
  rules: readonly Rule[]
  /** The directories loaded, in order. */
  dirs: readonly string[]
  /** Named conditions from `<dir>/macros/*.yaml`. Omitted when none. */
  macros?: Readonly<Record<string, Condition>>
  /** Named lists from `<dir>/macros/*.yaml`. Omitted when none. */
  lists?: Readonly<Record<string, ListValues>>
}

export interface LoadRulesOptions {
  /** Keep only these ids (an unknown id is an error). */
  only?: readonly string[]
  /** Drop these ids (an unknown id is an error). */
  disable?: readonly string[]
}

const RULE_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])

/**
 * Loads and validates every rule of `dirs`. Throws a `RuleFileError` for the first problem, with the problems
 * of the other rule files in its `others` (a broken macros file stops at once: every rule depends on it).
 */
export async function loadRules(dirs: readonly string[], options: LoadRulesOptions = {}): Promise<RuleSet> {
  const names: { macros: Map<string, Condition>; lists: Map<string, ListValues> } = { macros: new Map(), lists: new Map() }
  for (const dir of dirs) await loadMacros(join(dir, 'macros'), names)
  const byId = new Map<string, Rule>()
  const problems: RuleFileError[] = []
  for (const dir of dirs) {
    const seen = new Map<string, string>()
    const files = await listRuleFiles(dir, true)
    // Read side by side (read one after another, the file system round trips were most of a one-line scan's
    // rule loading), then taken in file order, so ids and errors come out the same whatever finished first.
    const loaded = await Promise.allSettled(files.map((file) => loadRuleFile(file, names)))
    for (const [index, file] of files.entries()) {
      const outcome = loaded[index] as PromiseSettledResult<Rule>
      if (outcome.status === 'rejected') {
        if (!(outcome.reason instanceof RuleFileError)) throw outcome.reason
        problems.push(outcome.reason)
        continue
      }
      const rule = outcome.value
      const earlier = seen.get(rule.id)
      if (earlier !== undefined) {
        problems.push(new RuleFileError({ code: 'RLS_RULE_DUPLICATE', file, ruleId: rule.id, path: 'id', reason: `the id is already defined by ${earlier}` }))
        continue
      }
      seen.set(rule.id, file)
      byId.set(rule.id, rule)
    }
  }
  const [first, ...others] = problems
  if (first !== undefined) {
    first.others = others
    throw first
  }
  const rules = selectRules([...byId.values()], options)
  saveRegexVerdicts()
  return {
    rules,
    dirs: [...dirs],
    ...(names.macros.size > 0 && { macros: Object.fromEntries(names.macros) }),
    ...(names.lists.size > 0 && { lists: Object.fromEntries(names.lists) }),
  }
}

/** Reads and validates one rule file against the macros and lists known so far. */
export async function loadRuleFile(file: string, names: RuleNames): Promise<Rule> {
  const content = await readRuleFile(file)
  const ruleId = guessRuleId(content, file)
  const parsed = ruleSchema.safeParse(content)
  if (!parsed.success) throw schemaError(parsed.error, file, ruleId)
  validateRule(parsed.data, file, names)
  return { ...parsed.data, file }
}

async function loadMacros(dir: string, names: { macros: Map<string, Condition>; lists: Map<string, ListValues> }): Promise<void> {
  for (const file of await listRuleFiles(dir, false)) {
    const parsed = macrosFileSchema.safeParse(await readRuleFile(file))
    if (!parsed.success) throw schemaError(parsed.error, file, undefined)
    for (const [name, values] of Object.entries(parsed.data.lists ?? {})) names.lists.set(name, values)
    for (const [name, condition] of Object.entries(parsed.data.macros ?? {})) {
      validateMacro(name, condition, file)
      names.macros.set(name, condition)
    }
  }
}

/** Rule files directly in `dir`, sorted; generated `*.schema.json` files are not rules. */
async function listRuleFiles(dir: string, required: boolean): Promise<string[]> {
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    // `--rules my-rule.yaml`: one rule file named on its own (its `macros/` is then looked for in vain).
    if (code === 'ENOTDIR') {
      if (!required) return []
      if (RULE_EXTENSIONS.has(extname(dir))) return [dir]
      throw new RuleFileError({ code: 'RLS_RULE_UNREADABLE', file: dir, reason: 'neither a directory of rule files nor a rule file (.yaml, .yml, .json)' })
    }
    if (!required && code === 'ENOENT') return []
    throw new RuleFileError({ code: 'RLS_RULE_UNREADABLE', file: dir, reason: (error as Error).message })
  }
  const files = entries
    .filter((entry) => entry.isFile() && RULE_EXTENSIONS.has(extname(entry.name)) && !entry.name.endsWith('.schema.json'))
    .map((entry) => join(dir, entry.name))
    .sort()
  // A rules directory with nothing to load is a mistake (a wrong path, rules one level down): say so.
  if (required && files.length === 0) {
    throw new RuleFileError({ code: 'RLS_RULE_UNREADABLE', file: dir, reason: 'no rule files (.yaml, .yml, .json) directly in this directory' })
  }
  return files
}

function selectRules(rules: Rule[], options: LoadRulesOptions): Rule[] {
  const ids = new Set(rules.map((rule) => rule.id))
  for (const [option, list] of [['only', options.only], ['disable', options.disable]] as const) {
    const unknown = (list ?? []).filter((id) => !ids.has(id))
    if (unknown.length > 0) {
      throw new RuleFileError({
        code: 'RLS_RULE_UNKNOWN_ID', file: '', path: option, reason: `unknown rule id ${unknown.map((id) => `"${id}"`).join(', ')}`,
      })
    }
  }
  const only = options.only === undefined || options.only.length === 0 ? undefined : new Set(options.only)
  const disable = new Set(options.disable ?? [])
  return rules.filter((rule) => (only === undefined || only.has(rule.id)) && !disable.has(rule.id))
}

/** The id to name in errors: the file's `id` when it looks like one, else the file name. */
function guessRuleId(content: unknown, file: string): string {
  const id = typeof content === 'object' && content !== null && 'id' in content ? content.id : undefined
  return typeof id === 'string' && /^[a-z0-9-]{1,100}$/.test(id) ? id : basename(file, extname(file))
}

function schemaError(error: z.ZodError, file: string, ruleId: string | undefined): RuleFileError {
  const [first] = error.issues
  if (first === undefined) return new RuleFileError({ code: 'RLS_RULE_INVALID', file, ruleId, reason: 'invalid' })
  const { issue, path: issuePath } = closestIssue(first, [])
  let path = formatFieldPath(issuePath)
  let reason = issue.message.replace(/^Invalid input: /, '')
  if (issue.code === 'unrecognized_keys') {
    path = formatFieldPath([...issuePath, issue.keys[0] ?? ''])
    reason = 'unknown key (not an operator or field of the rule format, see RULE-FORMAT.md)'
  } else if (issue.code === 'invalid_union') {
    const expected = issue.errors.flatMap((branch) => branch.flatMap((inner) => (inner.code === 'invalid_type' ? [inner.expected] : [])))
    const received = /received (\w+)/.exec(issue.errors[0]?.[0]?.message ?? '')?.[1]
    if (expected.length > 0) reason = `expected ${expected.join(' or ')}${received === undefined ? '' : `, received ${received}`}`
  }
  return new RuleFileError({ code: 'RLS_RULE_INVALID', file, ruleId, path, reason })
}

type Issue = z.core.$ZodIssue

/**
 * For a union (`correlate: {…} | [{…}]`, `contains: string | string[]`), the problem inside the branch the
 * value was meant for — the one that did not fail on the value's type itself — rather than "invalid input".
 */
function closestIssue(issue: Issue, parentPath: readonly PropertyKey[]): { issue: Issue; path: PropertyKey[] } {
  const path = [...parentPath, ...issue.path]
  if (issue.code !== 'invalid_union') return { issue, path }
  const meant = issue.errors.filter((branch) => !branch.every((inner) => inner.code === 'invalid_type' && inner.path.length === 0))
  const [branch] = meant
  if (meant.length !== 1 || branch === undefined || branch[0] === undefined) return { issue, path }
  return closestIssue(branch[0], path)
}
