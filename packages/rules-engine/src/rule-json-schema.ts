// rules/rule.schema.json is generated from the zod schema, so editors validate exactly what the loader
// accepts (minus the cross-file checks). `pnpm --filter @registry-logscan/rules-engine run schema` writes it;
// rule-json-schema.test.ts fails when the committed file drifts.
import { z } from 'zod'
import { ruleSchema } from './rule-schema.js'

/** The JSON Schema (draft 2020-12) of a rule file, as written (defaults optional). */
export function ruleJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ruleSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'registry-logscan rule',
    description: 'One rule of registry-logscan. Generated from packages/rules-engine/src/rule-schema.ts; see RULE-FORMAT.md.',
  }
}

/** The file content of rules/rule.schema.json. */
export function formatRuleJsonSchema(): string {
  return `${JSON.stringify(ruleJsonSchema(), null, 2)}\n`
}
