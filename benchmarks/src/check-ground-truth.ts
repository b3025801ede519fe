// A fast wrong answer fails the benchmark: before a method's speed counts, its per-rule occurrences must equal
// the corpus ground truth (every injected incident found, nothing fired on normal traffic).

export interface TruthCheck {
  ok: boolean
  /** Rules whose count differs: expected vs found. */
  mismatches: { rule: string; expected: number; found: number }[]
}

export function checkGroundTruth(expected: Readonly<Record<string, number>>, found: Readonly<Record<string, number>>): TruthCheck {
  const rules = new Set([...Object.keys(expected), ...Object.keys(found)])
  const mismatches = [...rules]
    .sort()
    .map((rule) => ({ rule, expected: expected[rule] ?? 0, found: found[rule] ?? 0 }))
    .filter((row) => row.expected !== row.found)
  return { ok: mismatches.length === 0, mismatches }
}
