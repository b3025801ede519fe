// The files of a generated corpus (an Omnibus log directory plus a runner pod, a docker client capture and a
// mitmdump capture) and the buffered writers behind them. Lines are appended to a string per file and flushed
// in ~1 MB writes with backpressure, so generation runs at disk speed and memory stays flat.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { dirname, join } from 'node:path'

/** Every file the generator writes, by role; paths are what the parser's file-name detection sees. */
export const CORPUS_FILES = {
  /** Omnibus registry: svlogd prefix, logrus text app lines, JSON access lines (formats-registry.md §3.2). */
  registry: 'var/log/gitlab/registry/current',
  /** Helm-chart registry: JSON app and access lines, no wrapper. */
  registryJson: 'k8s/gitlab-registry/registry.log',
  /** A second registry deployed without `auth` (JSON access lines): it never challenges, so only incidents go here. */
  openRegistry: 'k8s/dev-registry/registry.log',
  nginxRegistry: 'var/log/gitlab/nginx/gitlab_registry_access.log',
  nginxGitlab: 'var/log/gitlab/nginx/gitlab_access.log',
  nginxError: 'var/log/gitlab/nginx/gitlab_registry_error.log',
  railsProduction: 'var/log/gitlab/gitlab-rails/production.log',
  railsJson: 'var/log/gitlab/gitlab-rails/production_json.log',
  railsExceptions: 'var/log/gitlab/gitlab-rails/exceptions_json.log',
  railsApplication: 'var/log/gitlab/gitlab-rails/application_json.log',
  /** GitLab Runner Kubernetes build pod: CRI-wrapped job output (long lines split into `P` partials). */
  runnerPod: 'k8s/pods/gitlab-runner_runner-build-0/build/0.log',
  /** docker CLI output saved by a CI job (no timestamps). */
  dockerClient: 'ci/docker-push-output.log',
  mitmdump: 'captures/mitmdump.log',
} as const

export type CorpusFileRole = keyof typeof CORPUS_FILES

const FLUSH_AT = 1 << 20

/** One output file: counts lines (1-based numbers of the next line) and bytes as it goes. */
export class CorpusFile {
  readonly path: string
  /** Number of physical lines written so far (so the next line is `lines + 1`). */
  lines = 0
  bytes = 0
  private pending: string[] = []
  private pendingLength = 0
  private readonly stream: WriteStream

  constructor(root: string, readonly relativePath: string) {
    this.path = join(root, relativePath)
    mkdirSync(dirname(this.path), { recursive: true })
    this.stream = createWriteStream(this.path)
  }

  /** Appends one physical line (no newline in `line`); returns its 1-based number. */
  write(line: string): number {
    this.pending.push(line)
    this.pendingLength += line.length + 1
    this.lines += 1
    return this.lines
  }

  /** Bytes written plus bytes buffered (ASCII lines, so characters ≈ bytes). */
  get size(): number {
    return this.bytes + this.pendingLength
  }

  /** True when enough is buffered that the caller should `flush()`. */
  get full(): boolean {
    return this.pendingLength >= FLUSH_AT
  }

  /** Writes what is buffered; resolves when the stream can take more (backpressure). */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return
    const chunk = Buffer.from(`${this.pending.join('\n')}\n`, 'utf8')
    this.pending = []
    this.pendingLength = 0
    this.bytes += chunk.length
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once('drain', resolve))
  }

  async close(): Promise<void> {
    await this.flush()
    await new Promise<void>((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())))
  }
}

/** All files of a corpus, opened under `root`. */
export type CorpusFiles = Record<CorpusFileRole, CorpusFile>

export function openCorpusFiles(root: string): CorpusFiles {
  const entries = Object.entries(CORPUS_FILES).map(([role, path]) => [role, new CorpusFile(root, path)])
  return Object.fromEntries(entries) as CorpusFiles
}
