// A condition as written → one predicate closure, built once per rule. Operators follow RULE-FORMAT.md:
// an absent field fails every operator except `exists: false`; on an array field an operator holds when it
// holds for any element; numbers and numeric strings compare as numbers; `ignoreCase` lower-cases both sides.
import type { LogEvent } from '@registry-logscan/parser'
import ipaddr from 'ipaddr.js'
import { createFieldAccessor } from './field-path.js'
import type { Condition, ListValues } from './rule-schema.js'

/** Whether an event satisfies a condition. */
export type EventPredicate = (event: LogEvent) => boolean

/** Macros and lists a condition may name (already validated by the loader). */
export interface ConditionNames {
  macros: Readonly<Record<string, Condition>>
  lists: Readonly<Record<string, ListValues>>
}

type ValueTest = (value: unknown) => boolean

const never: EventPredicate = () => false

/** Compiles a validated condition. Unknown macro/list names (impossible after loading) compile to "never". */
export function compileCondition(condition: Condition, names: ConditionNames): EventPredicate {
  if (condition.all !== undefined) {
    const parts = condition.all.map((child) => compileCondition(child, names))
    return (event) => parts.every((part) => part(event))
  }
  if (condition.any !== undefined) {
    const parts = condition.any.map((child) => compileCondition(child, names))
    return (event) => parts.some((part) => part(event))
  }
  if (condition.not !== undefined) {
    const inner = compileCondition(condition.not, names)
    return (event) => !inner(event)
  }
  if (condition.macro !== undefined) {
    const macro = Object.hasOwn(names.macros, condition.macro) ? names.macros[condition.macro] : undefined
    return macro === undefined ? never : compileCondition(macro, names)
  }
  if (condition.field === undefined) return never
  const read = createFieldAccessor(condition.field)
  if (condition.exists !== undefined) {
    const wanted = condition.exists
    return (event) => (read(event) !== undefined) === wanted
  }
  const test = compileValueTest(condition, names)
  return (event) => {
    const value = read(event)
    if (value === undefined || value === null) return false
    return Array.isArray(value) ? value.some(test) : test(value)
  }
}

function compileValueTest(condition: Condition, names: ConditionNames): ValueTest {
  const ignoreCase = condition.ignoreCase === true
  if (condition.equals !== undefined) return compileOneOf([condition.equals], ignoreCase)
  if (condition.oneOf !== undefined) return compileOneOf(condition.oneOf, ignoreCase)
  if (condition.inList !== undefined) {
    const list = Object.hasOwn(names.lists, condition.inList) ? names.lists[condition.inList] : undefined
    return list === undefined ? () => false : compileOneOf(list, ignoreCase)
  }
  if (condition.contains !== undefined) return compileTextTest(condition.contains, ignoreCase, (text, needle) => text.includes(needle))
  if (condition.startsWith !== undefined) return compileTextTest(condition.startsWith, ignoreCase, (text, needle) => text.startsWith(needle))
  if (condition.endsWith !== undefined) return compileTextTest(condition.endsWith, ignoreCase, (text, needle) => text.endsWith(needle))
  if (condition.regex !== undefined) {
    const pattern = new RegExp(condition.regex, ignoreCase ? 'i' : '')
    return (value) => {
      const text = toText(value)
      return text !== undefined && pattern.test(text)
    }
  }
  if (condition.gt !== undefined) return compileNumberTest(condition.gt, (value, limit) => value > limit)
  if (condition.gte !== undefined) return compileNumberTest(condition.gte, (value, limit) => value >= limit)
  if (condition.lt !== undefined) return compileNumberTest(condition.lt, (value, limit) => value < limit)
  if (condition.lte !== undefined) return compileNumberTest(condition.lte, (value, limit) => value <= limit)
  if (condition.cidr !== undefined) return compileCidrTest(typeof condition.cidr === 'string' ? [condition.cidr] : condition.cidr)
  return () => false
}

/** `equals`, `oneOf`, `inList`: a string matches its text, a number its numeric value, a boolean itself or its name. */
function compileOneOf(values: readonly (string | number | boolean)[], ignoreCase: boolean): ValueTest {
  const texts = new Set<string>()
  const numbers = new Set<number>()
  const booleans = new Set<boolean>()
  for (const value of values) {
    if (typeof value === 'string') texts.add(ignoreCase ? value.toLowerCase() : value)
    else if (typeof value === 'number') numbers.add(value)
    else {
      booleans.add(value)
      texts.add(String(value))
    }
  }
  return (value) => {
    if (typeof value === 'boolean' && booleans.has(value)) return true
    if (numbers.size > 0) {
      const number = toNumber(value)
      if (number !== undefined && numbers.has(number)) return true
    }
    if (texts.size === 0) return false
    const text = toText(value)
    return text !== undefined && texts.has(ignoreCase ? text.toLowerCase() : text)
  }
}

function compileTextTest(needles: string | readonly string[], ignoreCase: boolean, holds: (text: string, needle: string) => boolean): ValueTest {
  const list = (typeof needles === 'string' ? [needles] : needles).map((needle) => (ignoreCase ? needle.toLowerCase() : needle))
  return (value) => {
    const raw = toText(value)
    if (raw === undefined) return false
    const text = ignoreCase ? raw.toLowerCase() : raw
    return list.some((needle) => holds(text, needle))
  }
}

function compileNumberTest(limit: number, holds: (value: number, limit: number) => boolean): ValueTest {
  return (value) => {
    const number = toNumber(value)
    return number !== undefined && holds(number, limit)
  }
}

function compileCidrTest(ranges: readonly string[]): ValueTest {
  const parsed = ranges.filter((range) => ipaddr.isValidCIDR(range)).map((range) => ipaddr.parseCIDR(range))
  return (value) => {
    const text = toText(value)
    if (text === undefined || !ipaddr.isValid(text)) return false
    // process() turns an IPv4-mapped IPv6 address (::ffff:10.0.0.1) into IPv4, so v4 ranges match it.
    const address = ipaddr.process(text)
    return parsed.some(([network, bits]) => {
      if (address.kind() === network.kind()) return address.match(network, bits)
      return address.kind() === 'ipv4' && (address as ipaddr.IPv4).toIPv4MappedAddress().match(network, bits)
    })
  }
}

/** The text of a scalar (numbers and booleans as JS prints them); undefined for objects. */
export function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

/** A number, or a string that is one (surrounding spaces allowed); undefined otherwise. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string' || value.trim() === '') return undefined
  const number = Number(value)
  return Number.isFinite(number) ? number : undefined
}
