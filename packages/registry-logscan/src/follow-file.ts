// `--follow`: keeps reading a file as it grows, like `tail -F`, across both kinds of rotation:
// rename-and-create (svlogd, logrotate's default: the path gets a new inode) and copytruncate (same inode,
// size drops below what was read). Woken by `fs.watch` on the directory, with a stat poll as the fallback
// for file systems where watch events do not arrive (NFS, some container mounts).
import { watch, type FSWatcher } from 'node:fs'
import { open, stat, type FileHandle } from 'node:fs/promises'
import { basename, dirname } from 'node:path'

/** A rotation seen while following: line numbers restart at 1 after it. */
export interface FileRotation {
  rotated: 'rename' | 'truncate'
}

/** What `followFile` yields: bytes in file order, with rotation marks between generations of the file. */
export type FollowChunk = Uint8Array | FileRotation

export interface FollowOptions {
  signal: AbortSignal
  /** Poll interval when no watch event arrives. Default 250 ms. */
  pollMs?: number
}

const READ_SIZE = 64 * 1024
/** How many of the last bytes read are kept to recognise copytruncate's copy (`<path>.1`). */
const TAIL_SIZE = 256
/**
 * How many of the first bytes are kept to notice a copytruncate that was followed by as many bytes as had been
 * read before we looked (the size alone then shows no drop): log lines start with timestamps, so the head differs.
 */
const HEAD_SIZE = 256

function createChangeWaiter(path: string, pollMs: number, signal: AbortSignal): { wait(): Promise<void>; close(): void } {
  let wake: (() => void) | undefined
  const name = basename(path)
  let watcher: FSWatcher | undefined
  try {
    // The directory, not the file: a watch on the file follows the old inode after a rename.
    watcher = watch(dirname(path), { persistent: false }, (_event, changed) => {
      if (changed === null || changed === name || changed.startsWith(`${name}.`)) wake?.()
    })
    watcher.on('error', () => watcher?.close())
  } catch {
    watcher = undefined
  }
  return {
    wait: () =>
      new Promise<void>((resolve) => {
        if (signal.aborted) return resolve()
        const timer = setTimeout(done, pollMs)
        signal.addEventListener('abort', done, { once: true })
        wake = done
        function done(): void {
          clearTimeout(timer)
          signal.removeEventListener('abort', done)
          wake = undefined
          resolve()
        }
      }),
    close: () => watcher?.close(),
  }
}

/** Opens `path` once it exists; undefined when `signal` aborts first. Other errors (permissions) are thrown. */
async function openWhenThere(path: string, waiter: { wait(): Promise<void> }, signal: AbortSignal): Promise<FileHandle | undefined> {
  while (!signal.aborted) {
    try {
      return await open(path, 'r')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      await waiter.wait()
    }
  }
  return undefined
}

/** Reads `handle` from `position` to its current end. */
async function* drain(handle: FileHandle, from: number): AsyncGenerator<Uint8Array> {
  let position = from
  for (;;) {
    // A fresh buffer per read: the consumer may keep a reference to the bytes (a partial line).
    const buffer = Buffer.allocUnsafe(READ_SIZE)
    const { bytesRead } = await handle.read(buffer, 0, READ_SIZE, position)
    if (bytesRead === 0) return
    position += bytesRead
    yield buffer.subarray(0, bytesRead)
  }
}

/** Whether the file still begins with `head` (false once it was truncated and rewritten). */
async function startsWith(handle: FileHandle, head: Buffer): Promise<boolean> {
  if (head.length === 0) return true
  const now = Buffer.alloc(head.length)
  const { bytesRead } = await handle.read(now, 0, head.length, 0)
  return bytesRead === head.length && now.equals(head)
}

/**
 * Bytes appended to copytruncate's copy after our last read and before the truncation: without them the lines
 * written in that gap would be lost. The copy is recognised by ending, at `position`, with the bytes we read last.
 */
async function readCopyTail(path: string, position: number, tail: Buffer): Promise<Uint8Array | undefined> {
  let handle: FileHandle | undefined
  try {
    handle = await open(`${path}.1`, 'r')
    const { size } = await handle.stat()
    if (size <= position || tail.length === 0) return undefined
    const seen = Buffer.alloc(tail.length)
    await handle.read(seen, 0, tail.length, position - tail.length)
    if (!seen.equals(tail)) return undefined
    const rest = Buffer.alloc(size - position)
    const { bytesRead } = await handle.read(rest, 0, rest.length, position)
    return rest.subarray(0, bytesRead)
  } catch {
    return undefined
  } finally {
    await handle?.close()
  }
}

/**
 * Yields the file's bytes from the start, then whatever is appended, until `signal` aborts. Never repeats a
 * byte; loses none on rename-and-create (the old inode is drained before switching) and, for copytruncate,
 * recovers the gap from `<path>.1` when the copy is there.
 */
export async function* followFile(path: string, options: FollowOptions): AsyncGenerator<FollowChunk> {
  const { signal } = options
  const waiter = createChangeWaiter(path, options.pollMs ?? 250, signal)
  let handle: FileHandle | undefined
  let inode = 0
  let position = 0
  let tail = Buffer.alloc(0)
  let head = Buffer.alloc(0)
  const read = async function* (from: FileHandle): AsyncGenerator<Uint8Array> {
    for await (const chunk of drain(from, position)) {
      position += chunk.length
      tail = Buffer.concat([tail, chunk]).subarray(-TAIL_SIZE)
      if (head.length < HEAD_SIZE) head = Buffer.concat([head, chunk]).subarray(0, HEAD_SIZE)
      yield chunk
    }
  }
  try {
    // A file that does not exist yet is waited for, as `tail -F` does (a service not started, a log not yet written).
    handle = await openWhenThere(path, waiter, signal)
    if (handle === undefined) return
    inode = (await handle.stat()).ino
    while (!signal.aborted) {
      yield* read(handle)
      const now = await stat(path).catch(() => undefined)
      if (now !== undefined && now.ino !== inode) {
        // Rename-and-create: a writer may have appended to the old inode between our read and the rename.
        yield* read(handle)
        await handle.close()
        handle = await open(path, 'r')
        inode = (await handle.stat()).ino
        position = 0
        tail = Buffer.alloc(0)
        head = Buffer.alloc(0)
        yield { rotated: 'rename' }
        continue
      }
      if (now !== undefined && (now.size < position || !(await startsWith(handle, head)))) {
        const gap = await readCopyTail(path, position, tail)
        if (gap !== undefined && gap.length > 0) yield gap
        position = 0
        tail = Buffer.alloc(0)
        head = Buffer.alloc(0)
        yield { rotated: 'truncate' }
        continue
      }
      await waiter.wait()
    }
  } finally {
    waiter.close()
    await handle?.close()
  }
}
