// Rule-count scaling: a rules directory with `count` rules made by copying the catalogue under new ids
// (`<id>-copy-<n>`), so the engine's cost per added rule can be measured on the same corpus.
import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { loadCatalogue } from './load-catalogue.js'

export async function makeRuleCopies(rulesDir: string, count: number): Promise<string> {
  const { skipped } = await loadCatalogue(rulesDir)
  const broken = new Set(skipped.map((s) => s.file))
  const names = (await readdir(rulesDir)).filter((name) => name.endsWith('.yaml') && !broken.has(name)).sort()
  const out = await mkdtemp(join(tmpdir(), `bench-rules-${count}-`))
  await cp(join(rulesDir, 'macros'), join(out, 'macros'), { recursive: true }).catch(() => undefined)
  await cp(join(rulesDir, 'examples'), join(out, 'examples'), { recursive: true }).catch(() => undefined)
  const rules = await Promise.all(names.map(async (name) => parse(await readFile(join(rulesDir, name), 'utf8')) as { id: string }))
  for (let n = 0; n < count && rules.length > 0; n++) {
    const rule = rules[n % rules.length] as { id: string }
    const copy = n < rules.length ? rule : { ...rule, id: `${rule.id}-copy-${Math.floor(n / rules.length)}` }
    await writeFile(join(out, `${copy.id}.yaml`), stringify(copy))
  }
  return out
}
