// Public surface of registry-logscan: re-exports only. The pipeline is drawn in scan.ts.
export { scan } from './scan.js'
export type { ScanProgress, ScanResult } from './scan.js'
export { createScanner } from './create-scanner.js'
export type { Scanner, ScannerLine, ScannerLineMeta } from './create-scanner.js'
export type { ScanOptions } from './scan-options.js'
export type { ScanInput, FailedInput, SkippedInput } from './open-inputs.js'
export type { LineTotals, RuleSummary, ScanLines, ScanSummary, UnparsedSample } from './scan-summary.js'
export { defaultRules } from './default-rules.js'
export { orderRotations } from './order-rotations.js'

/** Parsing: one line to an event, source detection, and the event types rules are written against. */
export { detectSource, EVENT_FIELDS, isLogEvent, isOversizedLine, isUnparsedLine, parseLine, SOURCE_IDS } from '@registry-logscan/parser'
export type {
  DockerEvent, LineCounts, LogEvent, LogLevel, NginxAccessEvent, NginxErrorEvent, OversizedLine, ParseOutput, ProxyEvent,
  RailsEvent, RegistryEvent, SourceId, UnparsedLine, UnparsedReason,
} from '@registry-logscan/parser'

/** Rules: load and validate rule files (throws `RuleFileError` naming file, rule and field), findings. */
export { loadRules, RuleFileError, runRuleExamples, SEVERITIES } from '@registry-logscan/rules-engine'
export type { EvidenceLine, Finding, RuleSet, Severity } from '@registry-logscan/rules-engine'
