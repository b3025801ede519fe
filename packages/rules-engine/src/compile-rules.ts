// The stateless half of the engine: every rule's conditions compiled to closures, a literal index that
// picks the few rules an event might satisfy, and the prefilter on raw text. Pure and cheap to rebuild, so
// each worker thread compiles its own copy and only `EventMatch`es cross threads.
// Both the prefilter and the candidate lookup run one literal scan over the text, then evaluate the literal
// formula (required-literals.ts) of only the rules whose gate literals occurred: the work per record follows
// the rules that might match, not the number of rules. A record the prefilter lets through is not scanned
// again for its event: its hits are recalled (recent-scans.ts), which took a quarter of a profiled scan. The prefilter reads the record text as the parser
// will, so its formulas include what derived fields (`route`, `status`, …) need; `matchEvent` may be handed
// events built elsewhere, whose `raw` need not show their derived fields, so it uses verbatim fields only.
import { SOURCE_IDS, sources, type LogEvent, type SourceId } from '@registry-logscan/parser'
import { compileCondition, type ConditionNames, type EventPredicate } from './compile-condition.js'
import { createLiteralIndex } from './literal-index.js'
import { createRecentScans } from './recent-scans.js'
import type { RuleSet } from './load-rules.js'
import { correlationConditions, gateOf, literalKey, ruleFormula, type Literal, type LiteralFormula } from './required-literals.js'
import { correlationsOf, sequenceExtras, type SequenceExtraRole } from './correlations-of.js'
import type { Rule } from './rule-schema.js'

/**
 * Which conditions an event satisfied: slot numbers (ascending) into `CompiledRules.slots`. Plain data
 * (one small array), so a worker can post it to the main thread with the event.
 */
export interface EventMatch {
  hits: number[]
}

/** What a slot stands for: a rule's `match` (plain rules, or a `{ match }` entry of a `correlate` list), or one condition of a correlation. */
export type SlotRole = 'match' | 'step' | SequenceExtraRole | 'threshold'

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
   * reading `source` can match it, so the record need not be parsed for rules. Only for records of stateless
   * sources: a stateful source (Rails request blocks, `createState`) fills fields from earlier lines, which
   * the text does not show, so for such a `source` it returns true, and without `source` it answers for
   * every stateless source (the parser never filters a record a stateful source owns).
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
  /** Per lookup (see `Lookup`): whether the rule's literal formula holds for the text just scanned; undefined: no formula (always). */
  textMayMatch: [(() => boolean) | undefined, (() => boolean) | undefined]
}

/** The prefilter on record text (every formula), or the candidate lookup on `event.raw` (verbatim fields only). */
type Lookup = 0 | 1
const PREFILTER: Lookup = 0
const CANDIDATES: Lookup = 1

const SOURCE_BITS = new Map<SourceId, number>(SOURCE_IDS.map((source, index) => [source, 1 << index]))
const ALL_SOURCES = (1 << SOURCE_IDS.length) - 1
/** Sources whose events carry fields from earlier records: their events are never filtered on text. */
const STATEFUL_SOURCES = sources.reduce((mask, source) => (source.createState === undefined ? mask : mask | (SOURCE_BITS.get(source.id) ?? 0)), 0)
const STATELESS_SOURCES = ALL_SOURCES & ~STATEFUL_SOURCES

/** Compiles a loaded rule set. Pure: safe to call in any thread. */
export function compileRules(ruleSet: RuleSet): CompiledRules {
  const names: ConditionNames = { macros: ruleSet.macros ?? {}, lists: ruleSet.lists ?? {} }
  const slots: ConditionSlot[] = []
  const compiled: CompiledRule[] = []
  const literals = new LiteralTable()
  /** Per lookup, per literal id: the rules whose gate contains it. */
  const rulesByLiteral: [number[][], number[][]] = [[], []]
  /** Per lookup, per source bit: rules with no literal formula, evaluated for every event of that source. */
  const alwaysBySource: [Map<number, number[]>, Map<number, number[]>] = [bySourceBit(), bySourceBit()]
  /** Per source bit: every rule reading it (for stateful sources). */
  const allBySource = bySourceBit()
  let unfilteredMask = STATEFUL_SOURCES

  // Per-scan scratch, reused so a scan allocates nothing: a literal or rule is "seen" when its stamp is the
  // current scan's.
  let stamp = 0
  let literalStamps = new Uint32Array(0)
  let ruleStamps = new Uint32Array(0)
  /** The literals the text scanned (or recalled) last contains, each once. */
  const found: number[] = []
  /** Rules whose gate literal occurred in that text. */
  const gated: number[] = []
  const seen = (literal: number) => literalStamps[literal] === stamp
  /** Sources with a rule whose candidate lookup reads literals: events of other sources need no scan. */
  let scannedMask = 0

  ruleSet.rules.forEach((rule, index) => {
    const sourceMask = rule.sources.reduce((mask, source) => mask | (SOURCE_BITS.get(source) ?? 0), 0)
    const correlation = correlationsOf(rule).flatMap(({ correlation: each }) => correlationConditions(each))
    const formulas = [ruleFormula(rule, names), ruleFormula(rule, names, { derived: false })] as const
    compiled.push({
      sourceMask,
      match: rule.match === undefined ? undefined : compileCondition(rule.match, names),
      firstSlot: slots.length,
      conditions: correlation.map((condition) => (condition === undefined ? undefined : compileCondition(condition, names))),
      textMayMatch: [compileFormula(formulas[PREFILTER], literals, seen), compileFormula(formulas[CANDIDATES], literals, seen)],
    })
    slots.push(...slotsOf(rule, index))
    for (const [bit, list] of allBySource) if ((sourceMask & bit) !== 0) list.push(index)
    if (formulas[PREFILTER] === undefined) unfilteredMask |= sourceMask
    for (const each of [PREFILTER, CANDIDATES]) {
      const formula = formulas[each]
      if (formula === undefined) {
        for (const [bit, list] of alwaysBySource[each]) if ((sourceMask & bit) !== 0) list.push(index)
        continue
      }
      if (each === CANDIDATES) scannedMask |= sourceMask
      for (const literal of gateOf(formula) ?? []) (rulesByLiteral[each][literals.idOf(literal)] ??= []).push(index)
    }
  })

  const index = createLiteralIndex(literals.list)
  literalStamps = new Uint32Array(literals.list.length)
  ruleStamps = new Uint32Array(compiled.length)
  const onLiteral = (literal: number) => {
    if (literalStamps[literal] === stamp) return
    literalStamps[literal] = stamp
    found.push(literal)
  }
  const recent = createRecentScans()

  /** Starts a new text: nothing seen yet. */
  function restart(): void {
    stamp = stamp === 0xffffffff ? 1 : stamp + 1
    if (stamp === 1) {
      literalStamps.fill(0)
      ruleStamps.fill(0)
    }
    found.length = 0
  }

  /** The literals of `text`: recalled when the prefilter scanned the same text recently, else scanned. */
  function scan(text: string, reuse: boolean): void {
    restart()
    if (reuse && recent.recall(text, onLiteral)) return
    index.scan(text, onLiteral)
  }

  /** Appends the rules reading a source of `mask` whose formula holds on the text scanned last to `out` (at most one when `first`). */
  function lookUp(which: Lookup, mask: number, out: number[], first: boolean): void {
    gated.length = 0
    const byLiteral = rulesByLiteral[which]
    for (let at = 0; at < found.length; at++) {
      const rules = byLiteral[found[at] as number]
      if (rules === undefined) continue
      for (let next = 0; next < rules.length; next++) {
        const rule = rules[next] as number
        if (ruleStamps[rule] !== stamp) {
          ruleStamps[rule] = stamp
          gated.push(rule)
        }
      }
    }
    for (const ruleIndex of gated) {
      const rule = compiled[ruleIndex] as CompiledRule
      if ((rule.sourceMask & mask) === 0 || rule.textMayMatch[which]?.() === false) continue
      out.push(ruleIndex)
      if (first) return
    }
  }

  const candidates: number[] = []

  return {
    rules: ruleSet.rules,
    slots,
    prefilter(text, source) {
      const mask = source === undefined ? STATELESS_SOURCES : (SOURCE_BITS.get(source) ?? 0)
      if ((unfilteredMask & mask) !== 0) return true
      candidates.length = 0
      scan(text, false)
      lookUp(PREFILTER, mask, candidates, true)
      if (candidates.length === 0) return false
      recent.remember(text, found)
      return true
    },
    matchEvent(event) {
      const eventMask = SOURCE_BITS.get(event.source) ?? 0
      const stateful = (STATEFUL_SOURCES & eventMask) !== 0
      candidates.length = 0
      if (!stateful && (scannedMask & eventMask) !== 0) {
        scan(event.raw, true)
        lookUp(CANDIDATES, eventMask, candidates, false)
      }
      const always = (stateful ? allBySource : alwaysBySource[CANDIDATES]).get(eventMask)
      const hits = evaluate(candidates, event, evaluate(always, event, undefined))
      if (hits === undefined) return undefined
      if (hits.length > 1) hits.sort((left, right) => left - right)
      return { hits }
    },
  }

  /** Appends the slots of `rules` that `event` satisfies to `hits` (created on the first). */
  function evaluate(rules: readonly number[] | undefined, event: LogEvent, hits: number[] | undefined): number[] | undefined {
    if (rules === undefined) return hits
    for (let at = 0; at < rules.length; at++) {
      const rule = compiled[rules[at] as number] as CompiledRule
      if (rule.match !== undefined && !rule.match(event)) continue
      const { conditions, firstSlot } = rule
      if (conditions.length === 0) {
        ;(hits ??= []).push(firstSlot)
        continue
      }
      for (let offset = 0; offset < conditions.length; offset++) {
        const condition = conditions[offset]
        if (condition === undefined || condition(event)) (hits ??= []).push(firstSlot + offset)
      }
    }
    return hits
  }
}

/** The literals of a rule set, each once (rules share `/blobs/uploads`, `PUT`, …): ids for the index. */
class LiteralTable {
  readonly list: Literal[] = []
  private readonly ids = new Map<string, number>()

  idOf(literal: Literal): number {
    const key = literalKey(literal)
    let id = this.ids.get(key)
    if (id === undefined) {
      id = this.list.length
      this.list.push(literal)
      this.ids.set(key, id)
    }
    return id
  }
}

function bySourceBit(): Map<number, number[]> {
  return new Map([...SOURCE_BITS.values()].map((bit) => [bit, []]))
}

/** The formula as a closure over "did this literal occur in the text scanned last". */
function compileFormula(formula: LiteralFormula | undefined, literals: LiteralTable, seen: (literal: number) => boolean): (() => boolean) | undefined {
  if (formula === undefined) return undefined
  if ('literal' in formula) {
    const id = literals.idOf(formula.literal)
    return () => seen(id)
  }
  const parts = ('all' in formula ? formula.all : formula.any).map((part) => compileFormula(part, literals, seen) as () => boolean)
  if ('all' in formula) return () => parts.every((part) => part())
  return () => parts.some((part) => part())
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
      ...sequenceExtras(sequence).map(({ role }): ConditionSlot => ({ rule: ruleIndex, correlation, role })),
    ]
  })
}
