import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readFileChunks } from './read-file-chunks.js'

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'read-file-chunks-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('readFileChunks', () => {
  test('yields every byte of the file in order, in chunks that reuse one buffer', async () => {
    const content = Buffer.alloc(700_000)
    for (let at = 0; at < content.length; at++) content[at] = (at * 7) % 251
    const path = join(dir, 'big.log')
    await writeFile(path, content)
    const copies: Buffer[] = []
    const buffers = new Set<ArrayBufferLike>()
    for await (const chunk of readFileChunks(path)) {
      copies.push(Buffer.from(chunk))
      buffers.add(chunk.buffer)
    }
    expect(Buffer.concat(copies).equals(content)).toBe(true)
    expect(copies.length).toBeGreaterThan(1)
    expect(buffers.size).toBe(1)
  })

  test('an empty file yields nothing; a missing one rejects with ENOENT', async () => {
    const path = join(dir, 'empty.log')
    await writeFile(path, '')
    const chunks: Uint8Array[] = []
    for await (const chunk of readFileChunks(path)) chunks.push(chunk)
    expect(chunks).toEqual([])
    await expect(readFileChunks(join(dir, 'missing.log')).next()).rejects.toMatchObject({ code: 'ENOENT' })
  })

  test('stops at the next read once the signal is aborted', async () => {
    const path = join(dir, 'abort.log')
    await writeFile(path, Buffer.alloc(1_000_000, 0x61))
    const controller = new AbortController()
    const sizes: number[] = []
    for await (const chunk of readFileChunks(path, { signal: controller.signal })) {
      sizes.push(chunk.byteLength)
      controller.abort()
    }
    expect(sizes).toHaveLength(1)
  })
})
