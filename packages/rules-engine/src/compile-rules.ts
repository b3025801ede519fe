// The stateless half of the engine: every rule's conditions compiled to closures, a literal index that
// picks the few rules an event might satisfy, and the prefilter on raw text. Pure and cheap to rebuild, so
// each worker thread compiles its own copy and only `EventMatch`es cross threads.
import { SOURCE_IDS, type LogEvent, type SourceId } from '@registry-logscan/parser'
import { compileCondition, type ConditionNames, type EventPredicate } from './compile-condition.js'
import { createLiteralIndex, type LiteralEntry } from './literal-index.js'
import type { RuleSet } from './load-rules.js'
import { correlationConditions, ruleRequirement } from './required-literals.js'
import { correlationsOf, type Rule } from './rule-schema.js'

/**
 * Which conditions an event satisfied: slot numbers (ascending) into `CompiledRules.slots`. Plain data
 * (one small array), so a worker can post it to the main thread with the event.
 */
export interface EventMatch {
  hits: number[]
}

/** What a slot stands for: a rule's `match` (plain rules, or a `{ match }` entry of a `correlate` list), or one condition of a correlation. */
export type SlotRole = 'match' | 'step' | 'until' | 'missing' | 'threshold'

export interface ConditionSlot {
  /** Index into `CompiledRules.rules`. */
  rule: number
  /** For correlation slots: which of the rule's correlations (`correlate` may be a list). */
  correlation?: number
  role: SlotRole
  /** For `step`: the step's index. */
  step?: number
}

export interface CompiledRules {
  readonly rules: readonly Rule[]
  /** Every condition an `EventMatch` can name. A rule's slots are consecutive. */
  readonly slots: readonly ConditionSlot[]
  /**
   * On a record's raw text (after wrappers were peeled), before its event is built: false when no rule
   * reading `source` (any source when undefined) can match it, so the record need not be parsed for rules.
   */
  prefilter(text: string, source?: SourceId): boolean
  /** Stateless part: which rule conditions this event satisfies (serialisable, for worker → main). Undefined = none. */
  matchEvent(event: LogEvent): EventMatch | undefined
}

interface CompiledRule {
  sourceMask: number
  /** The rule's `match`; undefined when it has none (correlation conditions only). */
  match: EventPredicate | undefined
  /** First slot number of the rule. */
  firstSlot: number
  /** Correlation conditions in slot order; `undefined` = every event the rule's match lets through. Empty for plain rules. */
  conditions: (EventPredicate | undefined)[]
}

const SOURCE_BITS = new Map<SourceId, number>(SOURCE_IDS.map((source, index) => [source, 1 << index]))
const ALL_SOURCES = (1 << SOURCE_IDS.length) - 1

/** Compiles a loaded rule set. Pure: safe to call in any thread. */
export function compileRules(ruleSet: RuleSet): CompiledRules {
  const names: ConditionNames = { macros: ruleSet.macros ?? {}, lists: ruleSet.lists ?? {} }
  const slots: ConditionSlot[] = []
  const compiled: CompiledRule[] = []
  const entries: LiteralEntry[] = []
  /** Per source bit: rules with no literal requirement, evaluated for every event of that source. */
  const alwaysBySource = new Map<number, number[]>([...SOURCE_BITS.values()].map((bit) => [bit, []]))
  let unfilteredMask = 0

  ruleSet.rules.forEach((rule, index) => {
    const sourceMask = rule.sources.reduce((mask, source) => mask | (SOURCE_BITS.get(source) ?? 0), 0)
    const correlation = correlationsOf(rule).flatMap(({ correlation: each }) => correlationConditions(each))
    compiled.push({
      sourceMask,
      match: rule.match === undefined ? undefined : compileCondition(rule.match, names),
      firstSlot: slots.length,
      conditions: correlation.map((condition) => (condition === undefined ? undefined : compileCondition(condition, names))),
    })
    slots.push(...slotsOf(rule, index))
    const requirement = ruleRequirement(rule, names)
    if (requirement === undefined) {
      unfilteredMask |= sourceMask
      for (const [bit, list] of alwaysBySource) if ((sourceMask & bit) !== 0) list.push(index)
    } else {
      for (const literal of requirement) entries.push({ literal, mask: sourceMask, id: index })
    }
  })

  const index = createLiteralIndex(entries)
  // Per-event scratch, reused so matching allocates nothing for events that hit no rule.
  const seen = new Uint32Array(compiled.length)
  let stamp = 0
  const candidates: number[] = []
  let eventMask = 0
  const addCandidate = (ruleIndex: number) => {
    if (seen[ruleIndex] === stamp) return
    seen[ruleIndex] = stamp
    if (((compiled[ruleIndex] as CompiledRule).sourceMask & eventMask) !== 0) candidates.push(ruleIndex)
  }

  return {
    rules: ruleSet.rules,
    slots,
    prefilter(text, source) {
      const mask = source === undefined ? ALL_SOURCES : (SOURCE_BITS.get(source) ?? 0)
      return (unfilteredMask & mask) !== 0 || index.any(text, mask)
    },
    matchEvent(event) {
      eventMask = SOURCE_BITS.get(event.source) ?? 0
      stamp = stamp === 0xffffffff ? 1 : stamp + 1
      if (stamp === 1) seen.fill(0)
      candidates.length = 0
      for (const ruleIndex of alwaysBySource.get(eventMask) ?? []) addCandidate(ruleIndex)
      index.collect(event.raw, addCandidate)
      let hits: number[] | undefined
      for (const ruleIndex of candidates) {
        const rule = compiled[ruleIndex] as CompiledRule
        if (rule.match !== undefined && !rule.match(event)) continue
        if (rule.conditions.length === 0) {
          ;(hits ??= []).push(rule.firstSlot)
          continue
        }
        rule.conditions.forEach((condition, offset) => {
          if (condition === undefined || condition(event)) (hits ??= []).push(rule.firstSlot + offset)
        })
      }
      if (hits === undefined) return undefined
      if (hits.length > 1) hits.sort((left, right) => left - right)
      return { hits }
    },
  }
}

/** A plain rule has one slot; a correlated rule one per condition of each correlation, in `correlationConditions` order. */
function slotsOf(rule: Rule, ruleIndex: number): ConditionSlot[] {
  const correlations = correlationsOf(rule)
  if (correlations.length === 0) return [{ rule: ruleIndex, role: 'match' }]
  return correlations.flatMap(({ correlation: { sequence, threshold } }, correlation): ConditionSlot[] => {
    if (threshold !== undefined) return [{ rule: ruleIndex, correlation, role: 'threshold' }]
    if (sequence === undefined) return [{ rule: ruleIndex, correlation, role: 'match' }]
    return [
      ...sequence.steps.map((_, step): ConditionSlot => ({ rule: ruleIndex, correlation, role: 'step', step })),
      ...(sequence.until === undefined ? [] : [{ rule: ruleIndex, correlation, role: 'until' } as const]),
      ...(sequence.missing === undefined ? [] : [{ rule: ruleIndex, correlation, role: 'missing' } as const]),
    ]
  })
}
