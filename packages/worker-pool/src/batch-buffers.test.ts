import { describe, expect, test } from 'vitest'
import { createBatchBuffers } from './batch-buffers.js'

describe('createBatchBuffers', () => {
  test('hands out views of exactly the length asked, over shared memory', () => {
    const buffers = createBatchBuffers(2)
    const bytes = buffers.acquire(1000)
    expect(bytes.byteLength).toBe(1000)
    expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer)
  })

  test('a released block is handed out again for a batch of similar size, never while held', () => {
    const buffers = createBatchBuffers(2)
    const first = buffers.acquire(700_000)
    const second = buffers.acquire(700_000)
    expect(second.buffer).not.toBe(first.buffer)
    buffers.release(first)
    const third = buffers.acquire(900_000)
    expect(third.buffer).toBe(first.buffer)
    // A much larger batch gets a block of its own size class, not the free one of the smaller class.
    buffers.release(third)
    const large = buffers.acquire(3_000_000)
    expect(large.buffer).not.toBe(second.buffer)
    expect(large.buffer).not.toBe(first.buffer)
    expect(large.buffer.byteLength).toBeGreaterThanOrEqual(3_000_000)
  })

  test('keeps at most the given number of free blocks per size', () => {
    const buffers = createBatchBuffers(1)
    const [a, b] = [buffers.acquire(100_000), buffers.acquire(100_000)]
    buffers.release(a)
    buffers.release(b)
    expect(buffers.acquire(100_000).buffer).toBe(a.buffer)
    expect(buffers.acquire(100_000).buffer).not.toBe(b.buffer)
  })

  test('ignores views it did not hand out and double releases', () => {
    const buffers = createBatchBuffers(4)
    buffers.release(new Uint8Array(10))
    const bytes = buffers.acquire(10)
    buffers.release(bytes)
    buffers.release(bytes)
    expect(buffers.acquire(10).buffer).toBe(bytes.buffer)
    expect(buffers.acquire(10).buffer).not.toBe(bytes.buffer)
  })
})
