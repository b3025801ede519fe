import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openInputs } from './open-inputs.js'
import { readInput } from './read-input.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'open-inputs-'))
  await mkdir(join(dir, 'registry'))
  for (const name of ['current', '@400000006633503a0f1e2d3c.s', 'lock', 'state', 'config']) await writeFile(join(dir, 'registry', name), 'x\n')
  await mkdir(join(dir, 'nginx'))
  for (const name of ['a.log', 'a.log.1', 'a.log.2.gz']) await writeFile(join(dir, 'nginx', name), 'x\n')
  await writeFile(join(dir, 'nginx', 'gz-without-suffix'), gzipSync('line one\nline two\n'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const files = (inputs: Awaited<ReturnType<typeof openInputs>>['inputs']): string[] =>
  inputs.map((input) => (input.kind === 'file' ? input.path.slice(dir.length + 1) : input.kind))

describe('openInputs', () => {
  test('a directory: recursive, rotations oldest first, svlogd control files skipped', async () => {
    const { inputs, failed } = await openInputs(dir)
    expect(failed).toEqual([])
    expect(files(inputs)).toEqual(['nginx/a.log.2.gz', 'nginx/a.log.1', 'nginx/a.log', 'nginx/gz-without-suffix', 'registry/@400000006633503a0f1e2d3c.s', 'registry/current'])
  })

  test('a glob, a plain path named twice, and stdin', async () => {
    const { inputs } = await openInputs([join(dir, 'nginx/a.log*'), join(dir, 'nginx/a.log'), '-'])
    expect(files(inputs)).toEqual(['nginx/a.log.2.gz', 'nginx/a.log.1', 'nginx/a.log', 'stdin'])
  })

  test("other GitLab services' logs are left out of directories and globs, and read when named", async () => {
    const root = join(dir, 'omnibus')
    for (const service of ['gitaly', 'gitlab-workhorse', 'registry']) {
      await mkdir(join(root, service), { recursive: true })
      await writeFile(join(root, service, 'current'), '{"msg":"access"}\n')
    }
    const skipped = [
      { input: join(root, 'gitaly/current'), service: 'gitaly' },
      { input: join(root, 'gitlab-workhorse/current'), service: 'gitlab-workhorse' },
    ]
    const listed = await openInputs(root)
    expect(files(listed.inputs)).toEqual(['omnibus/registry/current'])
    expect(listed.skipped).toEqual(skipped)
    const globbed = await openInputs(join(root, '*/current'))
    expect(files(globbed.inputs)).toEqual(['omnibus/registry/current'])
    expect(globbed.skipped).toEqual(skipped)
    const named = await openInputs([join(root, '*/current'), join(root, 'gitaly/current')])
    expect(files(named.inputs)).toEqual(['omnibus/registry/current', 'omnibus/gitaly/current'])
    expect(named.skipped).toEqual(skipped.slice(1))
    const onlyOthers = await openInputs(join(root, 'gitaly'))
    expect(onlyOthers).toEqual({ inputs: [], failed: [], skipped: skipped.slice(0, 1) })
    await rm(root, { recursive: true })
  })

  test('nothing named means stdin', async () => {
    expect((await openInputs([])).inputs).toEqual([{ kind: 'stdin' }])
  })

  test.each([
    ['a missing file', 'missing.log', 'ENOENT'],
    ['a glob that matches nothing', '*.nothing', 'NO_FILES'],
  ])('%s is a failure value, not an exception', async (_title, name, code) => {
    const { inputs, failed } = await openInputs([join(dir, name), join(dir, 'nginx/a.log')])
    expect(files(inputs)).toEqual(['nginx/a.log'])
    expect(failed).toEqual([expect.objectContaining({ input: join(dir, name), code })])
  })

  test('--follow: a named file that does not exist yet is an input to wait for; without it, a failure', async () => {
    const path = join(dir, 'not-yet.log')
    expect(await openInputs([path], { follow: true })).toEqual({ inputs: [{ kind: 'file', path, size: 0 }], failed: [], skipped: [] })
    expect((await openInputs([path])).failed).toEqual([expect.objectContaining({ code: 'ENOENT' })])
  })

  test('an empty directory', async () => {
    await mkdir(join(dir, 'empty'))
    expect((await openInputs(join(dir, 'empty'))).failed).toEqual([expect.objectContaining({ code: 'NO_FILES' })])
  })

  test('a Readable is one stream input', async () => {
    const { inputs } = await openInputs(Readable.from(['a']))
    expect(inputs).toEqual([expect.objectContaining({ kind: 'stream', name: '-' })])
  })
})

describe('readInput', () => {
  // Bytes are decoded together: a chunk may end inside a character.
  const text = async (chunks: AsyncIterable<unknown>): Promise<string> => {
    let out = ''
    let bytes: Buffer[] = []
    const flush = (): void => {
      out += Buffer.concat(bytes).toString()
      bytes = []
    }
    for await (const chunk of chunks) {
      if ('bytes' in (chunk as object)) bytes.push(Buffer.from((chunk as { bytes: Uint8Array }).bytes))
      else {
        flush()
        out += `[${(chunk as { line: string }).line}]`
      }
    }
    flush()
    return out
  }
  const signal = new AbortController().signal

  test('gzip is recognised by its magic bytes, not its name', async () => {
    const reader = readInput({ kind: 'file', path: join(dir, 'nginx', 'gz-without-suffix'), size: 0 }, { follow: false, signal })
    expect(await text(reader.chunks)).toBe('line one\nline two\n')
    expect(reader.bytesRead()).toBeGreaterThan(0)
  })

  test.each([
    ['UTF-16LE with its mark (Windows PowerShell 5.1 redirection)', 'utf16le', [0xff, 0xfe]],
    ['UTF-16BE with its mark', 'utf16be', [0xfe, 0xff]],
    ['UTF-8 with a byte-order mark (Windows editors)', 'utf8', [0xef, 0xbb, 0xbf]],
  ] as const)('%s is read as UTF-8 text without the mark', async (_title, encoding, mark) => {
    const lines = 'registry_1  | time="2024-05-02T10:11:12Z" level=info msg="é"\r\nsecond\r\n'
    const body = encoding === 'utf16be' ? Buffer.from(lines, 'utf16le').swap16() : Buffer.from(lines, encoding === 'utf8' ? 'utf8' : 'utf16le')
    const path = join(dir, `marked-${encoding}`)
    await writeFile(path, Buffer.concat([Buffer.from(mark), body]))
    // One byte at a time through a pipe, as stdin may deliver it: the mark and the code units are split.
    const stream = Readable.from([...(await readFile(path))].map((byte) => Buffer.from([byte])), { objectMode: false })
    // Gzipped as a rotation would be.
    await writeFile(`${path}.gz`, gzipSync(await readFile(path)))
    for (const reader of [
      readInput({ kind: 'file', path, size: 0 }, { follow: false, signal }),
      readInput({ kind: 'stream', name: '-', stream }, { follow: false, signal }),
      readInput({ kind: 'file', path: `${path}.gz`, size: 0 }, { follow: false, signal }),
    ]) {
      expect(await text(reader.chunks)).toBe(lines)
    }
    // Followed: read until the text is in, then stopped.
    const controller = new AbortController()
    const followed = readInput({ kind: 'file', path, size: 0 }, { follow: true, signal: controller.signal })
    let seen = ''
    for await (const chunk of followed.chunks) {
      if ('bytes' in chunk) seen += Buffer.from(chunk.bytes).toString('latin1')
      if (Buffer.from(seen, 'latin1').toString() === lines) controller.abort()
    }
    expect(Buffer.from(seen, 'latin1').toString()).toBe(lines)
  })

  test('an object stream carries lines; a byte stream carries bytes', async () => {
    const lines = readInput({ kind: 'stream', name: '-', stream: Readable.from(['a\n', 'b']) }, { follow: false, signal })
    expect(await text(lines.chunks)).toBe('[a][b]')
    const bytes = readInput({ kind: 'stream', name: '-', stream: Readable.from([Buffer.from('a\nb')], { objectMode: false }) }, { follow: false, signal })
    expect(await text(bytes.chunks)).toBe('a\nb')
  })

  test('a truncated gzip throws (the scan records it as a failed input)', async () => {
    const gzip = gzipSync('x'.repeat(100_000))
    await writeFile(join(dir, 'cut'), gzip.subarray(0, gzip.length - 20))
    const reader = readInput({ kind: 'file', path: join(dir, 'cut'), size: 0 }, { follow: false, signal })
    await expect(text(reader.chunks)).rejects.toMatchObject({ code: 'Z_BUF_ERROR' })
  })
})
