// Spawns the built CLI (what ships: packages/cli/bin → dist) and captures its output, for the tests under
// test/. `pnpm test` builds first; run `pnpm exec tsc -b` before running these alone.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The repository root. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url))
/** The bin users run. */
export const CLI_BIN = fileURLToPath(new URL('../../packages/cli/bin/registry-logscan.js', import.meta.url))

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  /** Written to stdin, then stdin is closed. Without it stdin is closed at once. */
  input?: string | Buffer
  env?: NodeJS.ProcessEnv
  cwd?: string
  timeoutMs?: number
}

/** Environment without colour forcing or NO_COLOR from the outer shell, so tests see the defaults. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.FORCE_COLOR
  delete env.NO_COLOR
  return { ...env, ...extra }
}

/** Runs the CLI to completion. */
export async function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const cli = spawnCli(args, options)
  if (options.input !== undefined) cli.child.stdin.end(options.input)
  else cli.child.stdin.end()
  return cli.exited
}

/** A running CLI process with helpers to feed it and wait for output. */
export interface CliProcess {
  child: ChildProcessWithoutNullStreams
  stdout(): string
  stderr(): string
  /** Resolves with stdout once `matches` holds for it; rejects after `timeoutMs` (default 5 s). */
  waitForStdout(matches: (stdout: string) => boolean, timeoutMs?: number): Promise<string>
  exited: Promise<CliResult>
}

export function spawnCli(args: readonly string[], options: RunOptions = {}): CliProcess {
  // The bin itself, not `node bin`: it starts node with the heap flags users get (its `exec node …` line).
  const child = spawn(CLI_BIN, args, { cwd: options.cwd ?? REPO, env: cleanEnv(options.env) })
  let stdout = ''
  let stderr = ''
  const listeners = new Set<() => void>()
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text
    for (const listener of listeners) listener()
  })
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
  // Writing to a CLI that already exited is not what a test checks.
  child.stdin.on('error', () => undefined)
  const timeout = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000)
  const exited = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timeout)
      resolve({ code, signal, stdout, stderr })
    })
  })
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForStdout(matches, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!matches(stdout)) return
          listeners.delete(check)
          clearTimeout(timer)
          resolve(stdout)
        }
        const timer = setTimeout(() => {
          listeners.delete(check)
          reject(new Error(`timed out after ${timeoutMs} ms; stdout so far:\n${stdout}\nstderr:\n${stderr}`))
        }, timeoutMs)
        listeners.add(check)
        check()
      })
    },
  }
}

/** Parses NDJSON output into objects (blank lines skipped). */
export function parseNdjson(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}
