// Entry for worker threads (`@registry-logscan/rules-engine/match`): what matching a batch needs, without the
// rule loader, whose YAML parser and regex checker would cost every thread ~30 MB of memory it never uses.
export type { CompiledRules, ConditionSlot, EventMatch, SlotRole } from './compile-rules.js'
export { compileRules } from './compile-rules.js'
export type { EventCompactor } from './compact-event.js'
export { createEventCompactor } from './compact-event.js'
export type { RuleSet } from './load-rules.js'
