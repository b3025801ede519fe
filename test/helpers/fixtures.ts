// Temporary log files and the log lines the cross-package tests feed the CLI. The lines are quoted from
// GitLab's registry troubleshooting docs (shared/seeds/) so they must parse and must fire their rules.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

/** registry: S3 cut a large layer upload short (rule s3-unexpected-eof). */
export const S3_EOF_LINE =
  'time="2024-05-02T10:11:12.123Z" level=error msg="response completed with error" err.code=unknown err.detail="unexpected EOF" err.message="unknown error"'

/** nginx error log: the registry listens on IPv4 only while NGINX proxies to [::1] (rule ipv6-loopback-upstream). */
export const IPV6_UPSTREAM_LINE =
  '2024/05/02 10:11:13 [error] 1201#0: *13442797 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.5, server: registry.example.com, request: "GET /v2/ HTTP/1.1", upstream: "http://[::1]:5000/v2/", host: "registry.example.com:5005"'

/** registry: a healthy request that no rule may report. */
export const HEALTHY_LINE =
  'time="2024-05-02T10:11:14.000Z" level=info msg="response completed" http.request.method=GET http.request.uri="/v2/" http.response.status=200 http.response.duration=1.2ms'

/** A temporary directory, removed by `cleanup()`. */
export async function tempDir(): Promise<{ dir: string; path(name: string): string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'rls-test-'))
  return { dir, path: (name) => join(dir, name), cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** Writes `lines` (newline-terminated) to `path`, gzipped when asked. */
export async function writeLog(path: string, lines: readonly string[], options: { gzip?: boolean } = {}): Promise<void> {
  const text = lines.map((line) => `${line}\n`).join('')
  await writeFile(path, options.gzip === true ? gzipSync(text) : text)
}

/** A small valid rule file (YAML) firing on S3_EOF_LINE, for tests that load extra rule directories. */
export function testRule(id: string, severity: string): string {
  return `id: ${id}
title: A test rule
status: experimental
severity: ${severity}
sources: [registry]
description: A rule written for a test.
docs: https://docs.gitlab.com/
match: { field: errorDetail, equals: unexpected EOF }
message: 'saw {errorDetail}'
remediation: Nothing to do.
falsepositives: [unknown]
examples:
  - name: fires
    lines: ['${S3_EOF_LINE.replaceAll("'", "''")}']
    findings: 1
  - name: quiet
    lines: ['time="2024-05-02T10:11:12.123Z" level=info msg="response completed"']
    findings: 0
`
}
