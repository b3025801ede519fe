// NGINX timing variables (`$request_time`, `$upstream_response_time`) are seconds with millisecond resolution.

/** `0.003` → 3 (ms, to the microsecond). `-`, empty and non-numbers → undefined. */
export function parseSecondsToMs(text: string | undefined): number | undefined {
  if (text === undefined || text === '' || text === '-') return undefined
  const seconds = Number(text)
  if (!Number.isFinite(seconds) || seconds < 0) return undefined
  return Math.round(seconds * 1e6) / 1e3
}
