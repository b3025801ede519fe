import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { createLogParser } from '../create-log-parser.js'
import type { LogRecord } from '../define-source.js'
import { docker } from './docker.js'

const FIXTURE = new URL('./fixtures/docker.log', import.meta.url)


/** Runs `lines` through the real pipeline with the source forced, as one stream. */
function parseLines(lines: readonly string[], file = 'test.log') {
  const parser = createLogParser({ file, source: 'docker' })
  return [...lines.flatMap((line) => parser.writeLine(line)), ...parser.end()]
}

function record(text: string, extra: Partial<LogRecord> = {}): LogRecord {
  return { text, file: 'test.log', line: 1, lineCount: 1, ...extra }
}

function parseOne(text: string, extra: Partial<LogRecord> = {}): ReturnType<typeof docker.parse> {
  return docker.parse(record(text, extra), undefined)
}

describe('docker examples', () => {
  test.each(docker.examples)('$title', ({ lines, event }) => {
    expect(parseLines(lines)[0]).toMatchObject(event)
  })
})

describe('docker CLI lines', () => {
  test.each([
    ['kB with a space', 'dc5e59c14160: Pushing [=====>    ] 14.85 kB/20 kB', { progressBytes: 14_850, totalBytes: 20_000 }],
    ['bytes', '0a1b2c3d4e5f: Pushing  512B/1.5kB', { progressBytes: 512, totalBytes: 1_500 }],
    ['binary units', '0a1b2c3d4e5f: Downloading  1.5MiB/3GiB', { progressBytes: 1_572_864, totalBytes: 3 * 1024 ** 3 }],
    ['trailing spaces of a TTY capture', '0a1b2c3d4e5f: Pushed   ', { layerStatus: 'Pushed' }],
    ['one second', '0a1b2c3d4e5f: Retrying in 1 second', { layerStatus: 'Retrying', retryInSeconds: 1 }],
    ['mounted from another repository', '0a1b2c3d4e5f: Mounted from group/base', { layerStatus: 'Mounted from' }],
    ['an unknown status is kept', '0a1b2c3d4e5f: Something new', { layerStatus: 'Something new' }],
  ])('layer line: %s', (_name, line, expected) => {
    expect(parseOne(line)).toMatchObject({ component: 'cli', layerId: expect.stringMatching(/^[0-9a-f]{12}$/), ...expected })
  })

  test('a bar without sizes has no byte counts', () => {
    const parsed = parseOne('0a1b2c3d4e5f: Pushing [==>      ]')
    expect(parsed).toMatchObject({ layerStatus: 'Pushing' })
    expect(parsed).not.toHaveProperty('progressBytes')
  })

  test.each([
    ['x509 with the "possibly because of" tail', 'Error response from daemon: Get "https://registry.example.com/v2/": x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "registry-ca")', { error: 'x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "registry-ca")' }],
    ['the token realm fails TLS inside the ping', 'Get https://registry.example.com/v2/: Get https://gitlab.example.com/jwt/auth?account=jdoe&service=container_registry: x509: certificate signed by unknown authority', { level: 'error', fields: { verb: 'Get', url: 'https://registry.example.com/v2/' } }],
    ['DOCKER_HOST pointed at the registry', 'error during connect: Post https://registry.example.com:5050/v1.40/auth: x509: certificate signed by unknown authority', { error: 'x509: certificate signed by unknown authority' }],
    ['manifest unknown on pull names the image', 'Error response from daemon: manifest for registry.example.com/group/app:nope not found: manifest unknown: manifest unknown', { imageReference: 'registry.example.com/group/app:nope', fields: { error_code: 'manifest unknown' } }],
    ['pull by digest', 'Error response from daemon: Head "https://registry.example.com/v2/group/app/manifests/sha256:3c5d1f0e2b4a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4": denied: access forbidden', { imageReference: 'registry.example.com/group/app@sha256:3c5d1f0e2b4a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4' }],
    ['wrong password', 'unauthorized: HTTP Basic: Access denied', { error: 'unauthorized: HTTP Basic: Access denied', fields: { error_code: 'unauthorized' } }],
    ['upload session lost', 'blob upload unknown: blob upload unknown to registry', { fields: { error_code: 'blob upload unknown' } }],
    ['502 through a proxy', 'received unexpected HTTP status: 502 Bad Gateway', { fields: { status: '502' } }],
    ['an upper-case reference', 'invalid argument "registry.example.com/Group/App" for "-t, --tag" flag: invalid reference format: repository name must be lowercase', { imageReference: 'registry.example.com/Group/App', error: 'invalid reference format: repository name must be lowercase' }],
    ['build -t with --tag=', 'docker build --tag=registry.example.com/group/app:1 .', { imageReference: 'registry.example.com/group/app:1' }],
    // `docker tag` (and FROM before 17.05) name the reference they refuse; lower-case `error` in current CLIs.
    ['docker tag refusing a reference', 'Error parsing reference: "registry.example.com/acme/_tools:1.0" is not a valid repository/tag: invalid reference format', { imageReference: 'registry.example.com/acme/_tools:1.0', error: 'invalid reference format' }],
    ['current docker tag wording', 'error parsing reference: "${DOCKER_REGISTRY}/shop:1.2" is not a valid repository/tag: invalid reference format', { imageReference: '${DOCKER_REGISTRY}/shop:1.2' }],
    ['the default tag', 'Using default tag: latest', { fields: { tag: 'latest' } }],
    // Other clients' error chains after cobra's `Error: ` (real wordings: containers/image, go-containerregistry).
    ['buildah / podman manifest push', 'Error: writing manifest: uploading manifest 1.0.0 to registry.example.com/group/app: manifest blob unknown: blob unknown to registry', { level: 'error', error: 'writing manifest: uploading manifest 1.0.0 to registry.example.com/group/app: manifest blob unknown: blob unknown to registry', fields: { error_code: 'manifest blob unknown' } }],
    ['crane: the API code in upper case', 'Error: PUT https://registry.example.com/v2/group/app/manifests/1.0.0: MANIFEST_BLOB_UNKNOWN: blob unknown to registry; sha256:a21b88677c26c0af7c7e59045379eb7a5c0f425c3302a92e3eb2a61463c070a2', { level: 'error', fields: { error_code: 'manifest blob unknown' } }],
    ['an upper-case code alone', 'DENIED: requested access to the resource is denied', { fields: { error_code: 'denied' } }],
    // `docker run` / `docker create` name the command and end the sentence (the layout of countless pastes).
    ['docker run: the daemon error after `docker: `', 'docker: Error response from daemon: Get "https://registry.example.com/v2/": x509: certificate signed by unknown authority.', { level: 'error', error: 'x509: certificate signed by unknown authority', fields: { verb: 'Get', url: 'https://registry.example.com/v2/' } }],
    // kubernetes-up-and-running/kuard#16: the config blob redirected to object storage with a private CA.
    ['the image config blob', 'error pulling image configuration: Get https://storage.example.com/docker/registry/v2/blobs/sha256/3c/3c5d/data: x509: certificate signed by unknown authority', { level: 'error', error: 'x509: certificate signed by unknown authority', fields: { verb: 'Get' } }],
    ['the image config blob after retries, from docker run', 'docker: error pulling image configuration: download failed after attempts=6: x509: certificate signed by unknown authority.', { level: 'error', error: 'x509: certificate signed by unknown authority' }],
    ['docker run before the pull', "Unable to find image 'registry.example.com/acme/web:latest' locally", {}],
    ['docker pull: the tag and repository', 'latest: Pulling from group/app', { fields: { tag: 'latest', repository: 'group/app' } }],
    ['docker pull: the result', 'Status: Downloaded newer image for registry.example.com/group/app:latest', { imageReference: 'registry.example.com/group/app:latest' }],
    ['docker pull: nothing new', 'Status: Image is up to date for registry.example.com/group/app:1.0', { imageReference: 'registry.example.com/group/app:1.0' }],
    ['docker pull: the digest', 'Digest: sha256:3c5d1f0e2b4a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4', {}],
    ["docker scout's footer after a pull", "What's Next?", {}],
    ["docker scout's footer after a pull, its hint", '  View a summary of image vulnerabilities and recommendations → docker scout quickview registry.example.com/group/app', {}],
    ['docker 1.13 (RHEL) pull', 'Trying to pull repository registry.example.com/kuar-demo/kuard-amd64 ... ', { imageReference: 'registry.example.com/kuar-demo/kuard-amd64' }],
  ])('%s', (_name, line, expected) => {
    expect(parseOne(line)).toMatchObject({ source: 'docker', component: 'cli', ...expected })
  })

  test.each([
    ['an English sentence with a colon', 'note: remember to push'],
    ['an unknown code', 'weird thing: happened'],
    ['script output', 'Compiling app v1.2.0 (/builds/group/app)'],
    ['a docs URL', 'https://docs.docker.com/engine/reference/commandline/login/#credentials-store'],
    ['a layer id that is not 12 hex', '5f70bf18a08: Pushed'],
    ['a tool error that is not the registry', 'Error: open Containerfile: no such file or directory'],
    ['a pull message inside another tool\'s line', 'echo "Failed to pull image \\"x\\"" >> notes.txt'],
    ['an upper-case word that is not a code', 'DONE: pushed 3 images'],
  ])('no-match: %s', (_name, line) => {
    expect(parseOne(line)).toEqual({ unparsed: 'no-match' })
  })

  test('manifest push errors: only registry errors continue the header', () => {
    const header = record('failed to put manifest registry.example.com/group/app:multi: errors:')
    expect(docker.continues?.('manifest blob unknown: blob unknown to registry', header)).toBe(true)
    expect(docker.continues?.('$ echo done', header)).toBe(false)
    expect(docker.continues?.('manifest blob unknown: blob unknown to registry', record('Login Succeeded'))).toBe(false)
    const [event] = parseLines([
      'failed to put manifest registry.example.com/group/app:multi: errors:',
      'manifest blob unknown: blob unknown to registry',
      'manifest invalid: manifest invalid',
    ])
    expect(event).toMatchObject({ lineCount: 3, fields: { errors: 'manifest blob unknown: blob unknown to registry\nmanifest invalid: manifest invalid' } })
  })
})

describe('dockerd and registry logrus lines', () => {
  test.each([
    ['an upload that gave up', 'time="2024-05-02T10:31:19Z" level=error msg="Upload failed: EOF"', { error: 'EOF', level: 'error' }],
    ['next endpoint', 'time="2024-05-02T10:31:19Z" level=info msg="Attempting next endpoint for push after error: EOF"', { level: 'info' }],
    ['certificate lookup', 'time="2024-05-02T10:31:19Z" level=debug msg="hostDir: /etc/docker/certs.d/registry.example.com"', { level: 'debug' }],
    ['a quoted value with escapes', 'time="2024-05-02T10:31:19Z" level=error msg="Handler for POST /v1.43/images/registry.example.com/group/app/push returned error: \\"denied\\"" spanID=abc', { message: 'Handler for POST /v1.43/images/registry.example.com/group/app/push returned error: "denied"', fields: { spanID: 'abc' } }],
    ['the journald prefix left on', 'May  2 10:31:04 build-host dockerd[1187]: time="2024-05-02T10:31:04Z" level=warning msg="some message dockerd wrote"', { level: 'warning' }],
    // docker login's logrus line, from a job log (docker-library/docker#283) and a current daemon (cause in `error=`).
    ['a login falling back (≤ 19.03)', 'time="2020-12-22T16:02:13Z" level=info msg="Error logging in to v2 endpoint, trying next endpoint: Get https://registry.example.com:8443/v2/: x509: certificate signed by unknown authority"', { level: 'info' }],
    ['a login falling back (cause in error=)', 'time="2024-10-05T10:34:46Z" level=info msg="Error logging in to endpoint, trying next endpoint" error="Get \\"https://registry.example.com:5000/v2/\\": tls: failed to verify certificate: x509: certificate signed by unknown authority"', { fields: { error: 'Get "https://registry.example.com:5000/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority' } }],
    ['the CloudWatch prefix left on', '2019-12-24T18:22:52Z docker time="2019-12-24T18:22:52.000Z" level=debug msg="Trying to push registry.example.com/group/app to https://registry.example.com v2"', { level: 'debug' }],
  ])('dockerd: %s', (_name, line, expected) => {
    expect(parseOne(line)).toMatchObject({ component: 'dockerd', format: 'dockerd-logrus', ...expected })
  })

  test.each(['dockerd', 'docker', 'dockerd-current', 'containerd'])('any logrus line from a stream the pipeline knows is the daemon (%s)', (program) => {
    const line = 'time="2024-05-02T10:31:04Z" level=info msg="Loading containers: start."'
    expect(parseOne(line)).toEqual({ unparsed: 'no-match' })
    expect(parseOne(line, { wrapper: { kind: 'syslog', program } })).toMatchObject({ component: 'dockerd', message: 'Loading containers: start.' })
  })

  test('`journalctl -u docker` on stdin: every dockerd line is docker, though the registry reads the same layout', () => {
    // goharbor/harbor#20405 (the retry line); the others are dockerd's start-up lines around it.
    const parser = createLogParser({ file: '-' })
    const outputs = [
      'May 10 10:18:40 master01 dockerd[2526225]: time="2024-05-10T10:18:40.101Z" level=info msg="Loading containers: start."',
      'May 10 10:18:53 master01 dockerd[2526225]: time="2024-05-10T10:18:53.505245247+07:00" level=error msg="Upload failed, retrying: EOF"',
      'Mar 02 11:15:42 ip-172-18-5-21 dockerd-current[23742]: time="2018-03-02T11:15:42.553Z" level=debug msg="Start untar layer"',
    ].flatMap((line) => parser.writeLine(line))
    expect([...outputs, ...parser.end()]).toEqual([
      expect.objectContaining({ source: 'docker', component: 'dockerd', message: 'Loading containers: start.' }),
      expect.objectContaining({ source: 'docker', component: 'dockerd', error: 'EOF' }),
      expect.objectContaining({ source: 'docker', component: 'dockerd', message: 'Start untar layer' }),
    ])
  })

  test.each([
    ['registry access line', 'time="2024-05-02T10:31:04Z" level=info msg=access http.request.method=PATCH http.request.uri="/v2/group/app/blobs/uploads/x" http.response.status=202'],
    ['registry error with err.* fields', 'time="2024-05-02T10:31:04Z" level=error msg="response completed with error" err.code=unknown err.detail="unexpected EOF" err.message="unknown error"'],
    ['registry seed with bare quotes in msg', 'level=info msg="token signed by untrusted key with ID: "TOKE:NL6Q:7PW6:EXAM:PLET:OKEN:BG27:RCIB:D2S3:EXAM:PLET:OKEN""'],
    ['registry line that mentions an upload', 'time="2024-05-02T10:31:04Z" level=error msg="Upload failed" go.version=go1.20 service=registry'],
  ])('not dockerd: %s', (_name, line) => {
    expect(parseOne(line)).toEqual({ unparsed: 'no-match' })
    expect(docker.sniff(line)).toBeLessThanOrEqual(0.3)
  })
})

describe('runner and kaniko lines', () => {
  test.each([
    ['version banner with runner name', '  on shared-runner-01 xYz12AbC, system ID: s_0a1b2c3d4e5f', { component: 'runner' }],
    ['executor', 'Preparing the "docker+machine" executor', { fields: { executor: 'docker+machine' } }],
    ['pulling an image', 'Pulling docker image registry.example.com/group/base:1.0 ...', { imageReference: 'registry.example.com/group/base:1.0' }],
    ['a non-docker command echo', '$ make test', { fields: { command: 'make test' } }],
    ['a quoted docker push', '$ docker push "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA"', { imageReference: '$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA', fields: { docker_command: 'push' } }],
    ['an old runner build failure', 'ERROR: Build failed: exit code 1', { level: 'error', error: 'exit code 1' }],
    ['a UI copy section duration', '00:04', { component: 'runner' }],
    ['buildx refusing a tag', 'ERROR: invalid tag "registry.example.com/acme/_internal/app:latest": invalid reference format', { imageReference: 'registry.example.com/acme/_internal/app:latest', error: 'invalid reference format' }],
    ['buildx refusing a tag, failed build', 'ERROR: failed to build: invalid tag "mujoco_ros2_control:fix/pytest": invalid reference format', { imageReference: 'mujoco_ros2_control:fix/pytest' }],
  ])('runner: %s', (_name, line, expected) => {
    expect(parseOne(line)).toMatchObject({ component: 'runner', format: 'runner-job', ...expected })
  })

  test.each([
    ['pushed digest', 'INFO[0012] Pushed registry.example.com/group/app@sha256:3c5d1f0e2b4a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4', { imageReference: 'registry.example.com/group/app@sha256:3c5d1f0e2b4a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4', fields: { elapsed_s: '0012' } }],
    ['a fatal error through logrus', 'ERRO[0042] error pushing image: failed to push to destination registry.example.com:5050/group/app:1.0: unexpected EOF', { level: 'error', imageReference: 'registry.example.com:5050/group/app:1.0' }],
    ['push permissions', 'error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for "registry.example.com/group/app:1.0": POST https://registry.example.com/v2/group/app/blobs/uploads/: UNAUTHORIZED: authentication required', { level: 'error' }],
  ])('kaniko: %s', (_name, line, expected) => {
    expect(parseOne(line)).toMatchObject({ component: 'kaniko', format: 'kaniko', ...expected })
  })

  test('a logrus TTY line from another tool is not kaniko', () => {
    expect(parseOne('INFO[0000] starting the frobnicator')).toEqual({ unparsed: 'no-match' })
  })

  test.each([
    ['dockerd in the foreground (moby#19967)', 'ERRO[0079] Upload failed, retrying: read tcp 10.0.0.4:47702->52.72.23.195:443: i/o timeout', { component: 'dockerd', level: 'error' }],
    ['crictl (cri-o#5798)', 'FATA[0000] pulling image: rpc error: code = Unknown desc = error pinging docker registry gitlab.example.com:5050: Get "https://gitlab.example.com:5050/v2/": x509: certificate signed by unknown authority', { component: 'cli', level: 'fatal' }],
    ['early kaniko (kaniko#224)', 'ERRO[0001] Get https://registry.example.com:5000/v2/: x509: certificate signed by unknown authority', { component: 'cli', level: 'error' }],
  ])('a client in the logrus TTY layout: %s', (_name, line, expected) => {
    expect(parseOne(line)).toMatchObject({ source: 'docker', format: 'logrus-tty', ...expected })
    expect(docker.sniff(line)).toBe(0.8)
  })

  test.each([
    ['the registry answering a request', 'INFO[0012] response completed                            http.request.method=GET http.request.uri="/v2/" http.response.status=401'],
    ['the registry naming an upstream URL it failed to reach', 'ERRO[0003] error posting: Post https://hooks.example.com/registry: x509: certificate signed by unknown authority'],
  ])('not a client: %s', (_name, line) => {
    expect(parseOne(line)).toEqual({ unparsed: 'no-match' })
  })
})

describe('sniffing and hostile input', () => {
  test.each([
    ['Error response from daemon: Get "https://r.example.com/v2/": denied: access forbidden', 0.8, 1],
    ['561233343a27: Retrying in 20 seconds', 0.8, 1],
    ['Running with gitlab-runner 16.0.1 (79704081)', 0.8, 1],
    ['time="2024-05-02T10:31:04Z" level=error msg="Upload failed, retrying: EOF"', 0.8, 1],
    ['time="2024-05-02T10:31:04Z" level=info msg="Calling POST /v1.43/images/r/push?tag=1"', 0.8, 1],
    ['INFO[0005] Pushing image to registry.example.com/group/app:tag', 0.5, 1],
    ['time="2024-05-02T10:31:04Z" level=info msg=access http.request.uri="/v2/" go.version=go1.20', 0, 0.3],
    ['Started GET "/jwt/auth" for 192.0.2.1 at 2024-05-02 08:00:00 +0000', 0, 0],
    ['203.0.113.61 - - [02/May/2024:08:01:10 +0000] "GET /v2/ HTTP/1.1" 401 104 "" "docker/24.0.7" 0.84', 0, 0],
  ])('sniff(%s) in [%f, %f]', (line, low, high) => {
    const score = docker.sniff(line)
    expect(score).toBeGreaterThanOrEqual(low)
    expect(score).toBeLessThanOrEqual(high)
  })

  test.each([
    '', '   ', '\u0000\u0000', 'x'.repeat(1_000_000), `time="${'\\'.repeat(100_000)}`, `level=x msg="${'"a'.repeat(50_000)}`,
    `WARNING: ${': '.repeat(200_000)}`, `Error response from daemon: ${'Get '.repeat(50_000)}`, `0a1b2c3d4e5f: Pushing [${'='.repeat(100_000)}`,
    `error pushing image: failed to push to destination ${'a'.repeat(100_000)}`,
  ])('never throws on hostile input %#', (line) => {
    expect(() => parseLines([line, line])).not.toThrow()
    expect(() => docker.sniff(line)).not.toThrow()
  })

  test('a blank line is empty', () => {
    expect(parseOne('  ')).toEqual({ unparsed: 'empty' })
  })
})

describe('docker fixture', () => {
  // The golden events are written and compared by sources.test.ts; this checks what the fixture is for.
  test('job output that is neither docker\'s nor the runner\'s stays unparsed: the docs URL and builder ids', () => {
    const lines = readFileSync(FIXTURE, 'utf8').replace(/\n$/, '').split('\n')
    const out = parseLines(lines, 'docker.log')
    expect(out.filter((output) => 'unparsed' in output).map((output) => ('raw' in output ? output.raw : ''))).toEqual([
      'https://docs.docker.com/engine/reference/commandline/login/#credentials-store',
      ' ---> 05455a08881e',
      ' ---> 3f9d2c1b0a8e',
      ' ---> Running in 7c6b5a4d3e2f',
    ])
  })
})
