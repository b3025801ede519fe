// The stateful half of the engine (main thread, input order): time keeping, correlation, folding and the
// per-rule counts. Folding: the first occurrence of a rule + `fold.by` group is emitted at once; repeats
// within `fold.within` of it are not emitted again but increment that same Finding object's `count` and
// `lastTime`, so a reporter that prints at the end (json, the summary) sees final counts while live output
// (text, ndjson) shows the first occurrence.
import type { LogEvent, SourceId } from '@registry-logscan/parser'
import { createFindingBuilder, isoTime, type TimedEvent } from './build-finding.js'
import { firstValue } from './message-template.js'
import type { CompiledRules, EventMatch } from './compile-rules.js'
import { createCorrelator, type Correlator } from './correlate.js'
import { correlationsOf } from './correlations-of.js'
import { createFieldAccessor, type FieldAccessor } from './field-path.js'
import type { Finding } from './finding.js'
import { parseDuration } from './parse-duration.js'

export interface RuleEngineOptions {
  /** Open correlation groups (and fold groups) kept per rule; the oldest is evicted past it. Default 10,000. */
  maxOpenGroups?: number
  /** Evidence lines kept per finding; the rest are counted in `evidenceOmitted`. Default 50. */
  maxEvidence?: number
}

export interface RuleStats {
  /** Occurrences, folded repeats included. */
  count: number
  /** ISO time of the earliest / latest occurrence that had a time (not the order they were read in). */
  first?: string
  last?: string
  /** Sources and files the evidence came from (files capped at 20). */
  sources: SourceId[]
  files: string[]
}

export interface EngineStats {
  /** Rules that fired at least once, by id. */
  rules: Record<string, RuleStats>
  /** Occurrences folded into an earlier finding (not emitted on their own). */
  folded: number
  /** Correlation groups evicted because a rule had `maxOpenGroups` open. */
  evicted: number
}

export interface RuleEngine {
  /**
   * Main thread, in input order: feed an event with its stateless match; returns findings that became due.
   * Passing events that matched nothing (`undefined`) is optional; it lets their times fire `missing` deadlines.
   * `streamTime`: for an event without a time, the time it inherits (the worker pool passes the latest time
   * seen before it in its input, which this engine cannot see when only matching events reach it).
   */
  accept(event: LogEvent, match: EventMatch | undefined, streamTime?: number): Finding[]
  /**
   * Convenience for one stream: `accept(event, compiled.matchEvent(event), <latest time processed>)`. Callers
   * reading several inputs keep a stream time per input and call `accept`.
   */
  process(event: LogEvent): Finding[]
  /** Advance time for live streams (fires `missing` deadlines that passed). */
  advance(timeMs: number): Finding[]
  /** End of input: fire pending `missing` sequences. */
  end(): Finding[]
  stats(): EngineStats
}

interface FoldGroup {
  finding: Finding
  /** The first occurrence's time: the window is measured from it. */
  time: number | undefined
}

/**
 * Fold windows kept per fold key. Files are read one after another, so occurrences of one key can arrive as
 * two interleaved runs (a node's log, then another node's covering the same hours): each run needs its own
 * window. A few are enough; past that the oldest-made window is dropped.
 */
const WINDOWS_PER_KEY = 8

interface RuntimeCorrelation {
  firstSlot: number
  correlator: Correlator
}

interface RuntimeRule {
  index: number
  firstSlot: number
  /** One per correlation of the rule; empty for plain rules. */
  correlations: RuntimeCorrelation[]
  build: (events: readonly TimedEvent[]) => Finding
  foldBy: FieldAccessor[]
  foldWithin: number
  folds: Map<string, FoldGroup[]>
}

const MAX_STAT_FILES = 20

export function createRuleEngine(compiled: CompiledRules, options: RuleEngineOptions = {}): RuleEngine {
  const maxOpenGroups = Math.max(1, options.maxOpenGroups ?? 10_000)
  const maxEvidence = Math.max(1, options.maxEvidence ?? 50)
  const firstSlots = new Map<string, number>()
  compiled.slots.forEach((slot, index) => {
    const key = `${slot.rule}/${slot.correlation ?? 0}`
    if (!firstSlots.has(key)) firstSlots.set(key, index)
  })
  const runtime: RuntimeRule[] = compiled.rules.map((rule, index) => ({
    index,
    firstSlot: firstSlots.get(`${index}/0`) ?? 0,
    correlations: correlationsOf(rule).map(({ correlation }, at) => ({
      firstSlot: firstSlots.get(`${index}/${at}`) ?? 0,
      correlator: createCorrelator(correlation, maxOpenGroups),
    })),
    build: createFindingBuilder(rule, maxEvidence),
    foldBy: rule.fold.by.map((field) => createFieldAccessor(field)),
    foldWithin: parseDuration(rule.fold.within) ?? 0,
    folds: new Map(),
  }))
  const timed = runtime.flatMap((rule) =>
    rule.correlations.filter(({ correlator }) => correlator.hasDeadlines).map(({ correlator }) => ({ rule: rule.index, correlator })),
  )
  const stats: EngineStats = { rules: {}, folded: 0, evicted: 0 }
  /** The latest time `process` saw: its single stream's time, for its events without one. */
  let processed: number | undefined

  function report(ruleIndex: number, events: readonly TimedEvent[], out: Finding[]): void {
    const rule = runtime[ruleIndex] as RuntimeRule
    const time = events[0]?.time
    count(compiled.rules[ruleIndex]?.id ?? '', events, time)
    let key = ''
    for (const read of rule.foldBy) key += `${firstValue(read, events) ?? ''}\u0000`
    const windows = rule.folds.get(key)
    // Either side of a window's first occurrence: a later file may hold older repeats, and only those within
    // the window are the same occurrence (an hour-old one is another).
    const earlier = windows?.find((each) => each.time === undefined || time === undefined || Math.abs(time - each.time) <= rule.foldWithin)
    if (earlier !== undefined) {
      earlier.finding.count++
      // ISO-8601 UTC times compare in time order as text.
      const iso = isoTime(time)
      if (iso !== undefined && iso > (earlier.finding.lastTime ?? earlier.finding.time ?? '')) earlier.finding.lastTime = iso
      stats.folded++
      return
    }
    const finding = rule.build(events)
    const kept = windows ?? []
    if (kept.length >= WINDOWS_PER_KEY) kept.shift()
    kept.push({ finding, time })
    // Most recently used key last: the cap drops the key unused the longest.
    rule.folds.delete(key)
    rule.folds.set(key, kept)
    if (rule.folds.size > maxOpenGroups) {
      const oldest = rule.folds.keys().next()
      if (oldest.done !== true) rule.folds.delete(oldest.value)
    }
    out.push(finding)
  }

  function count(id: string, events: readonly TimedEvent[], time: number | undefined): void {
    const entry = (stats.rules[id] ??= { count: 0, sources: [], files: [] })
    entry.count++
    // Earliest and latest, not first and last reported: files are read one after another, and a later one may
    // cover earlier hours. ISO-8601 UTC times compare in time order as text.
    const iso = isoTime(time)
    if (iso !== undefined) {
      if (entry.first === undefined || iso < entry.first) entry.first = iso
      if (entry.last === undefined || iso > entry.last) entry.last = iso
    }
    for (const { event } of events) {
      if (!entry.sources.includes(event.source)) entry.sources.push(event.source)
      if (entry.files.length < MAX_STAT_FILES && !entry.files.includes(event.file)) entry.files.push(event.file)
    }
  }

  function advanceTo(now: number, out: Finding[]): void {
    for (const { rule, correlator } of timed) {
      for (const events of correlator.advance(now)) report(rule, events, out)
    }
  }

  function accept(event: LogEvent, match: EventMatch | undefined, streamTime?: number): Finding[] {
    const out: Finding[] = []
    const time = event.time ?? streamTime
    if (time !== undefined && timed.length > 0) advanceTo(time, out)
    if (match === undefined || match.hits.length === 0) return out
    // An event without a time takes its stream's (`streamTime`), never the time of another input read before.
    const occurrence: TimedEvent = { event, time }
    const { hits } = match
    // Hits are ascending and a rule's (correlation's) slots consecutive: dispatch one run at a time.
    for (let at = 0; at < hits.length; ) {
      const slot = compiled.slots[hits[at] as number]
      if (slot === undefined) break
      const rule = runtime[slot.rule] as RuntimeRule
      const correlation = slot.correlation === undefined ? undefined : rule.correlations[slot.correlation]
      const offsets: number[] = []
      for (; at < hits.length; at++) {
        const next = compiled.slots[hits[at] as number]
        if (next?.rule !== slot.rule || next.correlation !== slot.correlation) break
        offsets.push((hits[at] as number) - (correlation?.firstSlot ?? rule.firstSlot))
      }
      if (correlation === undefined) report(slot.rule, [occurrence], out)
      else for (const events of correlation.correlator.accept(occurrence, offsets)) report(slot.rule, events, out)
    }
    return out
  }

  return {
    accept,
    process(event) {
      if (event.time !== undefined) processed = event.time
      return accept(event, compiled.matchEvent(event), processed)
    },
    advance(timeMs) {
      const out: Finding[] = []
      advanceTo(timeMs, out)
      return out
    },
    end() {
      const out: Finding[] = []
      for (const rule of runtime) {
        for (const { correlator } of rule.correlations) for (const events of correlator.end()) report(rule.index, events, out)
      }
      return out
    },
    stats() {
      const evicted = runtime.reduce((sum, rule) => sum + rule.correlations.reduce((inner, { correlator }) => inner + correlator.evicted, 0), 0)
      return { rules: structuredClone(stats.rules), folded: stats.folded, evicted }
    },
  }
}
