// Durations in rule files: `500ms`, `30s`, `10m`, `1h`, `2d` — one number and one unit, nothing fancier.

/** The syntax the schema accepts for a duration. */
export const DURATION_PATTERN = /^(\d{1,9})(ms|s|m|h|d)$/

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** Milliseconds of a duration like `10m`; `undefined` when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const parts = DURATION_PATTERN.exec(text)
  if (parts === null) return undefined
  const unit = UNIT_MS[parts[2] ?? '']
  if (unit === undefined) return undefined
  return Number(parts[1]) * unit
}
