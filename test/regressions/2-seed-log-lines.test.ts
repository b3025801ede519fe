// Issue 2 (parser): every log line quoted in GitLab's registry docs (../shared/seeds/) parses to the right source with
// the right fields. Each row is a line as the docs print it; the test also checks the line still stands in a
// seed file, so an edit to the docs shows up here instead of silently testing a line nobody prints any more.
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createLogParser } from '@registry-logscan/parser'
import { describe, expect, test } from 'vitest'

const SEEDS = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url))
const seedText = readdirSync(SEEDS)
  .map((name) => readFileSync(`${SEEDS}${name}`, 'utf8'))
  .join('\n')

const ROWS: [string, Record<string, unknown>][] = [
  [
    'Error response from daemon: Get registry.example.com/v1/users/: x509: certificate signed by unknown authority',
    { source: 'docker', component: 'cli' },
  ],
  [
    'Error response from daemon: login attempt to https://gitlab.company.com:4567/v2/ failed with status: 401 Unauthorized',
    { source: 'docker' },
  ],
  [
    'level=info msg="token signed by untrusted key with ID: "TOKE:NL6Q:7PW6:EXAM:PLET:OKEN:BG27:RCIB:D2S3:EXAM:PLET:OKEN""',
    { source: 'registry', level: 'info', message: 'token signed by untrusted key with ID: "TOKE:NL6Q:7PW6:EXAM:PLET:OKEN:BG27:RCIB:D2S3:EXAM:PLET:OKEN"' },
  ],
  [
    'level=error msg="response completed with error" err.code=unknown err.detail="unexpected EOF" err.message="unknown error"',
    { source: 'registry', level: 'error', errorCode: 'UNKNOWN', errorDetail: 'unexpected EOF', errorMessage: 'unknown error' },
  ],
  ['Errno::ENOENT: No such file or directory @ rb_sysopen - /var/opt/gitlab/gitlab-rails/etc/gitlab-registry.key', { source: 'rails', exceptionClass: 'Errno::ENOENT' }],
  [
    '[error] 1201#0: *13442797 connect() failed (111: Connection refused) while connecting to upstream, client: x.x.x.x, server: registry.example.com, request: "GET /v2/<path> HTTP/1.1", upstream: "http://[::1]:5000/v2/<path>", host: "registry.example.com:5005"',
    { source: 'nginx-error', errno: 111, upstreamAddress: '[::1]:5000', host: 'registry.example.com:5005', method: 'GET' },
  ],
  ['Error response from daemon: Get "https://gitlab.company.com:4567/v2/": denied: access forbidden', { source: 'docker', error: 'denied: access forbidden' }],
  ['unauthorized: authentication required', { source: 'docker', error: 'unauthorized: authentication required' }],
  ['The push refers to a repository [gitlab.example.com/myproject/docs]', { source: 'docker', imageReference: 'gitlab.example.com/myproject/docs' }],
  ['630816f32edb: Preparing', { source: 'docker', layerId: '630816f32edb', layerStatus: 'Preparing' }],
  ['4b0bab9ff599: Waiting', { source: 'docker', layerId: '4b0bab9ff599', layerStatus: 'Waiting' }],
  [
    'HEAD https://example.s3.amazonaws.com:4567/v2/root/docker-test/blobs/sha256:(SHA)\n    ← 307 application/octet-stream [no content] 93ms',
    { source: 'proxy', method: 'HEAD', status: 307, route: 'blob', repository: 'root/docker-test' },
  ],
  [
    'HEAD https://amazonaws.example.com/docker/registry/vs/blobs/sha256/dd/(UUID)/data(QUERYSTRING)\n    ← 403 application/xml [no content] 80ms',
    { source: 'proxy', method: 'HEAD', status: 403, route: 'storage' },
  ],
]

describe('log lines quoted in the docs', () => {
  test.each(ROWS)('%s', (text, fields) => {
    for (const physical of text.split('\n')) expect(seedText).toContain(physical)
    // Through the whole pipeline: the proxy trace is one record of two physical lines.
    const parser = createLogParser({ file: 'seed.log' })
    const outputs = [...text.split('\n').flatMap((line) => parser.writeLine(line)), ...parser.end()]
    expect(outputs).toHaveLength(1)
    expect(outputs[0]).not.toHaveProperty('unparsed')
    expect(outputs[0]).toMatchObject(fields)
  })
})
