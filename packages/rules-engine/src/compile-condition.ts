// A condition as written → one predicate closure, built once per rule and run on every candidate event, so
// the work per event is kept to the minimum at compile time:
// - a condition that tests `source` is compiled once per source with those tests folded to constants, and
//   dispatches on `event.source` (a request-line macro on an NGINX event is then no test at all);
// - `all` / `any` run their cheapest children first (an enum compare before a `contains`, a regex last);
// - a macro or a composite condition written more than once (the same `upload-attempt` in six steps, or in
//   several rules) is compiled once per rule set and remembers its verdict for the last event it saw, so it
//   is evaluated once per event, not once per use.
// Predicates are pure functions of the event (the memo only saves repeats), so reordering changes no result.
import { SOURCE_IDS, type LogEvent, type SourceId } from '@registry-logscan/parser'
import { compileFieldTest, fieldTestCost, type EventPredicate } from './compile-field-test.js'
import type { Condition, ListValues } from './rule-schema.js'

export type { EventPredicate } from './compile-field-test.js'
export { toNumber, toText } from './compile-field-test.js'

/** Macros and lists a condition may name (already validated by the loader). */
export interface ConditionNames {
  macros: Readonly<Record<string, Condition>>
  lists: Readonly<Record<string, ListValues>>
}

/** A compiled condition: a constant when the source alone decides it, else a predicate, with its rough cost. */
interface Compiled {
  test: EventPredicate | boolean
  cost: number
}

/** Composite conditions already compiled for one `ConditionNames` (one rule set), by source and shape. */
const sharedByNames = new WeakMap<ConditionNames, Map<string, Compiled>>()

const never: EventPredicate = () => false
const always: EventPredicate = () => true

/** Compiles a validated condition. Unknown macro/list names (impossible after loading) compile to "never". */
export function compileCondition(condition: Condition, names: ConditionNames): EventPredicate {
  let shared = sharedByNames.get(names)
  if (shared === undefined) {
    shared = new Map()
    sharedByNames.set(names, shared)
  }
  const compiler = new Compiler(names, shared)
  if (!mentionsSource(condition, names, 0)) return predicateOf(compiler.compile(condition, undefined))
  const generic = predicateOf(compiler.compile(condition, undefined))
  const bySource: Partial<Record<string, EventPredicate>> = Object.create(null) as Partial<Record<string, EventPredicate>>
  for (const source of SOURCE_IDS) bySource[source] = predicateOf(compiler.compile(condition, source))
  return (event) => (bySource[event.source] ?? generic)(event)
}

function predicateOf({ test }: Compiled): EventPredicate {
  if (test === true) return always
  if (test === false) return never
  return test
}

class Compiler {
  constructor(
    private readonly names: ConditionNames,
    private readonly shared: Map<string, Compiled>,
  ) {}

  /** `source`: the source every event reaching this predicate has, or undefined when unknown. */
  compile(condition: Condition, source: SourceId | undefined): Compiled {
    if (condition.all === undefined && condition.any === undefined && condition.not === undefined) {
      if (condition.macro === undefined) return this.field(condition, source)
      const macro = Object.hasOwn(this.names.macros, condition.macro) ? this.names.macros[condition.macro] : undefined
      return macro === undefined ? { test: false, cost: 0 } : this.compile(macro, source)
    }
    const key = `${source ?? '*'}\u0000${JSON.stringify(condition)}`
    const known = this.shared.get(key)
    if (known !== undefined) return known
    const compiled = remember(this.composite(condition, source))
    this.shared.set(key, compiled)
    return compiled
  }

  private composite(condition: Condition, source: SourceId | undefined): Compiled {
    if (condition.all !== undefined) return combine(condition.all.map((child) => this.compile(child, source)), true)
    if (condition.any !== undefined) return combine(condition.any.map((child) => this.compile(child, source)), false)
    const inner = this.compile(condition.not as Condition, source)
    const { test } = inner
    return { test: typeof test === 'boolean' ? !test : (event) => !test(event), cost: inner.cost }
  }

  private field(condition: Condition, source: SourceId | undefined): Compiled {
    if (condition.field === undefined) return { test: false, cost: 0 }
    const test = compileFieldTest(condition as Condition & { field: string }, this.names.lists)
    // The source is known: a test on it is decided now.
    if (source !== undefined && condition.field === 'source') return { test: test({ source } as LogEvent), cost: 0 }
    return { test, cost: fieldTestCost(condition) }
  }
}

/**
 * `all` (`every` true) or `any`: constants folded, the rest run cheapest first. `every` and `some` over a
 * few closures are unrolled, as these run for every candidate event.
 */
function combine(children: readonly Compiled[], every: boolean): Compiled {
  const parts: { test: EventPredicate; cost: number }[] = []
  for (const { test, cost } of children) {
    if (typeof test === 'boolean') {
      if (test !== every) return { test, cost: 0 }
    } else parts.push({ test, cost })
  }
  if (parts.length === 0) return { test: every, cost: 0 }
  parts.sort((left, right) => left.cost - right.cost)
  const cost = parts.reduce((sum, part) => sum + part.cost, 0)
  const tests = parts.map((part) => part.test)
  const [a, b, c] = tests as [EventPredicate, EventPredicate | undefined, EventPredicate | undefined]
  if (tests.length === 1) return { test: a, cost }
  if (tests.length === 2) {
    const second = b as EventPredicate
    return { test: every ? (event) => a(event) && second(event) : (event) => a(event) || second(event), cost }
  }
  if (tests.length === 3) {
    const second = b as EventPredicate
    const third = c as EventPredicate
    return { test: every ? (event) => a(event) && second(event) && third(event) : (event) => a(event) || second(event) || third(event), cost }
  }
  if (every) {
    return {
      test: (event) => {
        for (let at = 0; at < tests.length; at++) if (!(tests[at] as EventPredicate)(event)) return false
        return true
      },
      cost,
    }
  }
  return {
    test: (event) => {
      for (let at = 0; at < tests.length; at++) if ((tests[at] as EventPredicate)(event)) return true
      return false
    },
    cost,
  }
}

/** Wraps a shared composite so every use after the first on the same event costs one comparison. */
function remember(compiled: Compiled): Compiled {
  const { test } = compiled
  if (typeof test === 'boolean') return compiled
  let last: LogEvent | undefined
  let verdict = false
  return {
    test: (event) => {
      if (event !== last) {
        verdict = test(event)
        last = event
      }
      return verdict
    },
    cost: compiled.cost,
  }
}

/** Whether the condition (its macros included) tests `source`, so compiling it per source pays. */
function mentionsSource(condition: Condition, names: ConditionNames, depth: number): boolean {
  if (depth > 64) return false
  if (condition.field === 'source') return true
  const children = [...(condition.all ?? []), ...(condition.any ?? []), ...(condition.not === undefined ? [] : [condition.not])]
  if (condition.macro !== undefined && Object.hasOwn(names.macros, condition.macro)) children.push(names.macros[condition.macro] as Condition)
  return children.some((child) => mentionsSource(child, names, depth + 1))
}
