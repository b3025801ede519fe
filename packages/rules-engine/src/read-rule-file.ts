// Reading one untrusted rule or macros file into a plain value: capped size, YAML 1.2 core schema, no
// tags, no anchors/aliases, no prototype-polluting keys, capped nesting. Everything after this step works on
// plain data that cannot surprise zod or the compiler.
import { readFile, stat } from 'node:fs/promises'
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml'
import { RuleFileError } from './errors.js'

/** Caps on the file itself. */
export const RULE_FILE_LIMITS = {
  /** Bytes of one rule or macros file. */
  bytes: 256 * 1024,
  /** Maps and lists inside each other. */
  depth: 32,
} as const

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** Reads `file` and returns its content as plain JSON-like data, or throws a RuleFileError. */
export async function readRuleFile(file: string): Promise<unknown> {
  let size: number
  let text: string
  try {
    size = (await stat(file)).size
    if (size > RULE_FILE_LIMITS.bytes) {
      throw new RuleFileError({
        code: 'RLS_RULE_TOO_LARGE', file, reason: `${size} bytes is more than the ${RULE_FILE_LIMITS.bytes} a rule file may have`,
      })
    }
    text = await readFile(file, 'utf8')
  } catch (error) {
    if (error instanceof RuleFileError) throw error
    throw new RuleFileError({ code: 'RLS_RULE_UNREADABLE', file, reason: (error as Error).message })
  }
  return parseRuleText(text, file)
}

/** Parses the text of a rule or macros file (YAML or JSON). Throws a RuleFileError naming `file`. */
export function parseRuleText(text: string, file: string): unknown {
  if (text.length > RULE_FILE_LIMITS.bytes) {
    throw new RuleFileError({ code: 'RLS_RULE_TOO_LARGE', file, reason: `more than ${RULE_FILE_LIMITS.bytes} bytes` })
  }
  try {
    return parseChecked(text, file)
  } catch (error) {
    if (error instanceof RuleFileError) throw error
    // A pathological document (e.g. thousands of nested brackets) can exhaust the parser's stack.
    throw new RuleFileError({ code: 'RLS_RULE_YAML', file, reason: `cannot be read: ${(error as Error).message}` })
  }
}

function parseChecked(text: string, file: string): unknown {
  const document = parseDocument(text, { schema: 'core', customTags: [], merge: false, uniqueKeys: true, prettyErrors: true })
  const [first] = document.errors
  if (first !== undefined) {
    // With prettyErrors the first line ends with "at line L, column C:".
    throw new RuleFileError({ code: 'RLS_RULE_YAML', file, reason: `invalid YAML: ${firstLine(first.message).replace(/:$/, '')}` })
  }
  checkNodes(document, file)
  const value: unknown = document.toJS({ maxAliasCount: 0 })
  checkDepth(value, file)
  return value
}

function checkNodes(document: ReturnType<typeof parseDocument>, file: string): void {
  visit(document, (_key, node, path) => {
    const at = () => fieldPathOf(path, node)
    if (isAlias(node)) {
      throw new RuleFileError({ code: 'RLS_RULE_YAML', file, path: at(), reason: 'YAML aliases (*name) are not allowed in rule files' })
    }
    if ((isScalar(node) || isMap(node) || isSeq(node)) && node.tag !== undefined) {
      throw new RuleFileError({ code: 'RLS_RULE_YAML', file, path: at(), reason: `YAML tags (${node.tag}) are not allowed in rule files` })
    }
    if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor !== undefined) {
      throw new RuleFileError({ code: 'RLS_RULE_YAML', file, path: at(), reason: 'YAML anchors (&name) are not allowed in rule files' })
    }
    if (isPair(node)) {
      const key = isScalar(node.key) ? node.key.value : node.key
      if (typeof key !== 'string' && typeof key !== 'number') {
        throw new RuleFileError({ code: 'RLS_RULE_YAML', file, path: at(), reason: 'only string keys are allowed' })
      }
      if (FORBIDDEN_KEYS.has(String(key))) {
        throw new RuleFileError({
          code: 'RLS_RULE_UNSAFE_KEY', file, path: joinPath(at(), String(key)), reason: `the key "${String(key)}" is not allowed`,
        })
      }
    }
    return undefined
  })
}

/** The field path of a node from the visitor's ancestor list, for error messages. */
function fieldPathOf(path: readonly unknown[], node: unknown): string {
  const keys: string[] = []
  const chain = [...path, node]
  for (let index = 1; index < chain.length; index++) {
    const parent = chain[index - 1]
    const child = chain[index]
    if (isSeq(parent)) keys.push(`[${parent.items.indexOf(child)}]`)
    else if (isPair(parent) && child === parent.value && isScalar(parent.key)) keys.push(`.${String(parent.key.value)}`)
  }
  return keys.join('').replace(/^\./, '')
}

function joinPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`
}

function checkDepth(root: unknown, file: string): void {
  const pending: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }]
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue
    if (item.depth >= RULE_FILE_LIMITS.depth) {
      throw new RuleFileError({ code: 'RLS_RULE_YAML', file, reason: `nested more than ${RULE_FILE_LIMITS.depth} levels deep` })
    }
    for (const child of Object.values(item.value)) pending.push({ value: child, depth: item.depth + 1 })
  }
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message
}
