import type * as FsCallbacks from 'node:fs'
import type * as FsPromises from 'node:fs/promises'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { listDirectory, listGlob } from './list-files.js'

// A directory the user may not list, whoever runs the tests (root reads every directory): listing one named
// `locked` fails with EACCES, through the promise API (directory walk) and the callback API (fast-glob).
const denied = (path: unknown): boolean => String(path).endsWith('/locked')
const eacces = (path: unknown): NodeJS.ErrnoException => Object.assign(new Error(`EACCES: permission denied, scandir '${String(path)}'`), { code: 'EACCES' })
vi.mock('node:fs/promises', async (original) => {
  const actual = await original<typeof FsPromises>()
  return { ...actual, readdir: (path: string, ...rest: never[]) => (denied(path) ? Promise.reject(eacces(path)) : actual.readdir(path, ...rest)) }
})
vi.mock('node:fs', async (original) => {
  const actual = await original<typeof FsCallbacks>()
  const readdir = (path: string, ...rest: unknown[]) => {
    const callback = rest.at(-1) as (error: unknown, entries?: unknown) => void
    if (denied(path)) callback(eacces(path))
    else (actual.readdir as (...args: unknown[]) => void)(path, ...rest)
  }
  return { ...actual, readdir, default: { ...actual, readdir } }
})

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'list-files-'))
  for (const dir of ['registry', 'locked', 'pods/p1', 'containers', 'loop/sub', 'linked', 'real/nginx']) await mkdir(join(root, dir), { recursive: true })
  await writeFile(join(root, 'real/nginx/access.log'), 'x\n')
  // A log directory that is a link (a volume mounted elsewhere).
  await symlink('../real/nginx', join(root, 'linked/nginx'))
  for (const file of ['registry/current', 'registry/lock', 'registry/config', 'locked/current', 'pods/p1/0.log', 'loop/a.log']) await writeFile(join(root, file), 'x\n')
  // kubelet's layout: /var/log/containers/*.log link into /var/log/pods.
  await symlink('../pods/p1/0.log', join(root, 'containers/c.log'))
  // Links back up the tree: walked once, not until the path or the heap runs out.
  await symlink('..', join(root, 'loop/sub/up'))
  await symlink('../loop', join(root, 'loop/self'))
})
afterAll(() => rm(root, { recursive: true, force: true }))

const relative = (paths: readonly string[]): string[] => paths.map((path) => path.slice(root.length + 1))

describe('listDirectory', () => {
  test('every file once: links followed, loops walked once, a file under two names read once, svlogd bookkeeping left out', async () => {
    const { files, unreadable } = await listDirectory(root)
    expect(relative(files)).toEqual(['containers/c.log', 'linked/nginx/access.log', 'loop/a.log', 'registry/current'])
    expect(unreadable).toEqual([expect.objectContaining({ path: join(root, 'locked'), code: 'EACCES' })])
  })
})

describe('listGlob', () => {
  test('matches through a linked directory', async () => {
    expect(relative((await listGlob(`${root}/linked/*/access.log`)).files)).toEqual(['linked/nginx/access.log'])
  })

  test('links to files match, a file under two names once, svlogd bookkeeping left out, unlistable directories reported', async () => {
    const { files, unreadable } = await listGlob(`${root}/{containers,locked,loop,pods,registry}/*`)
    expect(relative(files)).toEqual(['containers/c.log', 'loop/a.log', 'registry/current'])
    expect(unreadable).toEqual([expect.objectContaining({ path: join(root, 'locked'), code: 'EACCES' })])
  })

  test('a loop of links does not multiply the matches of **', async () => {
    const { files } = await listGlob(`${root}/loop/**/*.log`)
    expect(relative(files)).toEqual(['loop/a.log'])
  })
})
