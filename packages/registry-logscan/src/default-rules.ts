// Where the shipped rule catalogue lives: beside the built package when it was packed with one, else the
// workspace's top-level `rules/` (packages/registry-logscan/dist → ../../../rules).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The directory of the rules shipped with registry-logscan (pass it to `loadRules`, or as `rules: [defaultRules()]`). */
export function defaultRules(): string {
  const packaged = fileURLToPath(new URL('../rules', import.meta.url))
  if (existsSync(packaged)) return packaged
  return fileURLToPath(new URL('../../../rules', import.meta.url))
}
