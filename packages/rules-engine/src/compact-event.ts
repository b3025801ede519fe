// What the stateful half of the engine (rule-engine.ts, correlate.ts, build-finding.ts) reads from a matched
// event, and nothing more: the copy a worker posts to the main thread, and what correlation groups hold.
// A parsed event carries every field its format has (and `raw` twice over in `fields` for JSON lines); the
// main thread only needs the evidence (`raw`, `file`, `line`, `source`, `time`), the fields of the rule's
// message template, and the correlation and fold keys. An event that only closes, cancels or precedes a group
// (an `until`, `missing` or `notPrecededBy` hit) never becomes evidence, so its copy keeps the keys alone.
import type { LogEvent } from '@registry-logscan/parser'
import type { CompiledRules, EventMatch } from './compile-rules.js'
import { templateFields } from './message-template.js'
import { correlationsOf, SEQUENCE_EXTRA_ROLES } from './correlations-of.js'
import type { Correlation, Rule } from './rule-schema.js'

/** Returns the part of `event` the engine reads after matching, for the slots `match` hit. */
export type EventCompactor = (event: LogEvent, match: EventMatch) => LogEvent

/** How to copy one event: top-level fields, and keys of the `fields` / `wrapper` maps. */
interface CopyPlan {
  top: string[]
  fields: string[] | undefined
  wrapper: boolean
}

/** Plans kept per distinct combination of hit slots (a handful in practice; the cap only bounds hostile rule sets). */
const PLAN_CACHE_LIMIT = 1024

/** Builds the compactor for a compiled rule set (once per thread). */
export function createEventCompactor(compiled: CompiledRules): EventCompactor {
  const slotFields = compiled.slots.map(({ rule, correlation, role }) => {
    const definition = compiled.rules[rule] as Rule
    const keys = correlation === undefined ? [] : correlationKeys(correlationsOf(definition)[correlation]?.correlation)
    if ((SEQUENCE_EXTRA_ROLES as readonly string[]).includes(role)) return keys
    return ['raw', ...templateFields(definition.message), ...definition.fold.by, ...keys]
  })
  const plans = new Map<string, CopyPlan>()

  function planFor(hits: readonly number[]): CopyPlan {
    const key = hits.length === 1 ? String(hits[0]) : hits.join(',')
    const known = plans.get(key)
    if (known !== undefined) return known
    const paths = new Set<string>()
    for (const slot of hits) for (const path of slotFields[slot] ?? []) paths.add(path)
    const plan = makePlan(paths)
    if (plans.size >= PLAN_CACHE_LIMIT) plans.clear()
    plans.set(key, plan)
    return plan
  }

  return (event, match) => copy(event, planFor(match.hits))
}

/** Every key field of a correlation: its `by`, each step's `by`, a threshold's `distinct`. */
function correlationKeys(correlation: Correlation | undefined): string[] {
  if (correlation?.sequence !== undefined) {
    return [...correlation.sequence.by, ...correlation.sequence.steps.flatMap((step) => step.by ?? [])]
  }
  if (correlation?.threshold !== undefined) {
    const { by, distinct } = correlation.threshold
    return distinct === undefined ? by : [...by, distinct]
  }
  return []
}

/** Fields every copy keeps: what evidence, rule statistics and the engine's clock read. */
const BASE_FIELDS = new Set(['source', 'file', 'line', 'time'])

function makePlan(paths: ReadonlySet<string>): CopyPlan {
  const top: string[] = []
  let fields: string[] | undefined
  let wrapper = false
  for (const path of paths) {
    const dot = path.indexOf('.')
    const head = dot > 0 ? path.slice(0, dot) : path
    if (head === 'fields' && dot > 0) (fields ??= []).push(path.slice(dot + 1))
    else if (head === 'wrapper') wrapper = true
    else if (!BASE_FIELDS.has(head) && !top.includes(head)) top.push(head)
  }
  return { top, fields, wrapper }
}

function copy(event: LogEvent, plan: CopyPlan): LogEvent {
  const source = event as unknown as Record<string, unknown>
  // `message` is required by the event types; a copy that needs no text keeps it empty unless a template reads it.
  const out: Record<string, unknown> = { source: event.source, file: event.file, line: event.line, message: '' }
  if (event.time !== undefined) out['time'] = event.time
  for (const name of plan.top) {
    if (!Object.hasOwn(source, name)) continue
    const value = source[name]
    if (value !== undefined) out[name] = value
  }
  if (plan.wrapper && event.wrapper !== undefined) out['wrapper'] = event.wrapper
  const map = 'fields' in event ? (event.fields as Record<string, string> | undefined) : undefined
  if (plan.fields !== undefined && map !== undefined) {
    const kept = Object.create(null) as Record<string, string>
    for (const key of plan.fields) if (Object.hasOwn(map, key)) kept[key] = map[key] as string
    out['fields'] = kept
  }
  return out as unknown as LogEvent
}
