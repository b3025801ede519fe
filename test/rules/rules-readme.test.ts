// Fails when rules/README.md no longer matches the rule files; `pnpm run rules:readme` regenerates it.
import { loadRules } from '@registry-logscan/rules-engine'
import { describe, expect, test } from 'vitest'
import { RULES_DIR, RULES_README } from './catalogue-paths.js'
import { describeDocsLink, formatRulesReadme } from './rules-readme.js'

describe('rules/README.md', () => {
  test('matches the rule files', async () => {
    const { rules } = await loadRules([RULES_DIR])
    await expect(formatRulesReadme(rules)).toMatchFileSnapshot(RULES_README)
  })

  test.each([
    ['https://docs.gitlab.com/administration/packages/container_registry_troubleshooting/#image-push-errors', 'Troubleshooting the container registry (admin) › image push errors'],
    ['https://docs.gitlab.com/administration/packages/container_registry_troubleshooting/', 'Troubleshooting the container registry (admin)'],
    ['https://docs.gitlab.com/administration/packages/container_registry/#use-file-system', 'Container registry administration › use file system'],
    ['https://example.com/x', 'https://example.com/x'],
  ])('describes %s', (url, expected) => {
    expect(describeDocsLink(url)).toBe(expected)
  })
})
