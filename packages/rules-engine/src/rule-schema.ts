// The rule file format (RULE-FORMAT.md) as a zod schema: what parses here is a rule, and
// rules/rule.schema.json is generated from it. Checks that need more than one file (sources × event fields,
// macro and list names, regex safety, file name = id) live in validate-rule.ts.
import { SOURCE_IDS, type SourceId } from '@registry-logscan/parser'
import { z } from 'zod'
import { DURATION_PATTERN } from './parse-duration.js'

/** Caps on untrusted rule content (file size and nesting depth are capped in read-rule-file.ts). */
export const RULE_LIMITS = {
  /** Any single string (description, remediation, an example line). */
  string: 16_384,
  /** A `regex` pattern. */
  pattern: 1_000,
  /** Entries of any list (oneOf values, conditions under all/any, example lines, named lists). */
  list: 1_000,
  /** Steps of a sequence. */
  steps: 20,
  /** `threshold.count`. */
  thresholdCount: 10_000,
} as const

const name = z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'expected lower-case letters, digits and dashes')
const text = z.string().min(1).max(RULE_LIMITS.string)
const fieldPath = z.string().min(1).max(200)
const duration = z.string().regex(DURATION_PATTERN, 'expected a duration like 500ms, 30s, 10m, 1h')
const sourceId = z.enum(SOURCE_IDS as [SourceId, ...SourceId[]])
const strings = z.union([text, z.array(text).min(1).max(RULE_LIMITS.list)])
const scalar = z.union([z.string().max(RULE_LIMITS.string), z.number(), z.boolean()])
const keyFields = z.array(fieldPath).max(8)

/** The field operators, in the order the docs list them. A field condition has exactly one. */
export const OPERATORS = [
  'equals', 'oneOf', 'inList', 'contains', 'startsWith', 'endsWith', 'regex', 'exists', 'gt', 'gte', 'lt', 'lte', 'cidr',
] as const
export type Operator = (typeof OPERATORS)[number]

/** Operators `ignoreCase` applies to. */
export const CASE_OPERATORS: readonly Operator[] = ['equals', 'oneOf', 'inList', 'contains', 'startsWith', 'endsWith', 'regex']

const COMBINATORS = ['all', 'any', 'not', 'macro', 'field'] as const

/** A condition as written (see RULE-FORMAT.md "Conditions"): one combinator, a macro, or one field test. */
export interface Condition {
  all?: Condition[] | undefined
  any?: Condition[] | undefined
  not?: Condition | undefined
  macro?: string | undefined
  field?: string | undefined
  equals?: string | number | boolean | undefined
  oneOf?: (string | number)[] | undefined
  inList?: string | undefined
  contains?: string | string[] | undefined
  startsWith?: string | string[] | undefined
  endsWith?: string | string[] | undefined
  regex?: string | undefined
  exists?: boolean | undefined
  gt?: number | undefined
  gte?: number | undefined
  lt?: number | undefined
  lte?: number | undefined
  cidr?: string | string[] | undefined
  ignoreCase?: boolean | undefined
}

export const conditionSchema: z.ZodType<Condition> = z
  .strictObject({
    get all() {
      return z.array(conditionSchema).min(1).max(RULE_LIMITS.list).optional()
    },
    get any() {
      return z.array(conditionSchema).min(1).max(RULE_LIMITS.list).optional()
    },
    get not() {
      return conditionSchema.optional()
    },
    macro: name.optional(),
    field: fieldPath.optional(),
    equals: scalar.optional(),
    oneOf: z.array(z.union([z.string().max(RULE_LIMITS.string), z.number()])).min(1).max(RULE_LIMITS.list).optional(),
    inList: name.optional(),
    contains: strings.optional(),
    startsWith: strings.optional(),
    endsWith: strings.optional(),
    regex: z.string().min(1).max(RULE_LIMITS.pattern).optional(),
    exists: z.boolean().optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    cidr: strings.optional(),
    ignoreCase: z.boolean().optional(),
  })
  .superRefine((condition, context) => {
    const forms = COMBINATORS.filter((key) => condition[key] !== undefined)
    const operators = OPERATORS.filter((key) => condition[key] !== undefined)
    if (forms.length !== 1) {
      const found = forms.length === 0 ? 'none' : forms.join(', ')
      context.addIssue({ code: 'custom', message: `expected exactly one of all, any, not, macro, field; found ${found}` })
      return
    }
    if (condition.field === undefined) {
      if (operators.length > 0 || condition.ignoreCase !== undefined) {
        context.addIssue({ code: 'custom', message: `${[...operators, 'ignoreCase'][0]} needs a field` })
      }
      return
    }
    if (operators.length !== 1) {
      const found = operators.length === 0 ? 'none' : operators.join(', ')
      context.addIssue({ code: 'custom', path: [], message: `expected exactly one operator (${OPERATORS.join(', ')}); found ${found}` })
      return
    }
    const operator = operators[0]
    if (condition.ignoreCase !== undefined && operator !== undefined && !CASE_OPERATORS.includes(operator)) {
      context.addIssue({ code: 'custom', path: ['ignoreCase'], message: `ignoreCase does not apply to ${operator}` })
    }
  })

/** `after`: the step only counts once at least this long has passed since the previous step (a slow request seen as a gap). */
const stepSchema = z.strictObject({ name: name.optional(), by: keyFields.optional(), after: duration.optional(), match: conditionSchema })

const sequenceSchema = z
  .strictObject({
    within: duration,
    by: keyFields.default([]),
    steps: z.array(stepSchema).min(1).max(RULE_LIMITS.steps),
    until: z.strictObject({ match: conditionSchema }).optional(),
    missing: z.strictObject({ name: name.optional(), within: duration, match: conditionSchema }).optional(),
    notPrecededBy: z.strictObject({ within: duration, match: conditionSchema }).optional(),
  })
  .superRefine((sequence, context) => {
    if (sequence.steps.length < 2 && sequence.missing === undefined) {
      context.addIssue({ code: 'custom', path: ['steps'], message: 'a sequence needs at least two steps, or one step and missing' })
    }
    if (sequence.steps[0]?.after !== undefined) {
      context.addIssue({ code: 'custom', path: ['steps', 0, 'after'], message: 'the first step has no previous step to wait after' })
    }
    sequence.steps.forEach((step, index) => {
      if (step.by !== undefined && step.by.length !== sequence.by.length) {
        context.addIssue({ code: 'custom', path: ['steps', index, 'by'], message: `expected ${sequence.by.length} fields, like sequence.by` })
      }
    })
  })

const thresholdSchema = z.strictObject({
  by: keyFields.default([]),
  within: duration,
  count: z.int().min(2).max(RULE_LIMITS.thresholdCount),
  distinct: fieldPath.optional(),
  match: conditionSchema.optional(),
})

const correlationSchema = z
  .strictObject({ sequence: sequenceSchema.optional(), threshold: thresholdSchema.optional(), match: conditionSchema.optional() })
  .refine((correlate) => [correlate.sequence, correlate.threshold, correlate.match].filter((kind) => kind !== undefined).length === 1, {
    message: 'expected exactly one of sequence, threshold, match',
  })

/**
 * One correlation, or a list of independent ones (the rule fires when any of them does). In a list, an
 * entry `{ match: condition }` is an alternative that fires on one event alone.
 */
const correlateSchema = z.union([correlationSchema, z.array(correlationSchema).min(1).max(8)])

const exampleSchema = z
  .strictObject({
    name: text,
    source: sourceId.optional(),
    lines: z.array(z.string().max(RULE_LIMITS.string)).min(1).max(RULE_LIMITS.list).optional(),
    files: z.array(z.string().min(1).max(500)).min(1).max(20).optional(),
    findings: z.int().min(0).max(RULE_LIMITS.list),
  })
  .refine((example) => (example.lines === undefined) !== (example.files === undefined), {
    message: 'expected exactly one of lines, files',
  })

/** One rule file. */
export const ruleSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: name,
    title: z.string().min(1).max(200),
    status: z.enum(['experimental', 'stable', 'deprecated']),
    severity: z.enum(['info', 'warning', 'error', 'critical']),
    sources: z.array(sourceId).min(1).max(SOURCE_IDS.length),
    description: text,
    docs: z.url({ protocol: /^https?$/ }),
    tags: z.array(name).max(20).default([]),
    match: conditionSchema.optional(),
    correlate: correlateSchema.optional(),
    message: z.string().min(1).max(1_000),
    fold: z.strictObject({ by: keyFields.default([]), within: duration.default('10m') }).default({ by: [], within: '10m' }),
    remediation: text,
    verify: z.array(text).min(1).max(20).optional(),
    configFix: text.optional(),
    falsepositives: z.array(text).min(1).max(50),
    examples: z.array(exampleSchema).min(2).max(100),
  })
  .superRefine((rule, context) => {
    if (rule.match === undefined && rule.correlate === undefined) {
      context.addIssue({ code: 'custom', path: ['match'], message: 'a rule needs match, correlate or both' })
    }
    if (!rule.examples.some((example) => example.findings >= 1)) {
      context.addIssue({ code: 'custom', path: ['examples'], message: 'expected at least one example that fires (findings ≥ 1)' })
    }
    if (!rule.examples.some((example) => example.findings === 0)) {
      context.addIssue({ code: 'custom', path: ['examples'], message: 'expected at least one example that does not fire (findings: 0)' })
    }
  })

/** A `<dir>/macros/*.yaml` file: named lists and named conditions shared by the rules loaded with it. */
export const macrosFileSchema = z.strictObject({
  $schema: z.string().optional(),
  lists: z.record(name, z.array(z.union([z.string().max(RULE_LIMITS.string), z.number()])).max(RULE_LIMITS.list)).optional(),
  macros: z.record(name, conditionSchema).optional(),
})

/** A rule as validated (defaults filled in). */
export type RuleDefinition = z.output<typeof ruleSchema>
export type RuleExample = RuleDefinition['examples'][number]
export type Correlation = z.output<typeof correlationSchema>
export type SequenceCorrelation = z.output<typeof sequenceSchema>
export type ThresholdCorrelation = z.output<typeof thresholdSchema>
export type MacrosFile = z.output<typeof macrosFileSchema>
/** A named list's entries. */
export type ListValues = readonly (string | number)[]

/** A loaded rule: the validated definition and the file it came from. */
export type Rule = RuleDefinition & { file: string }

