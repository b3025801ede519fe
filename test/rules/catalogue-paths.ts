// Where the rule catalogue and its contract live, relative to this file, so the tests run from any cwd.
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url))
export const RULES_README = fileURLToPath(new URL('../../rules/README.md', import.meta.url))
export const COMMITTED_IDS = fileURLToPath(new URL('../../rules/ids.txt', import.meta.url))
/** CI checks out `shared/` beside the repository, at the same relative path as on a developer machine. */
export const SPEC_RULE_IDS = fileURLToPath(new URL('../../../shared/spec/rule-ids.md', import.meta.url))

/** Rule ids from the first column of the spec's table (`| id | doc section | …`). */
export function parseSpecRuleIds(markdown: string): string[] {
  const ids: string[] = []
  for (const line of markdown.split('\n')) {
    const id = /^\| ([a-z0-9][a-z0-9-]*) \|/.exec(line)?.[1]
    if (id !== undefined && id !== 'id') ids.push(id)
  }
  return ids
}

/** The committed copy: one id per line. */
export function parseCommittedIds(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '')
}

/** The spec's ids when `../shared` is checked out, else undefined. */
export function readSpecRuleIds(): string[] | undefined {
  return existsSync(SPEC_RULE_IDS) ? parseSpecRuleIds(readFileSync(SPEC_RULE_IDS, 'utf8')) : undefined
}
