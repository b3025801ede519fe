// `tail -f … | registry-logscan`: a line written to the pipe must yield its finding well under 100 ms later.
// A real pipe, fed line by line with pauses longer than any batching could hide; each finding must arrive
// before the next line is written, and the median latency must stay under 100 ms.
import { expect, test } from 'vitest'
import { HEALTHY_LINE, S3_EOF_LINE } from '../helpers/fixtures.js'
import { parseNdjson, spawnCli } from '../helpers/run-cli.js'

const ROUNDS = 5
const PAUSE_MS = 300

test('each finding arrives within 100 ms of its line (p50), before the next line is written', async ({ annotate }) => {
  const cli = spawnCli(['--format', 'ndjson'])
  const latencies: number[] = []
  try {
    // Warm-up: the first answer includes process start-up and rule loading, which is not pipe latency.
    cli.child.stdin.write(`${S3_EOF_LINE}\n`)
    await cli.waitForStdout((out) => parseNdjson(out).length === 1, 10_000)
    for (let round = 0; round < ROUNDS; round++) {
      cli.child.stdin.write(`${HEALTHY_LINE}\n`)
      // An hour apart, so no fold window joins two rounds into one finding.
      const line = S3_EOF_LINE.replace('T10:', `T${11 + round}:`)
      const written = performance.now()
      cli.child.stdin.write(`${line}\n`)
      await cli.waitForStdout((out) => parseNdjson(out).length === round + 2, PAUSE_MS)
      latencies.push(performance.now() - written)
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS))
    }
  } finally {
    cli.child.stdin.end()
  }
  const result = await cli.exited
  latencies.sort((a, b) => a - b)
  const p50 = latencies[Math.floor(latencies.length / 2)] ?? Infinity
  await annotate(`stdin → finding latency ms: ${latencies.map((ms) => ms.toFixed(1)).join(', ')} (p50 ${p50.toFixed(1)})`)
  expect(p50).toBeLessThan(100)
  expect(parseNdjson(result.stdout)).toHaveLength(ROUNDS + 1)
  expect(result.code).toBe(0)
})
