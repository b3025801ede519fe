// Every problem with a rule or macros file is one RuleFileError, thrown by `loadRules` before any scan starts.
// The message is what the CLI prints (exit code 2), so it always names the file, the rule and the field path.

/** Why a rule file was refused. */
export type RuleFileErrorCode =
  /** The file could not be read (missing directory, permissions). */
  | 'RLS_RULE_UNREADABLE'
  /** The file is larger than the loader accepts. */
  | 'RLS_RULE_TOO_LARGE'
  /** Not valid YAML/JSON, or uses tags, anchors/aliases, or is nested too deeply. */
  | 'RLS_RULE_YAML'
  /** A `__proto__`, `constructor` or `prototype` key. */
  | 'RLS_RULE_UNSAFE_KEY'
  /** The content does not follow the rule format (schema, fields, sources, macros, lists, examples). */
  | 'RLS_RULE_INVALID'
  /** A `regex` that can backtrack without bound, or one the checker could not prove safe. */
  | 'RLS_RULE_UNSAFE_REGEX'
  /** Two files in one directory define the same id. */
  | 'RLS_RULE_DUPLICATE'
  /** `only` / `disable` names an id no loaded rule has. */
  | 'RLS_RULE_UNKNOWN_ID'

/** What the error is about; `path` is the field path inside the file (`match.all[1].equals`). */
export interface RuleFileErrorDetails {
  code: RuleFileErrorCode
  file: string
  ruleId?: string | undefined
  path?: string | undefined
  /** The problem itself, without the location prefix. */
  reason: string
}

/**
 * A rule or macros file that cannot be used. `message` reads
 * `rules/s3-unexpected-eof.yaml: rule "s3-unexpected-eof": match.all[1].equals: expected string, received number`.
 */
export class RuleFileError extends Error {
  readonly code: RuleFileErrorCode
  readonly file: string
  readonly ruleId: string | undefined
  readonly path: string | undefined
  readonly reason: string
  /**
   * Problems found in other rule files of the same load, after this one (`loadRules` checks every rule file
   * before it throws, so a rule author sees them all at once). Empty for a single problem.
   */
  others: readonly RuleFileError[] = []

  constructor(details: RuleFileErrorDetails) {
    super(formatRuleFileError(details))
    this.name = 'RuleFileError'
    this.code = details.code
    this.file = details.file
    this.ruleId = details.ruleId
    this.path = details.path
    this.reason = details.reason
  }
}

function formatRuleFileError({ file, ruleId, path, reason }: RuleFileErrorDetails): string {
  const parts = [file === '' ? undefined : file, ruleId === undefined ? undefined : `rule "${ruleId}"`, path || undefined, reason]
  return parts.filter((part) => part !== undefined).join(': ')
}

export function isRuleFileError(error: unknown): error is RuleFileError {
  return error instanceof RuleFileError
}

/** Formats a zod/JS path (`['match', 'all', 1, 'equals']`) as `match.all[1].equals`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let text = ''
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`
    else text += text === '' ? String(key) : `.${String(key)}`
  }
  return text
}
