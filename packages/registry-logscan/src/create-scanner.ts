// createScanner(): the pipeline as a Node Duplex, for embedding in a log shipper. Bytes or lines in, findings
// out (object mode), with backpressure: a write is acknowledged only once its findings were taken.
import { Duplex } from 'node:stream'
import type { SourceId } from '@registry-logscan/parser'
import type { Finding } from '@registry-logscan/rules-engine'
import { resolveRules, type ScanOptions } from './scan-options.js'
import { createScanPipeline, type OpenInput, type ScanPipeline } from './scan-pipeline.js'
import { createSummaryCollector, type ScanSummary } from './scan-summary.js'

/** Where a line written to the scanner came from. */
export interface ScannerLineMeta {
  /** The name findings carry in `file`. Default `-`. */
  file?: string
  /** Force the source instead of detecting it. */
  source?: SourceId
}

/** A line written in object form: `scanner.write({ line, file, source })`. */
export interface ScannerLine extends ScannerLineMeta {
  line: string
}

/**
 * A Duplex: write `Buffer`/`Uint8Array` chunks (any split; lines are found across chunks), strings (one line
 * each) or `ScannerLine` objects; read `Finding` objects. Findings of a quiet input surface ~20 ms after its last
 * line. Emits `error` (a `RuleFileError`) if the rules cannot be loaded.
 */
export interface Scanner extends Duplex {
  /**
   * The push API for callers that are not streams: one line (no trailing newline needed) and where it came
   * from. Returns `false` when the caller should wait for `drain`. Any other argument list is the Duplex's own
   * `write(chunk, encoding?, callback?)`.
   */
  write(line: string, meta: ScannerLineMeta, callback?: (error?: Error | null) => void): boolean
  write(chunk: unknown, callback?: (error?: Error | null) => void): boolean
  write(chunk: unknown, encoding: BufferEncoding, callback?: (error?: Error | null) => void): boolean
  /** Same as `write(line, meta)`. */
  writeLine(line: string, meta?: ScannerLineMeta): boolean
  /** The summary so far (complete after `end` once the readable side has ended). */
  summary(): ScanSummary
}

const IDLE_MS = 20

/**
 * Creates a scanner. Rules load when the stream is constructed (`options.rules`, default the shipped catalogue).
 *
 * @example
 * ```ts
 * const scanner = createScanner({ only: ['s3-unexpected-eof'] })
 * scanner.on('data', (finding: Finding) => ship(finding))
 * scanner.write(line, { file: '/var/log/gitlab/registry/current' })
 * scanner.end()
 * ```
 */
export function createScanner(options: ScanOptions = {}): Scanner {
  let pipeline: ScanPipeline | undefined
  const inputs = new Map<string, OpenInput>()
  let idleTimer: NodeJS.Timeout | undefined
  let waitingForRead: (() => void) | undefined

  function inputFor(file: string, source: SourceId | undefined): OpenInput | undefined {
    if (pipeline === undefined) return undefined
    const key = `${file}\0${source ?? ''}`
    let input = inputs.get(key)
    if (input === undefined) {
      input = pipeline.open(file, source)
      inputs.set(key, input)
    }
    return input
  }

  /** Pushes findings; true when the reader wants more. */
  function deliver(findings: readonly Finding[]): boolean {
    let wantsMore = true
    for (const finding of findings) wantsMore = scanner.push(finding)
    return wantsMore
  }

  function armIdle(): void {
    clearTimeout(idleTimer)
    idleTimer = setTimeout(() => {
      if (pipeline !== undefined && !scanner.destroyed && !scanner.writableFinished) deliver(pipeline.idle())
    }, IDLE_MS)
    idleTimer.unref()
  }

  const scanner = new Duplex({
    readableObjectMode: true,
    writableObjectMode: true,
    construct(callback) {
      resolveRules(options).then(
        (ruleSet) => {
          pipeline = createScanPipeline(ruleSet, options)
          callback()
        },
        (error: Error) => callback(error),
      )
    },
    write(chunk: unknown, _encoding, callback) {
      let findings: Finding[] = []
      if (typeof chunk === 'string') {
        const input = inputFor('-', undefined)
        if (input !== undefined) findings = pipeline?.write(input, { line: chunk }) ?? []
      } else if (chunk instanceof Uint8Array) {
        const input = inputFor('-', undefined)
        if (input !== undefined) findings = pipeline?.write(input, { bytes: chunk }) ?? []
      } else if (typeof chunk === 'object' && chunk !== null && 'line' in chunk && typeof chunk.line === 'string') {
        const line = chunk as ScannerLine
        const input = inputFor(line.file ?? '-', line.source)
        if (input !== undefined) findings = pipeline?.write(input, { line: line.line }) ?? []
      } else {
        callback(new TypeError('write a Buffer, a string line or { line, file?, source? }'))
        return
      }
      armIdle()
      // Backpressure: hold the write's acknowledgement until the reader asks for more.
      if (deliver(findings)) callback()
      else waitingForRead = callback
    },
    read() {
      const resume = waitingForRead
      waitingForRead = undefined
      resume?.()
    },
    final(callback) {
      clearTimeout(idleTimer)
      if (pipeline !== undefined) deliver(pipeline.end())
      scanner.push(null)
      callback()
    },
    destroy(error, callback) {
      clearTimeout(idleTimer)
      callback(error)
    },
  }) as Scanner

  // `write(line, meta)`: a plain object where the Duplex takes an encoding string or a callback is line metadata.
  const streamWrite = Duplex.prototype.write.bind(scanner) as (...args: unknown[]) => boolean
  scanner.write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const [meta, ...callback] = rest
    if (typeof chunk === 'string' && typeof meta === 'object' && meta !== null) return streamWrite({ ...meta, line: chunk }, ...callback)
    return streamWrite(chunk, ...rest)
  }
  scanner.writeLine = (line, meta = {}) => scanner.write(line, meta)
  scanner.summary = () => pipeline?.summary() ?? createSummaryCollector({ unparsedSamples: 0 }).snapshot()
  return scanner
}
