// Scanning (and `parse`): runs the facade's scan() exactly as an embedding program would, feeds the reporter,
// and turns the summary into the exit code. Ctrl-C / SIGTERM stop reading; the findings in flight and the
// summary are still printed.
import { existsSync } from 'node:fs'
import { defaultRules, scan, type ParseOutput, type ScanOptions, type ScanSummary } from 'registry-logscan'
import { scanExitCode } from './exit-codes.js'
import type { Command, ScanFlags } from './parse-args.js'
import { startProgress } from './progress.js'
import { reporters } from './reporters/index.js'
import { escapeJsonForTerminal, sanitizeLine } from './sanitize-terminal.js'

const NAME = 'registry-logscan'

/** Colour only for a terminal, unless FORCE_COLOR asks for it; `--no-color` and NO_COLOR always win. */
function useColor(flags: ScanFlags, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!flags.color) return false
  const force = env.FORCE_COLOR
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true
  return process.stdout.isTTY === true
}

function scanOptions(flags: ScanFlags, signal: AbortSignal): ScanOptions {
  return {
    rules: [defaultRules(), ...flags.rules],
    only: flags.only,
    disable: flags.disable,
    follow: flags.follow,
    signal,
    ...(flags.source !== undefined && { source: flags.source }),
    ...(flags.workers !== undefined && { workers: flags.workers }),
    ...(flags.maxLineLength !== undefined && { maxLineLength: flags.maxLineLength }),
  }
}

/** First signal: stop reading and report; second: leave at once. */
function stopOnSignals(controller: AbortController): void {
  const stop = (): void => {
    if (controller.signal.aborted) process.exit(130)
    controller.abort()
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

/** Characters that make a path a glob for fast-glob (the scan expands those; they are never waited for). */
const GLOB_CHARACTERS = /[*?[\]{}()!]/

export async function runScanCommand(command: Extract<Command, { kind: 'scan' | 'parse' }>, write: (text: string) => void): Promise<number> {
  const { flags } = command
  const controller = new AbortController()
  stopOnSignals(controller)
  const parseOnly = command.kind === 'parse'
  const options: ScanOptions = parseOnly
    ? { ...scanOptions(flags, controller.signal), rules: [], onEvent: (output: ParseOutput) => write(`${escapeJsonForTerminal(JSON.stringify(output))}\n`) }
    : scanOptions(flags, controller.signal)
  const reporter = reporters[flags.format]({
    write: flags.format === 'text' ? write : (text) => write(escapeJsonForTerminal(text)),
    color: useColor(flags),
    summary: flags.summary,
  })
  const readsStdin = flags.inputs.length === 0 || flags.inputs.includes('-')
  if (readsStdin && process.stdin.isTTY === true) process.stderr.write(`${NAME}: reading standard input (Ctrl-D ends it; --help for usage)\n`)
  // `tail -F` says when it waits for a file: a misspelt path must not look like a quiet log.
  if (flags.follow) {
    for (const path of flags.inputs) {
      if (path !== '-' && !GLOB_CHARACTERS.test(path) && !existsSync(path)) process.stderr.write(`${NAME}: note: ${sanitizeLine(path)} does not exist yet; waiting for it to appear\n`)
    }
  }
  const result = scan(flags.inputs, options)
  const progress = flags.follow || parseOnly ? undefined : startProgress(() => result.progress())
  // A rule file error rejects the iteration before anything is read; main.ts reports it.
  try {
    for await (const finding of result) reporter.finding(finding)
  } finally {
    progress?.stop()
  }
  const summary = await result.summary
  for (const failed of summary.failedInputs) process.stderr.write(`${NAME}: error: ${sanitizeLine(failed.message)}\n`)
  if (summary.skippedInputs.length > 0) process.stderr.write(`${NAME}: note: ${skippedNote(summary.skippedInputs)}\n`)
  if (parseOnly) {
    if (flags.summary) process.stderr.write(`${JSON.stringify(summary.lines)}\n`)
    return scanExitCode(summary, undefined)
  }
  reporter.end(summary)
  return scanExitCode(summary, flags.failOn)
}

/** One line for stderr: how many files of which services a directory or glob matched and the scan left out. */
function skippedNote(skipped: ScanSummary['skippedInputs']): string {
  const services = [...new Set(skipped.map((each) => each.service))]
  const files = skipped.length === 1 ? '1 log' : `${skipped.length} logs`
  return sanitizeLine(`left out ${files} of GitLab services no rule reads (${services.join(', ')}); name a file to scan it`)
}
