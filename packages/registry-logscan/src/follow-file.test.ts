import { appendFile, mkdtemp, rename, rm, truncate, writeFile, copyFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { followFile } from './follow-file.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'follow-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Collects what followFile yields as text, with rotation marks, until `done` holds. */
async function collect(path: string, act: (text: () => string) => Promise<void>): Promise<string> {
  const controller = new AbortController()
  let text = ''
  const reading = (async () => {
    for await (const chunk of followFile(path, { signal: controller.signal, pollMs: 20 })) {
      text += chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : `<${chunk.rotated}>`
    }
  })()
  await act(() => text)
  controller.abort()
  await reading
  return text
}

async function until(check: () => boolean): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > 5000) throw new Error('condition not reached in 5 s')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('followFile', () => {
  test('reads what is there, then what is appended', async () => {
    const path = join(dir, 'x.log')
    await writeFile(path, 'one\n')
    const text = await collect(path, async (seen) => {
      await until(() => seen() === 'one\n')
      await appendFile(path, 'two\n')
      await until(() => seen().endsWith('two\n'))
    })
    expect(text).toBe('one\ntwo\n')
  })

  test('a file that does not exist yet is waited for, as tail -F does', async () => {
    const path = join(dir, 'later.log')
    const text = await collect(path, async (seen) => {
      await new Promise((resolve) => setTimeout(resolve, 60))
      await writeFile(path, 'first\n')
      await until(() => seen() === 'first\n')
    })
    expect(text).toBe('first\n')
  })

  test('rename-and-create: drains the old file, marks the rotation, reads the new one', async () => {
    const path = join(dir, 'current')
    await writeFile(path, 'a1\n')
    const text = await collect(path, async (seen) => {
      await until(() => seen() === 'a1\n')
      await appendFile(path, 'a2\n')
      await rename(path, join(dir, '@400000006633503a0f1e2d3c.s'))
      await writeFile(path, 'b1\n')
      await until(() => seen().endsWith('b1\n'))
      await appendFile(path, 'b2\n')
      await until(() => seen().endsWith('b2\n'))
    })
    expect(text).toBe('a1\na2\n<rename>b1\nb2\n')
  })

  test('copytruncate: recovers lines written before the truncation from the copy, then reads from 0', async () => {
    const path = join(dir, 'x.log')
    await writeFile(path, 'a1\n')
    const text = await collect(path, async (seen) => {
      await until(() => seen() === 'a1\n')
      // Written and copied away before the follower reads it: only the copy still has it.
      await appendFile(path, 'a2\n')
      await copyFile(path, `${path}.1`)
      await truncate(path, 0)
      await appendFile(path, 'b1\n')
      await until(() => seen().includes('b1\n'))
    })
    expect(text.replace('<truncate>', '')).toBe('a1\na2\nb1\n')
    expect(text.split('a2\n')).toHaveLength(2)
  })
})

test('copytruncate followed by a line as long as what was read: noticed by the changed head', async () => {
  const path = join(dir, 'same.log')
  await writeFile(path, 'line-1\n')
  const text = await collect(path, async (seen) => {
    await until(() => seen() === 'line-1\n')
    await truncate(path, 0)
    await appendFile(path, 'line-2\n')
    await until(() => seen().includes('line-2\n'))
  })
  expect(text).toBe('line-1\n<truncate>line-2\n')
})
