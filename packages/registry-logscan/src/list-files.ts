// The files a named directory or glob stands for, without losing any silently: a directory that cannot be
// listed (Omnibus gives each service's log directory to that service's user) is reported, symbolic links are
// followed but a link back up the tree is walked once, and one file reached under two spellings (kubelet's
// /var/log/containers/*.log links into /var/log/pods) is read once.
import { readdir as readdirCallback } from 'node:fs'
import { opendir, readdir, realpath, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type FastGlob from 'fast-glob'
import { errorCode } from './describe-error.js'

/** A directory that could not be listed. */
export interface UnreadableDirectory {
  path: string
  code: string
  message: string
}

/** What a directory or glob expanded to. */
export interface ListedFiles {
  files: string[]
  unreadable: UnreadableDirectory[]
}

/** svlogd's bookkeeping files sit beside `current`; they are not logs. */
const SVLOGD_CONTROL_FILES = new Set(['lock', 'state', 'newstate', 'config'])
/**
 * How deep a `**` glob follows links below its base. fast-glob has no loop detection, so two links up the tree
 * multiply the paths at each level; this bounds them (2^12 at worst) far below any real log tree's depth.
 */
const GLOB_DEPTH = 12

/** A listing error that means the directory vanished meanwhile, not that its logs could not be read. */
const isGone = (error: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes(errorCode(error))

/** Every regular file below `root` (links followed, each directory once, dot files skipped), sorted by relative path. */
export async function listDirectory(root: string): Promise<ListedFiles> {
  const relative: string[] = []
  const unreadable: UnreadableDirectory[] = []
  const visited = new Set<string>()
  async function walk(dir: string, prefix: string): Promise<void> {
    const info = await stat(dir).catch(() => undefined)
    if (info === undefined) return
    const identity = `${info.dev}:${info.ino}`
    if (visited.has(identity)) return
    visited.add(identity)
    let entries: string[]
    try {
      entries = (await readdir(dir)).sort()
    } catch (error) {
      if (!isGone(error)) unreadable.push(unreadableDirectory(dir, error))
      return
    }
    const besideCurrent = entries.includes('current')
    for (const name of entries) {
      if (name.startsWith('.')) continue
      const path = join(dir, name)
      const entry = await stat(path).catch(() => undefined)
      if (entry?.isDirectory() === true) await walk(path, `${prefix}${name}/`)
      else if (entry?.isFile() === true && !isSvlogdControlFile(name, besideCurrent)) relative.push(`${prefix}${name}`)
    }
  }
  // The root itself must be listable: an unreadable root is a failure of the named input, not a skipped subdirectory.
  await (await opendir(root)).close()
  await walk(root, '')
  const base = root.endsWith('/') ? root : `${root}/`
  return { files: await distinct(relative.sort().map((path) => base + path)), unreadable }
}

/** fast-glob is loaded on first use: a scan of named files or stdin never needs it (start-up time). */
export async function loadGlob(): Promise<typeof FastGlob> {
  return (await import('fast-glob')).default
}

/** The files a glob matches, links followed (see GLOB_DEPTH); directories it could not list are reported. */
export async function listGlob(pattern: string): Promise<ListedFiles> {
  const fg = await loadGlob()
  const unreadable: UnreadableDirectory[] = []
  // fast-glob's own error suppression drops unreadable directories without a word: its `readdir` is wrapped so
  // that each one is noted before fast-glob skips it.
  const noting = ((path: string, options: unknown, callback: (error: NodeJS.ErrnoException | null, entries: unknown) => void) => {
    readdirCallback(path, options as { withFileTypes: true }, (error, entries) => {
      if (error !== null && !isGone(error)) unreadable.push(unreadableDirectory(path, error))
      callback(error, entries)
    })
  }) as unknown as typeof readdirCallback
  const options = { onlyFiles: true, followSymbolicLinks: true, deep: GLOB_DEPTH, dot: false, suppressErrors: true, fs: { readdir: noting } }
  const files: string[] = []
  for (const path of (await fg(pattern, options)).sort()) {
    const controlFile = SVLOGD_CONTROL_FILES.has(basename(path)) && (await stat(join(dirname(path), 'current')).catch(() => undefined)) !== undefined
    if (!controlFile) files.push(path)
  }
  return { files: await distinct(files), unreadable }
}

function unreadableDirectory(path: string, error: unknown): UnreadableDirectory {
  const code = errorCode(error)
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : `cannot be listed (${code})`
  return { path, code, message: `${path}: ${why}: this directory was not listed, so its logs were not read` }
}

function isSvlogdControlFile(name: string, besideCurrent: boolean): boolean {
  return besideCurrent && SVLOGD_CONTROL_FILES.has(name)
}

/** `paths` without those that name a file already listed under another spelling (first spelling kept). */
export async function distinct(paths: readonly string[]): Promise<string[]> {
  const seen = new Set<string>()
  const kept: string[] = []
  for (const path of paths) {
    const real = await realPath(path)
    if (seen.has(real)) continue
    seen.add(real)
    kept.push(path)
  }
  return kept
}

/** The path with links resolved, or the path itself when it cannot be resolved (it does not exist yet). */
export function realPath(path: string): Promise<string> {
  return realpath(path).catch(() => path)
}
