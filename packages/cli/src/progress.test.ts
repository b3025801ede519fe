import { PassThrough } from 'node:stream'
import { expect, test } from 'vitest'
import { startProgress } from './progress.js'

function fakeStderr(isTTY: boolean): { stream: NodeJS.WriteStream; written(): string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & { isTTY: boolean; columns: number }
  stream.isTTY = isTTY
  stream.columns = 100
  let text = ''
  ;(stream as unknown as PassThrough).on('data', (chunk: Buffer) => (text += chunk.toString()))
  return { stream, written: () => text }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

test('a scan past one second on a TTY gets a bar with bytes, rate and ETA', async () => {
  const stderr = fakeStderr(true)
  let bytesRead = 0
  const bar = startProgress(() => ({ bytesRead: (bytesRead += 5e6), bytesTotal: 100e6 }), stderr.stream)
  await sleep(1400)
  bar.stop()
  expect(stderr.written()).toMatch(/\d+% \| [\d.]+\/100\.0 MB \| [\d.]+ MB\/s \| ETA/)
})

test('a short scan shows nothing', async () => {
  const stderr = fakeStderr(true)
  const bar = startProgress(() => ({ bytesRead: 1, bytesTotal: 10 }), stderr.stream)
  await sleep(200)
  bar.stop()
  await sleep(1000)
  expect(stderr.written()).toBe('')
})

test('no bar when stderr is not a TTY', async () => {
  const stderr = fakeStderr(false)
  const bar = startProgress(() => ({ bytesRead: 1, bytesTotal: 10 }), stderr.stream)
  await sleep(1200)
  bar.stop()
  expect(stderr.written()).toBe('')
})
