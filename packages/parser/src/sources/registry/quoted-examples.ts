// The registry lines the seed docs (shared/seeds/) and shared/spec/formats-registry.md quote, as examples:
// each is documentation and a test (sources.test.ts, registry.test.ts). `…` stands where the quote elided text.
import type { SourceExample } from '../../define-source.js'
import type { RegistryEvent } from '../../log-event.js'

const UNTRUSTED_KEY_ID = 'TOKE:NL6Q:7PW6:EXAM:PLET:OKEN:BG27:RCIB:D2S3:EXAM:PLET:OKEN'

/** The seed docs' log lines (container-registry-admin.md, troubleshooting-container-registry.md). */
const seedExamples: SourceExample<RegistryEvent>[] = [
  {
    title: 'seed: era-B untrusted token key, inner quotes unescaped',
    lines: [`level=info msg="token signed by untrusted key with ID: "${UNTRUSTED_KEY_ID}""`],
    event: {
      source: 'registry', format: 'logrus-text', level: 'info', access: false,
      message: `token signed by untrusted key with ID: "${UNTRUSTED_KEY_ID}"`,
    },
  },
  {
    title: 'seed: era-B invalid token warning with request fields and a raw \\(linux\\) user agent',
    lines: [
      String.raw`level=warning msg="error authorizing context: invalid token" go.version=go1.12.7 http.request.host="gitlab.company.com:4567" http.request.id=74613829-2655-4f96-8991-1c9fe33869b8 http.request.method=GET http.request.remoteaddr=10.72.11.20 http.request.uri="/v2/" http.request.useragent="docker/19.03.2 go/go1.12.8 git-commit/6a30dfc kernel/3.10.0-693.2.2.el7.x86_64 os/linux arch/amd64 UpstreamClient(Docker-Client/19.03.2 \(linux\))"`,
    ],
    event: {
      source: 'registry', format: 'logrus-text', level: 'warning', message: 'error authorizing context: invalid token',
      host: 'gitlab.company.com:4567', requestId: '74613829-2655-4f96-8991-1c9fe33869b8', method: 'GET',
      clientAddress: '10.72.11.20', uri: '/v2/', path: '/v2/', route: 'base',
      userAgent: String.raw`docker/19.03.2 go/go1.12.8 git-commit/6a30dfc kernel/3.10.0-693.2.2.el7.x86_64 os/linux arch/amd64 UpstreamClient(Docker-Client/19.03.2 \(linux\))`,
      fields: { go_version: 'go1.12.7', http_request_uri: '/v2/' },
    },
  },
  {
    title: 'seed: S3 unexpected EOF, the old "response completed with error" line',
    lines: ['level=error msg="response completed with error" err.code=unknown err.detail="unexpected EOF" err.message="unknown error"'],
    event: {
      source: 'registry', format: 'logrus-text', level: 'error', message: 'response completed with error',
      errorCode: 'UNKNOWN', errorDetail: 'unexpected EOF', errorMessage: 'unknown error',
      fields: { err_code: 'unknown', err_detail: 'unexpected EOF' },
    },
  },
]

/** Real lines quoted in formats-registry.md (DIST#…, sameersbn/docker-gitlab#3070, GitLab issues); `…` as quoted. */
const specExamples: SourceExample<RegistryEvent>[] = [
  {
    title: 'DIST#3412: era-D JSON error with an escaped S3 detail',
    lines: [
      String.raw`{"auth_user_name":"…","code":"UNKNOWN","correlation_id":"66e3e0a8eaf11777e73a1bbb98774070","detail":"s3aws: AuthorizationHeaderMalformed: The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-central-1'\n\tstatus code: 400, request id: …, host id: …","error":"unknown: unknown error","go_version":"go1.16.3","level":"error","msg":"unknown error","root_repo":"sciam","time":"2021-05-06T15:52:32Z","vars_name":"sciam/projects/sciam.fr","vars_reference":"latest"}`,
    ],
    event: {
      source: 'registry', format: 'logrus-json', level: 'error', time: Date.UTC(2021, 4, 6, 15, 52, 32),
      message: 'unknown error', errorCode: 'UNKNOWN', errorMessage: 'unknown error', error: 'unknown: unknown error',
      errorDetail: "s3aws: AuthorizationHeaderMalformed: The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-central-1'\n\tstatus code: 400, request id: …, host id: …",
      correlationId: '66e3e0a8eaf11777e73a1bbb98774070', repository: 'sciam/projects/sciam.fr', reference: 'latest',
      authUser: '…', fields: { root_repo: 'sciam', go_version: 'go1.16.3' },
    },
  },
  {
    title: 'gitlab infra#10933: era-B JSON with dotted names and a +01:00 offset',
    lines: [
      '{"environment":"development","go.version":"go1.14.4","instance.id":"…","level":"info","msg":"listening on [::]:5000","service":"registry","time":"2020-07-24T10:55:59.771028+01:00","version":"v2.9.1-gitlab-277-gc4913e07"}',
    ],
    event: {
      source: 'registry', format: 'logrus-json', level: 'info', message: 'listening on [::]:5000', access: false,
      time: Date.UTC(2020, 6, 24, 9, 55, 59, 771),
      fields: { go_version: 'go1.14.4', instance_id: '…', service: 'registry', version: 'v2.9.1-gitlab-277-gc4913e07' },
    },
  },
  {
    title: 'sameersbn/docker-gitlab#3070: LabKit JSON access line',
    lines: [
      '{"content_type":"application/json","correlation_id":"01JKY0ZMDMP25HMMVS01X5ANNH","duration_ms":0,"host":"registry.examle.com","level":"info","method":"GET","msg":"access","proto":"HTTP/1.0","referrer":"","remote_addr":"172.24.0.1:35512","remote_ip":"111.111.111.111","status":401,"system":"http","time":"2025-02-12T21:28:02.740Z","ttfb_ms":0,"uri":"/v2/","user_agent":"docker/20.10.12 go/go1.16.12 git-commit/459d0df kernel/5.4.0-200-generic os/linux arch/amd64","written_bytes":87}',
    ],
    event: {
      source: 'registry', format: 'labkit-json-access', access: true, level: 'info', message: 'access',
      time: Date.UTC(2025, 1, 12, 21, 28, 2, 740), method: 'GET', uri: '/v2/', route: 'base', protocol: 'HTTP/1.0',
      status: 401, bytes: 87, durationMs: 0, clientAddress: '111.111.111.111', host: 'registry.examle.com',
      correlationId: '01JKY0ZMDMP25HMMVS01X5ANNH',
      userAgent: 'docker/20.10.12 go/go1.16.12 git-commit/459d0df kernel/5.4.0-200-generic os/linux arch/amd64',
      fields: { remote_addr: '172.24.0.1:35512', ttfb_ms: '0', system: 'http', status: '401' },
    },
  },
  {
    title: 'gitlab infra#6377: gorilla combined access line with an empty "" referer',
    lines: ['10.216.5.3 - - [13/Mar/2019:11:05:44 +0000] "GET /v2/ HTTP/1.1" 401 87 "" "docker/17.03.2-ce … UpstreamClient(Go-http-client/1.1)"'],
    event: {
      source: 'registry', format: 'gorilla-combined', access: true, message: 'GET /v2/ HTTP/1.1',
      time: Date.UTC(2019, 2, 13, 11, 5, 44), clientAddress: '10.216.5.3', method: 'GET', uri: '/v2/', route: 'base',
      protocol: 'HTTP/1.1', status: 401, bytes: 87, userAgent: 'docker/17.03.2-ce … UpstreamClient(Go-http-client/1.1)',
    },
  },
  {
    title: 'DIST#1061: gorilla combined line from an IPv6 loopback peer',
    lines: ['::1 - - [22/Oct/2015:17:31:43 +0000] "HEAD … HTTP/1.0" 404 157 "" "docker/1.8.2 …"'],
    event: {
      source: 'registry', format: 'gorilla-combined', access: true, clientAddress: '::1', method: 'HEAD', status: 404,
      bytes: 157, protocol: 'HTTP/1.0', time: Date.UTC(2015, 9, 22, 17, 31, 43),
    },
  },
  {
    title: 'DIST#1285: logrus TTY layout with padded message',
    lines: ['INFO[0000] listening on [::]:5000    go.version=go1.5.2 instance.id=… version=v2.2.1'],
    event: {
      source: 'registry', format: 'logrus-tty', level: 'info', message: 'listening on [::]:5000',
      fields: { go_version: 'go1.5.2', instance_id: '…', version: 'v2.2.1' },
    },
  },
  {
    title: 'DIST docs/notifications.md: TTY notification sink error',
    lines: [
      'ERRO[0340] retryingsink: error writing events: httpSink{http://localhost:5003/callback}: error posting: Post http://localhost:5003/callback: dial tcp 127.0.0.1:5003: connection refused, retrying',
    ],
    event: {
      source: 'registry', format: 'logrus-tty', level: 'error',
      message: 'retryingsink: error writing events: httpSink{http://localhost:5003/callback}: error posting: Post http://localhost:5003/callback: dial tcp 127.0.0.1:5003: connection refused, retrying',
    },
  },
  {
    title: 'DIST docs/notifications.md: TTY backoff warning',
    lines: ['WARN[0340] httpSink{http://localhost:5003/callback} encountered too many errors, backing off'],
    event: {
      source: 'registry', format: 'logrus-tty', level: 'warning',
      message: 'httpSink{http://localhost:5003/callback} encountered too many errors, backing off',
    },
  },
  {
    title: 'DIST#2593: wrong upload offset (elided fields skipped)',
    lines: ['time="2018-05-17T10:18:32Z" level=error msg="upload resumed at wrong offest: 39157760 != 135803542" … http.request.method=PUT'],
    event: {
      source: 'registry', format: 'logrus-text', level: 'error', time: Date.UTC(2018, 4, 17, 10, 18, 32),
      message: 'upload resumed at wrong offest: 39157760 != 135803542', method: 'PUT',
    },
  },
  {
    title: 'DIST#2232: manifest blob unknown on a manifest PUT, bare digest detail',
    lines: [
      'level=error msg="response completed with error" err.code="manifest blob unknown" err.detail=sha256:… err.message="blob unknown to registry" … http.request.method=PUT … http.request.uri="/v2/nanoserver/manifests/latest"',
    ],
    event: {
      source: 'registry', level: 'error', errorCode: 'MANIFEST_BLOB_UNKNOWN', errorDetail: 'sha256:…',
      errorMessage: 'blob unknown to registry', method: 'PUT', uri: '/v2/nanoserver/manifests/latest', route: 'manifest',
      repository: 'nanoserver', reference: 'latest',
    },
  },
  {
    title: 'public code: filesystem permission denied (era A, seconds timestamp)',
    lines: [
      'time="2016-08-22T22:41:36Z" level=error msg="response completed with error" err.code=unknown err.detail="filesystem: mkdir /var/lib/registry/docker: permission denied"',
    ],
    event: {
      source: 'registry', level: 'error', time: Date.UTC(2016, 7, 22, 22, 41, 36), errorCode: 'UNKNOWN',
      errorDetail: 'filesystem: mkdir /var/lib/registry/docker: permission denied',
    },
  },
  {
    title: 'public code: schema1 manifest refused as an unknown error',
    lines: [
      'level=error msg="response completed with error" auth.user.name=root err.code=unknown err.detail="manifest schema v1 unsupported" err.message="unknown error"',
    ],
    event: { source: 'registry', authUser: 'root', errorCode: 'UNKNOWN', errorDetail: 'manifest schema v1 unsupported' },
  },
]

/** Every registry line the seed docs and the format spec quote. */
export const quotedExamples: readonly SourceExample<RegistryEvent>[] = [...seedExamples, ...specExamples]
