// One `{ field, <operator> }` condition → one predicate, specialised at compile time for its operator and
// value types so the per-event work is a property read and one comparison. Semantics follow RULE-FORMAT.md:
// an absent (or null) field fails every operator except `exists: false`; on an array field an operator holds
// when it holds for any element; numbers and numeric strings compare as numbers; `ignoreCase` lower-cases both
// sides; objects never match a value operator.
import type { LogEvent } from '@registry-logscan/parser'
import ipaddr from 'ipaddr.js'
import { createFieldAccessor } from './field-path.js'
import type { Condition, ListValues } from './rule-schema.js'

/** Whether an event satisfies a condition. */
export type EventPredicate = (event: LogEvent) => boolean

/** A test on one non-null field value (a scalar, or one element of an array field). */
type ValueTest = (value: unknown) => boolean

const NEVER: ValueTest = () => false

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

/** Compiles a field condition (`condition.field` set). `lists` resolves `inList`. */
export function compileFieldTest(condition: Condition & { field: string }, lists: Readonly<Record<string, ListValues>>): EventPredicate {
  const read = createFieldAccessor(condition.field)
  if (condition.exists !== undefined) {
    const wanted = condition.exists
    return (event) => (read(event) !== undefined) === wanted
  }
  const test = compileValueTest(condition, lists)
  if (test === NEVER) return () => false
  return (event) => {
    const value = read(event)
    if (typeof value !== 'object') return value !== undefined && test(value)
    return Array.isArray(value) && value.some(test)
  }
}

/** Rough per-event cost of a field condition, for ordering `all` / `any` cheapest first. */
export function fieldTestCost(condition: Condition): number {
  const access = condition.field?.includes('.') === true ? 1 : 0
  if (condition.exists !== undefined || condition.equals !== undefined || condition.oneOf !== undefined || condition.inList !== undefined) {
    return access + (condition.ignoreCase === true ? 3 : 1)
  }
  if (condition.gt !== undefined || condition.gte !== undefined || condition.lt !== undefined || condition.lte !== undefined) return access + 1
  const needles = condition.contains ?? condition.startsWith ?? condition.endsWith
  if (needles !== undefined) return access + (condition.contains === undefined ? 2 : 4) * (typeof needles === 'string' ? 1 : needles.length)
  return access + (condition.cidr !== undefined ? 8 : 12)
}

function compileValueTest(condition: Condition, lists: Readonly<Record<string, ListValues>>): ValueTest {
  const ignoreCase = condition.ignoreCase === true
  if (condition.equals !== undefined) return compileOneOf([condition.equals], ignoreCase)
  if (condition.oneOf !== undefined) return compileOneOf(condition.oneOf, ignoreCase)
  if (condition.inList !== undefined) {
    const list = Object.hasOwn(lists, condition.inList) ? lists[condition.inList] : undefined
    return list === undefined ? NEVER : compileOneOf(list, ignoreCase)
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
  return NEVER
}

/**
 * `equals`, `oneOf`, `inList`: a string matches its text, a number its numeric value (finite numbers only:
 * `toNumber` never yields another), a boolean itself or its name. The common shapes (one string, strings,
 * numbers) get a closure that does no conversion when the field has the expected type.
 */
function compileOneOf(values: readonly (string | number | boolean)[], ignoreCase: boolean): ValueTest {
  const texts = new Set<string>()
  const numbers = new Set<number>()
  const booleans = new Set<boolean>()
  for (const value of values) {
    if (typeof value === 'string') texts.add(ignoreCase ? value.toLowerCase() : value)
    else if (typeof value === 'number') {
      if (Number.isFinite(value)) numbers.add(value)
    } else {
      booleans.add(value)
      texts.add(String(value))
    }
  }
  if (texts.size === 0 && numbers.size === 0) return NEVER
  if (ignoreCase) {
    return (value) => {
      if (typeof value === 'boolean' && booleans.has(value)) return true
      if (numbers.size > 0) {
        const number = toNumber(value)
        if (number !== undefined && numbers.has(number)) return true
      }
      const text = toText(value)
      return text !== undefined && texts.has(text.toLowerCase())
    }
  }
  if (numbers.size === 0 && booleans.size === 0) {
    if (texts.size === 1) {
      const [only] = texts as unknown as [string]
      return (value) => (typeof value === 'string' ? value === only : toText(value) === only)
    }
    return (value) => {
      if (typeof value === 'string') return texts.has(value)
      const text = toText(value)
      return text !== undefined && texts.has(text)
    }
  }
  if (texts.size === 0) {
    if (numbers.size === 1) {
      const [only] = numbers as unknown as [number]
      return (value) => (typeof value === 'number' ? value === only : toNumber(value) === only)
    }
    return (value) => {
      if (typeof value === 'number') return numbers.has(value) && Number.isFinite(value)
      const number = toNumber(value)
      return number !== undefined && numbers.has(number)
    }
  }
  return (value) => {
    if (typeof value === 'boolean' && booleans.has(value)) return true
    const number = numbers.size > 0 ? toNumber(value) : undefined
    if (number !== undefined && numbers.has(number)) return true
    const text = toText(value)
    return text !== undefined && texts.has(text)
  }
}

function compileTextTest(needles: string | readonly string[], ignoreCase: boolean, holds: (text: string, needle: string) => boolean): ValueTest {
  const list = (typeof needles === 'string' ? [needles] : needles).map((needle) => (ignoreCase ? needle.toLowerCase() : needle))
  const textOf = (value: unknown): string | undefined => {
    const raw = typeof value === 'string' ? value : toText(value)
    return raw === undefined || !ignoreCase ? raw : raw.toLowerCase()
  }
  if (list.length === 1) {
    const [needle] = list as [string]
    return (value) => {
      const text = textOf(value)
      return text !== undefined && holds(text, needle)
    }
  }
  return (value) => {
    const text = textOf(value)
    if (text === undefined) return false
    for (const needle of list) if (holds(text, needle)) return true
    return false
  }
}

function compileNumberTest(limit: number, holds: (value: number, limit: number) => boolean): ValueTest {
  return (value) => {
    const number = typeof value === 'number' ? (Number.isFinite(value) ? value : undefined) : toNumber(value)
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
