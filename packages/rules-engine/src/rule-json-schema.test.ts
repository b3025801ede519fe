import { readFile } from 'node:fs/promises'
import { expect, test } from 'vitest'
import { formatRuleJsonSchema, ruleJsonSchema } from './rule-json-schema.js'

test('rules/rule.schema.json is what rule-schema.ts generates (run `pnpm --filter @registry-logscan/rules-engine run schema`)', async () => {
  const committed = await readFile(new URL('../../../rules/rule.schema.json', import.meta.url), 'utf8')
  expect(committed).toBe(formatRuleJsonSchema())
})

test('the JSON Schema is strict and knows the sources', () => {
  const schema = ruleJsonSchema() as { additionalProperties: boolean; properties: { sources: { items: { enum: string[] } } }; required: string[] }
  expect(schema.additionalProperties).toBe(false)
  expect(schema.properties.sources.items.enum).toContain('nginx-access')
  expect(schema.required).toEqual(expect.arrayContaining(['id', 'title', 'severity', 'sources', 'message', 'remediation', 'examples']))
})
