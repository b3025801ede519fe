// Latency of a live scan: an incident line is written into the built CLI's stdin pipe and we wait for its
// finding on stdout (ndjson). This is what `tail -f … | registry-logscan -` feels like.
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'

const CLI = resolve(import.meta.dirname, '..', '..', 'packages', 'cli', 'bin', 'registry-logscan.js')

export interface LatencyResult {
  samples: number
  p50Ms: number
  p99Ms: number
}

/** Writes `count` incidents, one every `gapMs`, and measures line-written → finding-printed. */
export async function measureLatency(incidentLine: (n: number) => string, count = 40, gapMs = 50): Promise<LatencyResult> {
  const child = spawn(process.execPath, [CLI, '--format', 'ndjson', '--source', 'registry', '-'], { stdio: ['pipe', 'pipe', 'pipe'] })
  const waiting: ((at: number) => void)[] = []
  let buffered = ''
  child.stdout.setEncoding('utf8').on('data', (data: string) => {
    buffered += data
    let newline
    while ((newline = buffered.indexOf('\n')) !== -1) {
      buffered = buffered.slice(newline + 1)
      waiting.shift()?.(performance.now())
    }
  })
  const exited = new Promise<void>((done) => child.on('close', () => done()))
  const latencies: number[] = []
  try {
    for (let n = 0; n < count; n++) {
      const printed = new Promise<number>((done, fail) => {
        waiting.push(done)
        setTimeout(() => fail(new Error('no finding within 5 s')), 5000).unref()
      })
      const written = performance.now()
      child.stdin.write(`${incidentLine(n)}\n`)
      latencies.push((await printed) - written)
      await new Promise((done) => setTimeout(done, gapMs))
    }
  } finally {
    child.stdin.end()
    child.kill()
    await exited
  }
  latencies.sort((a, b) => a - b)
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN
  return { samples: latencies.length, p50Ms: at(0.5), p99Ms: at(0.99) }
}
