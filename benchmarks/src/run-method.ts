// Spawns one measured method: our methods and the naive baseline in a fresh node process (bench-method.ts),
// external tools (`cat`, `rg`) directly. Wall time is measured here for the tools, inside for node methods.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { MethodRequest, MethodResult } from './bench-method.js'

const BENCH_METHOD = fileURLToPath(new URL('./bench-method.js', import.meta.url))
const CLI_BIN = fileURLToPath(new URL('../../packages/cli/bin/registry-logscan.js', import.meta.url))

/** The node flags the CLI's bin starts node with (its `exec node … "$0"` line): our methods run with them, as the CLI does. */
export function cliNodeFlags(): string[] {
  const exec = readFileSync(CLI_BIN, 'utf8').split('\n', 3).find((line) => line.includes('exec node')) ?? ''
  const flags = /\bexec node((?:\s+--[\w-]+(?:=\S+)?)*)\s+"\$0"/.exec(exec)?.[1] ?? ''
  return flags.split(/\s+/).filter((flag) => flag !== '')
}

export async function runNodeMethod(request: MethodRequest): Promise<MethodResult> {
  const flags = request.method === 'naive' ? [] : cliNodeFlags()
  const { stdout, code, stderr } = await run(process.execPath, [...flags, BENCH_METHOD, JSON.stringify(request)])
  if (code !== 0) throw new Error(`${request.method} failed (${code}): ${stderr.slice(-2000)}`)
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as MethodResult
}

/** Runs a command and times it (wall clock, seconds). */
export async function runTool(command: string, args: readonly string[]): Promise<{ seconds: number; stdout: string; code: number | null }> {
  const started = performance.now()
  const { stdout, code } = await run(command, args)
  return { seconds: (performance.now() - started) / 1000, stdout, code }
}

export function run(command: string, args: readonly string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (data: string) => {
      // `cat` output is discarded by the caller's choice of arguments; keep at most 1 MB of anything else.
      if (stdout.length < 1 << 20) stdout += data
    })
    child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data))
    child.on('error', reject)
    child.on('close', (code) => resolve({ stdout, stderr, code }))
  })
}

/** Whether `command` is on PATH. */
export async function hasCommand(command: string): Promise<boolean> {
  const { code } = await run('sh', ['-c', `command -v ${command}`]).catch(() => ({ code: 1 }))
  return code === 0
}
