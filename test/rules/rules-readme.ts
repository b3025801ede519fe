// rules/README.md is generated from the rule files: `pnpm run rules:readme` rewrites it and
// rules-readme.test.ts fails when the committed file drifts from what the rules say.
import type { Rule } from '@registry-logscan/rules-engine'

const DOC_PAGES: readonly [prefix: string, name: string][] = [
  ['https://docs.gitlab.com/administration/packages/container_registry_troubleshooting/', 'Troubleshooting the container registry (admin)'],
  ['https://docs.gitlab.com/user/packages/container_registry/troubleshoot_container_registry/', 'Troubleshooting the container registry (user)'],
  ['https://docs.gitlab.com/administration/packages/container_registry/', 'Container registry administration'],
]

/** "Page › anchor" for a docs.gitlab.com link, the raw URL for anything else. */
export function describeDocsLink(url: string): string {
  const page = DOC_PAGES.find(([prefix]) => url.startsWith(prefix))
  if (page === undefined) return url
  const anchor = url.slice(page[0].length).replace(/^#/, '')
  return anchor === '' ? page[1] : `${page[1]} › ${anchor.replaceAll('-', ' ')}`
}

// Table cells cannot hold a raw pipe or newline.
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}

/** The whole README, rules sorted by id. */
export function formatRulesReadme(rules: readonly Rule[]): string {
  const rows = [...rules]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((rule) => {
      const sources = rule.sources.map((source) => `\`${source}\``).join(', ')
      const docs = `[${cell(describeDocsLink(rule.docs))}](${rule.docs})`
      return `| [\`${rule.id}\`](${rule.id}.yaml) | ${cell(rule.title)} | ${rule.severity} | ${rule.status} | ${sources} | ${docs} |`
    })
  return [
    '# Rule catalogue',
    '',
    '<!-- Generated from the rule files by test/rules/rules-readme.ts: run `pnpm run rules:readme`, do not edit. -->',
    '',
    'One rule per file, file name = rule id. Ids are public API (see `rules/ids.txt` and',
    '`shared/spec/rule-ids.md`). The rule language is described in `packages/rules-engine/RULE-FORMAT.md`;',
    '`macros/` holds the conditions and lists the rules share, `examples/<id>/` the multi-line examples.',
    'Every example runs in `test/rules/rule-examples.test.ts`, and no rule may fire on `test/fixtures/healthy/`.',
    '',
    `${rules.length} rules.`,
    '',
    '| id | title | severity | status | sources | docs |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n')
}
