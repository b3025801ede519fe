// test/README.md must say where each kind of test goes: every folder under test/ has a `## <folder>` section
// (vitest's own test/README.md drifted from its folders; this keeps ours honest).
import { readdir, readFile } from 'node:fs/promises'
import { expect, test } from 'vitest'

test('every folder under test/ has a section in test/README.md', async () => {
  const readme = await readFile(new URL('./README.md', import.meta.url), 'utf8')
  const sections = new Set([...readme.matchAll(/^## (\S+)$/gm)].map((match) => match[1]))
  const folders = (await readdir(new URL('./', import.meta.url), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
    .map((entry) => entry.name)
  expect(folders.length).toBeGreaterThan(0)
  for (const folder of folders) expect(sections, `test/${folder}/ needs a "## ${folder}" section in test/README.md`).toContain(folder)
})
