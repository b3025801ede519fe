// Loads the rule catalogue for a benchmark: every rule file that validates on its own (the catalogue is
// edited in parallel; a broken file is reported and left out instead of stopping the run).
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { loadRules, type RuleSet } from '@registry-logscan/rules-engine'

export const RULES_DIR = resolve(import.meta.dirname, '..', '..', 'rules')

export interface Catalogue {
  ruleSet: RuleSet
  /** Rule files that did not load, with the loader's message. */
  skipped: { file: string; error: string }[]
}

export async function loadCatalogue(dir: string = RULES_DIR): Promise<Catalogue> {
  const root = await mkdtemp(join(tmpdir(), 'bench-rules-'))
  try {
    const names = (await readdir(dir)).filter((name) => /\.(ya?ml|json)$/.test(name) && !name.endsWith('.schema.json')).sort()
    const skipped: Catalogue['skipped'] = []
    const valid: string[] = []
    const withMacros = async (target: string): Promise<void> => {
      await cp(join(dir, 'macros'), join(target, 'macros'), { recursive: true }).catch(() => undefined)
    }
    for (const name of names) {
      const one = join(root, `one-${name}`)
      await withMacros(one)
      await cp(join(dir, name), join(one, name))
      try {
        await loadRules([one])
        valid.push(name)
      } catch (error) {
        skipped.push({ file: name, error: error instanceof Error ? error.message : String(error) })
      }
    }
    const all = join(root, 'all')
    await withMacros(all)
    for (const name of valid) await cp(join(dir, name), join(all, name))
    const ruleSet = await loadRules([all])
    return { ruleSet, skipped }
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}
