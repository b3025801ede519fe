// The stages every scan shares once bytes have been read: one parser per input (per generation of a followed
// file), the rule engine, and the summary that counts both. `scan()` and `createScanner()` drive it.
import { createLogParser, isLogEvent, type LogParser, type ParseOutput, type SourceId } from '@registry-logscan/parser'
import { compileRules, createRuleEngine, type Finding, type RuleSet } from '@registry-logscan/rules-engine'
import type { BatchResult } from '@registry-logscan/worker-pool'
import { createSummaryCollector, type ScanSummary, type SummaryCollector } from './scan-summary.js'
import type { ScanOptions } from './scan-options.js'

/** One open input: its parser and the name findings and the summary use. */
export interface OpenInput {
  file: string
  parser: LogParser
  /** The time of this input's latest event that had one: its events without a time take it (never another input's). */
  lastTime?: number
}

export interface ScanPipeline {
  readonly collector: SummaryCollector
  /** Starts a parser for `file` (forcing `source` if given, else the scan's `source` option). */
  open(file: string, source?: SourceId): OpenInput
  /** Feeds bytes or one line; returns the findings they completed. */
  write(input: OpenInput, chunk: { bytes: Uint8Array } | { line: string }): Finding[]
  /** Idle input: releases records held for continuation lines and lets correlation time run on. */
  idle(): Finding[]
  /** Ends one input: its trailing line is parsed and its counts join the summary. */
  close(input: OpenInput): Finding[]
  /** Takes one worker batch of a file (see read-with-pool.ts): its matches go to the engine in input order. */
  acceptBatch(result: BatchResult): Finding[]
  /** Ends the scan: open correlation groups are resolved (missing steps fire), the engine's counts are taken. */
  end(): Finding[]
  summary(): ScanSummary
}


export function createScanPipeline(ruleSet: RuleSet | undefined, options: ScanOptions): ScanPipeline {
  const collector = createSummaryCollector({ unparsedSamples: options.unparsedSamples ?? 3 })
  const compiled = ruleSet === undefined ? undefined : compileRules(ruleSet)
  const engine = compiled === undefined ? undefined : createRuleEngine(compiled, {})
  const openInputs = new Set<OpenInput>()
  // Lines no rule can match need not become events, unless the caller wants every event (`parse`).
  const prefilter = compiled !== undefined && options.onEvent === undefined ? (text: string): boolean => compiled.prefilter(text) : undefined
  const log = options.logger
  // Event time, extrapolated by wall time while input is quiet: a live tail advances correlation windows as
  // the clock runs, while a stalled pipe of old logs only moves them by the stall, never to "now".
  let clock: { eventTime: number; seenAt: number } | undefined

  function handle(input: OpenInput, outputs: readonly ParseOutput[]): Finding[] {
    if (outputs.length === 0) return []
    collector.countOutputs(outputs)
    const findings: Finding[] = []
    for (const output of outputs) {
      options.onEvent?.(output)
      if (!isLogEvent(output)) continue
      if (output.time !== undefined) {
        clock = { eventTime: output.time, seenAt: Date.now() }
        input.lastTime = output.time
      }
      if (engine !== undefined) findings.push(...engine.accept(output, compiled?.matchEvent(output), input.lastTime))
    }
    return counted(findings)
  }

  function counted(findings: Finding[]): Finding[] {
    for (const finding of findings) collector.countFinding(finding)
    return findings
  }

  return {
    collector,
    open(file, source) {
      const forced = source ?? options.source
      const parser = createLogParser({
        file,
        ...(forced !== undefined && { source: forced }),
        ...(options.maxLineLength !== undefined && { maxLineLength: options.maxLineLength }),
        ...(prefilter !== undefined && { prefilter }),
      })
      const input: OpenInput = { file, parser }
      openInputs.add(input)
      log?.debug({ file, source: forced }, 'input opened')
      return input
    },
    write(input, chunk) {
      return handle(input, 'bytes' in chunk ? input.parser.write(chunk.bytes) : input.parser.writeLine(chunk.line))
    },
    idle() {
      const findings: Finding[] = []
      for (const input of openInputs) findings.push(...handle(input, input.parser.flush()))
      if (engine !== undefined && clock !== undefined) findings.push(...counted(engine.advance(clock.eventTime + Date.now() - clock.seenAt)))
      return findings
    },
    close(input) {
      if (!openInputs.delete(input)) return []
      const findings = handle(input, input.parser.end())
      collector.addParserCounts(input.file, input.parser.counts)
      log?.debug({ file: input.file, lines: input.parser.counts.read }, 'input closed')
      return findings
    },
    acceptBatch(result) {
      collector.addSamples(result.samples)
      if (engine === undefined) return []
      const findings: Finding[] = []
      for (const { event, match, streamTime } of result.matches) {
        if (event.time !== undefined) clock = { eventTime: event.time, seenAt: Date.now() }
        findings.push(...engine.accept(event, match, streamTime))
      }
      return counted(findings)
    },
    end() {
      const findings: Finding[] = []
      for (const input of [...openInputs]) findings.push(...this.close(input))
      if (engine === undefined) return findings
      findings.push(...counted(engine.end()))
      collector.setEngineStats(engine.stats())
      return findings
    },
    summary() {
      if (engine !== undefined) collector.setEngineStats(engine.stats())
      return collector.snapshot([...openInputs].map((input) => ({ file: input.file, counts: input.parser.counts })))
    },
  }
}
