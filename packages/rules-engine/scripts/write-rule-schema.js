// Writes ../../rules/rule.schema.json from the built rule schema (run via `pnpm run schema`, which builds first).
import { writeFileSync } from 'node:fs'
import { formatRuleJsonSchema } from '../dist/rule-json-schema.js'

const target = new URL('../../../rules/rule.schema.json', import.meta.url)
writeFileSync(target, formatRuleJsonSchema())
console.log(`wrote ${target.pathname}`)
