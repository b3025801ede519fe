// The naive scan every throughput figure is divided by: what a user would write first, `readline` over each
// file and one RegExp per rule built from the strings the rule's YAML mentions. It finds candidate lines, not
// findings (no parsing, no correlation), so it is a floor on cost, not a rival in correctness.
import { createReadStream } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { parse } from 'yaml'

/** One rule as the naive scan sees it. */
export interface NaiveRule {
  id: string
  pattern: RegExp
  /** The plain strings the pattern alternates (for `rg -F -f`). */
  literals: string[]
}

const LITERAL_KEYS = new Set(['contains', 'startsWith', 'endsWith', 'equals', 'oneOf'])
// Short `equals` values (`PUT`, `404`, `error`) match nearly every line; a person grepping would skip them.
const MIN_LITERAL = 5

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Collects the literal strings and regex sources found anywhere under a rule's `match` / `correlate`. */
function collect(node: unknown, literals: Set<string>, regexes: Set<string>): void {
  if (Array.isArray(node)) for (const item of node) collect(item, literals, regexes)
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'regex' && typeof value === 'string') regexes.add(value)
      else if (LITERAL_KEYS.has(key)) {
        for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string' && item.length >= MIN_LITERAL) literals.add(item)
      } else collect(value, literals, regexes)
    }
  }
}

/** Reads every `*.yaml` rule of `dir` (no validation: the naive user has none). */
export async function loadNaiveRules(dir: string): Promise<NaiveRule[]> {
  const rules: NaiveRule[] = []
  for (const name of (await readdir(dir)).filter((file) => file.endsWith('.yaml')).sort()) {
    const rule = parse(await readFile(join(dir, name), 'utf8')) as { id?: string; match?: unknown; correlate?: unknown }
    const literals = new Set<string>()
    const regexes = new Set<string>()
    collect([rule.match, rule.correlate], literals, regexes)
    const parts = [...[...literals].map(escapeRegExp), ...regexes]
    if (parts.length === 0) continue
    rules.push({ id: rule.id ?? name, pattern: new RegExp(parts.join('|')), literals: [...literals] })
  }
  return rules
}

/** readline + every rule's RegExp on every line. Returns lines read and matching lines per rule. */
export async function scanNaive(files: readonly string[], rules: readonly NaiveRule[]): Promise<{ lines: number; matches: Record<string, number> }> {
  const matches: Record<string, number> = Object.fromEntries(rules.map((rule) => [rule.id, 0]))
  let lines = 0
  for (const file of files) {
    const reader = createInterface({ input: createReadStream(file), crlfDelay: Infinity })
    for await (const line of reader) {
      lines++
      for (const rule of rules) if (rule.pattern.test(line)) matches[rule.id] = (matches[rule.id] ?? 0) + 1
    }
  }
  return { lines, matches }
}
