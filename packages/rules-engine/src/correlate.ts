// Correlation state (main thread only): `sequence` and `threshold` groups per rule, keyed on the rule's `by`
// fields. Each correlator receives the events that hit its rule's correlation slots, in input order, with
// their effective time, and returns the evidence of every occurrence that became due. State is bounded:
// at most `maxOpenGroups` groups per rule, the oldest (by creation) evicted first and counted.
// Events without any time (docker CLI output) never expire a window: they count as inside it.
import { toText } from './compile-condition.js'
import { createFieldAccessor, type FieldAccessor } from './field-path.js'
import type { TimedEvent } from './build-finding.js'
import { DeadlineQueue } from './deadline-queue.js'
import { sequenceExtras, type SequenceExtraRole } from './correlations-of.js'
import { parseDuration } from './parse-duration.js'
import type { Correlation, SequenceCorrelation, ThresholdCorrelation } from './rule-schema.js'

export interface Correlator {
  /** `offsets`: the rule's slots the event hit, relative to the rule's first slot (ascending). */
  accept(timed: TimedEvent, offsets: readonly number[]): TimedEvent[][]
  /** Fires `missing` groups whose deadline is before `now`. */
  advance(now: number): TimedEvent[][]
  /** End of input: fires every group still waiting for a `missing` event; drops the rest. */
  end(): TimedEvent[][]
  /** Groups evicted so far because the rule had `maxOpenGroups` open. */
  readonly evicted: number
  /** Whether `advance` can ever fire (the rule has a `missing` step). */
  readonly hasDeadlines: boolean
}

/** The state of one correlation of a rule (a rule may list several; each has its own). */
export function createCorrelator({ sequence, threshold }: Correlation, maxOpenGroups: number): Correlator {
  if (sequence !== undefined) return new SequenceCorrelator(sequence, maxOpenGroups)
  if (threshold !== undefined) return new ThresholdCorrelator(threshold, maxOpenGroups)
  return SINGLE_EVENT
}

/** A `{ match }` entry of a correlate list: every event it sees is an occurrence on its own. */
const SINGLE_EVENT: Correlator = {
  accept: (timed) => [[timed]],
  advance: () => [],
  end: () => [],
  evicted: 0,
  hasDeadlines: false,
}

/** The group key of an event: the text of every key field (all must be present), NUL-joined. */
function createKeyReader(fields: readonly string[]): (timed: TimedEvent) => string | undefined {
  const readers = fields.map((field) => createFieldAccessor(field))
  return ({ event }) => {
    let key = ''
    for (const read of readers) {
      const text = toText(read(event))
      if (text === undefined) return undefined
      key += `${text}\u0000`
    }
    return key
  }
}

/**
 * Map with a cap: inserting past it evicts the oldest entry. Groups whose window has passed are also
 * dropped as time moves on, by a sweep that looks at a few groups per event, so state follows the groups
 * still open within their window rather than the cap.
 */
export class BoundedGroups<G> extends Map<string, G> {
  evicted = 0
  private sweep: MapIterator<[string, G]> | undefined
  private addedSinceFullSweep = 0
  /** `dead`: whether a group can no longer fire (its window has passed), judged at the latest event time. */
  constructor(
    private readonly cap: number,
    private readonly dead: (group: G) => boolean,
  ) {
    super()
  }
  /** Looks at the next `budget` groups of a round-robin pass and drops the dead ones. */
  sweepDead(budget: number): void {
    for (let looked = 0; looked < budget && this.size > 0; looked++) {
      this.sweep ??= this.entries()
      const next = this.sweep.next()
      if (next.done === true) this.sweep = undefined
      else if (this.dead(next.value[1])) this.delete(next.value[0])
    }
  }
  add(key: string, group: G): void {
    this.delete(key)
    this.set(key, group)
    this.addedSinceFullSweep++
    // At the cap, drop every dead group before evicting a live one. A full pass costs O(cap), so it runs at
    // most once per cap/4 insertions: amortised, a few checks per group.
    if (this.size > this.cap && this.addedSinceFullSweep >= this.cap / 4) {
      this.addedSinceFullSweep = 0
      for (const [k, g] of this) if (this.dead(g)) this.delete(k)
    }
    while (this.size > this.cap) {
      const oldest = this.keys().next()
      if (oldest.done === true) break
      this.delete(oldest.value)
      this.evicted++
    }
  }
}

/** Groups the sweep looks at per event: more than one, so it outpaces group creation. */
const SWEEP_PER_EVENT = 2

const isBefore = (time: number | undefined, limit: number): boolean => time !== undefined && time < limit

interface SequenceGroup {
  /** Index of the step expected next; `steps.length` once complete (then awaiting the missing event). */
  next: number
  start: number | undefined
  events: TimedEvent[]
  deadline: number | undefined
}

class SequenceCorrelator implements Correlator {
  private readonly groups: BoundedGroups<SequenceGroup>
  private readonly stepKeys: ((timed: TimedEvent) => string | undefined)[]
  /** Per slot offset: whether that condition reads the group key (steps without a `by` of their own, and the extras). */
  private readonly usesGroupKey: boolean[]
  /** Per step, the least time since the previous step (`after`), in ms; 0 when not set. */
  private readonly stepAfter: number[]
  private readonly groupKey: (timed: TimedEvent) => string | undefined
  private readonly within: number
  private readonly missingWithin: number | undefined
  private readonly untilOffset: number
  private readonly missingOffset: number
  private readonly notPrecededByOffset: number
  private readonly notPrecededWithin: number
  /** The latest event time seen: what "dead" is judged against. */
  private now: number | undefined
  /** Per group key, when an event matching `notPrecededBy` was last seen (bounded like the groups). */
  private readonly lastPreceding: BoundedGroups<number | undefined>
  /** Deadlines of complete groups; entries whose group was closed or replaced meanwhile are skipped when due. */
  private readonly deadlines = new DeadlineQueue<{ key: string; group: SequenceGroup }>()
  readonly hasDeadlines: boolean

  constructor(private readonly sequence: SequenceCorrelation, maxOpenGroups: number) {
    // An unfinished group past its window can never complete (a complete one waits for its deadline).
    this.groups = new BoundedGroups<SequenceGroup>(
      maxOpenGroups,
      (group) => this.now !== undefined && group.next < sequence.steps.length && this.expired(group, this.now),
    )
    this.groupKey = createKeyReader(sequence.by)
    this.stepKeys = sequence.steps.map((step) => (step.by === undefined ? this.groupKey : createKeyReader(step.by)))
    this.stepAfter = sequence.steps.map((step) => (step.after === undefined ? 0 : (parseDuration(step.after) ?? 0)))
    this.within = parseDuration(sequence.within) ?? 0
    this.missingWithin = sequence.missing === undefined ? undefined : parseDuration(sequence.missing.within)
    const extras = sequenceExtras(sequence).map(({ role }) => role)
    const offsetOf = (role: SequenceExtraRole): number => {
      const at = extras.indexOf(role)
      return at === -1 ? -1 : sequence.steps.length + at
    }
    this.untilOffset = offsetOf('until')
    this.missingOffset = offsetOf('missing')
    this.notPrecededByOffset = offsetOf('notPrecededBy')
    this.usesGroupKey = [...this.stepKeys.map((reader) => reader === this.groupKey), ...extras.map(() => true)]
    this.notPrecededWithin = sequence.notPrecededBy === undefined ? 0 : (parseDuration(sequence.notPrecededBy.within) ?? 0)
    this.lastPreceding = new BoundedGroups<number | undefined>(
      maxOpenGroups,
      (seen) => this.now !== undefined && seen !== undefined && this.now - seen > this.notPrecededWithin,
    )
    this.hasDeadlines = sequence.missing !== undefined
  }

  get evicted(): number {
    return this.groups.evicted + this.lastPreceding.evicted
  }

  accept(timed: TimedEvent, offsets: readonly number[]): TimedEvent[][] {
    const stepCount = this.sequence.steps.length
    if (timed.time !== undefined) {
      this.now = timed.time
      this.groups.sweepDead(SWEEP_PER_EVENT)
      this.lastPreceding.sweepDead(SWEEP_PER_EVENT)
    }
    // The group key is read once per event: most steps share it, and reading it joins field texts.
    const groupKey = offsets.some((offset) => this.usesGroupKey[offset] === true) ? this.groupKey(timed) : undefined
    if (offsets.includes(this.notPrecededByOffset)) {
      const key = groupKey
      if (key !== undefined) this.lastPreceding.add(key, timed.time)
    }
    if (offsets.includes(this.missingOffset) || offsets.includes(this.untilOffset)) {
      const key = groupKey
      const group = key === undefined ? undefined : this.groups.get(key)
      // The awaited event closes a complete group; `until` cancels a group at any point.
      if (key !== undefined && group !== undefined && (offsets.includes(this.untilOffset) || group.next === stepCount)) {
        this.groups.delete(key)
        return []
      }
    }
    let startKey: string | undefined
    for (const step of offsets) {
      if (step >= stepCount) break
      const reader = this.stepKeys[step]
      const key = reader === this.groupKey ? groupKey : reader?.(timed)
      if (key === undefined) continue
      if (step === 0) startKey = key
      const group = this.groups.get(key)
      if (group === undefined || group.next !== step || step === 0) continue
      if (this.expired(group, timed.time)) {
        this.groups.delete(key)
        continue
      }
      if (this.tooSoon(group, step, timed.time)) continue
      group.events.push(timed)
      group.next++
      return this.completed(key, group, timed.time)
    }
    if (startKey === undefined || this.precededRecently(startKey, timed.time)) return []
    const open = this.groups.get(startKey)
    // A repeated first step restarts an unfinished group (the newest start keeps the window fresh);
    // a complete group waiting for its missing event is left alone.
    if (open !== undefined && open.next === stepCount) return []
    const group: SequenceGroup = { next: 1, start: timed.time, events: [timed], deadline: undefined }
    this.groups.add(startKey, group)
    return this.completed(startKey, group, timed.time)
  }

  advance(now: number): TimedEvent[][] {
    const due: TimedEvent[][] = []
    for (let next = this.deadlines.popBefore(now); next !== undefined; next = this.deadlines.popBefore(now)) {
      const { key, group } = next.item
      if (this.groups.get(key) !== group) continue
      this.groups.delete(key)
      due.push(group.events)
    }
    return due
  }

  end(): TimedEvent[][] {
    const due = [...this.groups.values()].filter((group) => group.next === this.sequence.steps.length).map((group) => group.events)
    this.groups.clear()
    this.deadlines.clear()
    return due
  }

  /** Whether a `notPrecededBy` event of this group came within its window before `time` (no times: any counts). */
  private precededRecently(key: string, time: number | undefined): boolean {
    if (!this.lastPreceding.has(key)) return false
    const seen = this.lastPreceding.get(key)
    return seen === undefined || time === undefined || time - seen <= this.notPrecededWithin
  }

  /** A step with `after` only counts once that long has passed since the previous step (unknown times: never). */
  private tooSoon(group: SequenceGroup, step: number, time: number | undefined): boolean {
    const after = this.stepAfter[step] ?? 0
    if (after === 0) return false
    const previous = group.events.at(-1)?.time
    return previous === undefined || time === undefined || time - previous < after
  }

  private expired(group: SequenceGroup, time: number | undefined): boolean {
    return group.start !== undefined && time !== undefined && time - group.start > this.within
  }

  private completed(key: string, group: SequenceGroup, time: number | undefined): TimedEvent[][] {
    if (group.next < this.sequence.steps.length) return []
    if (this.missingWithin === undefined) {
      this.groups.delete(key)
      return [group.events]
    }
    group.deadline = time === undefined ? undefined : time + this.missingWithin
    if (group.deadline !== undefined) this.deadlines.push(group.deadline, { key, group })
    return []
  }
}

interface ThresholdGroup {
  entries: TimedEvent[]
  /** distinct value → how many entries carry it. */
  values: Map<string, number>
}

/** Entries one threshold group keeps (events repeating a `distinct` value beyond this drop the oldest). */
const THRESHOLD_ENTRY_CAP = 1_000

class ThresholdCorrelator implements Correlator {
  private readonly groups: BoundedGroups<ThresholdGroup>
  private readonly groupKey: (timed: TimedEvent) => string | undefined
  private readonly distinct: FieldAccessor | undefined
  private readonly within: number
  readonly hasDeadlines = false

  /** The latest event time seen: what "dead" is judged against. */
  private now: number | undefined

  constructor(private readonly threshold: ThresholdCorrelation, maxOpenGroups: number) {
    // A group whose newest entry left the window would start over on its next event anyway.
    this.groups = new BoundedGroups<ThresholdGroup>(
      maxOpenGroups,
      ({ entries }) => this.now !== undefined && isBefore(entries.at(-1)?.time, this.now - this.within),
    )
    this.groupKey = createKeyReader(threshold.by)
    this.distinct = threshold.distinct === undefined ? undefined : createFieldAccessor(threshold.distinct)
    this.within = parseDuration(threshold.within) ?? 0
  }

  get evicted(): number {
    return this.groups.evicted
  }

  accept(timed: TimedEvent, offsets: readonly number[]): TimedEvent[][] {
    if (!offsets.includes(0)) return []
    if (timed.time !== undefined) {
      this.now = timed.time
      this.groups.sweepDead(SWEEP_PER_EVENT)
    }
    const key = this.groupKey(timed)
    if (key === undefined) return []
    const value = this.distinct === undefined ? '' : toText(this.distinct(timed.event))
    if (value === undefined) return []
    let group = this.groups.get(key)
    if (group === undefined) {
      group = { entries: [], values: new Map() }
      this.groups.add(key, group)
    }
    group.entries.push(timed)
    group.values.set(value, (group.values.get(value) ?? 0) + 1)
    this.prune(group, timed.time)
    const count = this.distinct === undefined ? group.entries.length : group.values.size
    if (count < this.threshold.count) return []
    this.groups.delete(key)
    return [group.entries]
  }

  advance(): TimedEvent[][] {
    return []
  }

  end(): TimedEvent[][] {
    this.groups.clear()
    return []
  }

  /** Drops entries that fell out of the window (and the oldest past the cap). */
  private prune(group: ThresholdGroup, now: number | undefined): void {
    let drop = 0
    while (drop < group.entries.length) {
      const time = group.entries[drop]?.time
      const outside = now !== undefined && time !== undefined && now - time > this.within
      if (!outside && group.entries.length - drop <= THRESHOLD_ENTRY_CAP) break
      const value = this.distinct === undefined ? '' : (toText(this.distinct((group.entries[drop] as TimedEvent).event)) ?? '')
      const left = (group.values.get(value) ?? 1) - 1
      if (left === 0) group.values.delete(value)
      else group.values.set(value, left)
      drop++
    }
    if (drop > 0) group.entries.splice(0, drop)
  }
}

