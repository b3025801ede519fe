// One example per era and layout of registry logs (shared/spec/formats-registry.md eras A–E), built from
// the spec's real line shapes with anonymised values (hosts, addresses, ids, digests).
import type { SourceExample } from '../../define-source.js'
import type { RegistryEvent } from '../../log-event.js'

const DIGEST = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef'
const UUID = '9c6a07e6-3c3b-4b4a-9a55-0b1f0f8f2d11'
const CORRELATION = '01HF3QZ5Y8M1N6QW3T7V2K9XRB'

export const layoutExamples: readonly SourceExample<RegistryEvent>[] = [
  {
    title: 'era A: Go %q escapes (\\n\\t, \\\\( ) decoded; bare duration and trailing space',
    lines: [
      String.raw`time="2017-03-02T14:20:11.423456789Z" level=error msg="response completed with error" err.code=unknown err.detail="s3aws: AccessDenied: Access Denied\n\tstatus code: 403, request id: 6F2D1C0B9A8E7D6C" err.message="unknown error" go.version=go1.7.3 http.request.host=registry.example.com http.request.id=0b4c7d2e-5a61-4f3e-9d2a-6c1b8e0f7a93 http.request.method=HEAD http.request.remoteaddr="10.0.4.17:51234" http.request.uri="/v2/group/app/blobs/${DIGEST}" http.request.useragent="docker/17.03.1-ce go/go1.7.5 kernel/4.9.0 os/linux arch/amd64 UpstreamClient(Docker-Client/17.03.1-ce \\(linux\\))" http.response.duration=8.937191ms http.response.status=500 http.response.written=104 instance.id=4c3e1f0a-77b2-4f9d-8e21-0d5c6b7a8f90 vars.digest="${DIGEST}" vars.name="group/app" version=v2.6.0 `,
    ],
    event: {
      format: 'logrus-text', level: 'error', time: Date.UTC(2017, 2, 2, 14, 20, 11, 423),
      errorCode: 'UNKNOWN', errorDetail: 's3aws: AccessDenied: Access Denied\n\tstatus code: 403, request id: 6F2D1C0B9A8E7D6C',
      errorMessage: 'unknown error', method: 'HEAD', status: 500, bytes: 104, durationMs: 8.937191,
      clientAddress: '10.0.4.17', requestId: '0b4c7d2e-5a61-4f3e-9d2a-6c1b8e0f7a93', route: 'blob', repository: 'group/app',
      digest: DIGEST, userAgent: String.raw`docker/17.03.1-ce go/go1.7.5 kernel/4.9.0 os/linux arch/amd64 UpstreamClient(Docker-Client/17.03.1-ce \(linux\))`,
      fields: { vars_name: 'group/app', version: 'v2.6.0', http_response_duration: '8.937191ms' },
    },
  },
  {
    title: 'era A: untrusted key, escaped inner quotes',
    lines: [String.raw`level=info msg="token signed by untrusted key with ID: \"…\""`],
    event: { level: 'info', message: 'token signed by untrusted key with ID: "…"' },
  },
  {
    title: 'era B: a raw newline in err.detail continues on a TAB line',
    lines: [
      'time="2019-06-11T09:14:03.51234Z" level=error msg="response completed with error" err.code=unknown err.detail="s3aws: AccessDenied: Access Denied',
      `\tstatus code: 403, request id: 3F1C6B1A0E2D4C55, host id: aGVsbG8=" err.message="unknown error" go.version=go1.11.2 http.request.method=HEAD http.request.uri="/v2/group/app/blobs/${DIGEST}" http.response.status=500 vars.name="group/app" `,
    ],
    event: {
      format: 'logrus-text', level: 'error', errorCode: 'UNKNOWN', errorMessage: 'unknown error',
      errorDetail: 's3aws: AccessDenied: Access Denied\n\tstatus code: 403, request id: 3F1C6B1A0E2D4C55, host id: aGVsbG8=',
      method: 'HEAD', status: 500, route: 'blob', repository: 'group/app', digest: DIGEST,
    },
  },
  {
    title: 'Omnibus svlogd prefix over a gorilla line (DIST#2795 shape): \\\\( unescaped',
    lines: [
      String.raw`2019-01-02_22:46:08.71504 127.0.0.1 - - [02/Jan/2019:22:46:08 +0000] "HEAD /v2/root/windows-test/blobs/${DIGEST} HTTP/1.1" 200 0 "" "docker/18.09.0 go/go1.10.4 kernel/4.9.125-linuxkit os/windows arch/amd64 UpstreamClient(Docker-Client/18.09.0 \\(windows\\))"`,
    ],
    event: {
      format: 'gorilla-combined', access: true, clientAddress: '127.0.0.1', method: 'HEAD', status: 200, bytes: 0,
      route: 'blob', repository: 'root/windows-test', digest: DIGEST, time: Date.UTC(2019, 0, 2, 22, 46, 8),
      userAgent: String.raw`docker/18.09.0 go/go1.10.4 kernel/4.9.125-linuxkit os/windows arch/amd64 UpstreamClient(Docker-Client/18.09.0 \(windows\))`,
      wrapper: { kind: 'svlogd' },
    },
  },
  {
    title: 'v2.9.1-gitlab: err.detail wrapped as map[data:…]',
    lines: ['time="2020-06-02T11:12:13Z" level=error msg="response completed with error" err.code=unknown err.detail="map[data:unexpected EOF]" err.message="unknown error"'],
    event: { errorCode: 'UNKNOWN', errorDetail: 'unexpected EOF', fields: { err_detail: 'map[data:unexpected EOF]' } },
  },
  {
    title: 'v2.9.1-gitlab JSON: err.detail wrapped as {"data":…}',
    lines: ['{"err.code":"manifest blob unknown","err.detail":{"data":"sha256:0e5d"},"err.message":"blob unknown to registry","level":"error","msg":"response completed with error","time":"2020-06-02T11:12:13Z"}'],
    event: { format: 'logrus-json', errorCode: 'MANIFEST_BLOB_UNKNOWN', errorDetail: 'sha256:0e5d', errorMessage: 'blob unknown to registry' },
  },
  {
    title: 'era C: underscored names, upper-case code, the API message as msg',
    lines: [
      `time="2020-09-14T08:02:41Z" level=error msg="blob upload unknown to registry" auth_user_name=alice code=BLOB_UPLOAD_UNKNOWN correlation_id=${CORRELATION} detail="blob upload unknown" environment=production error="blob upload unknown: blob upload unknown to registry" go_version=go1.14.7 service=registry vars_name=group/app vars_uuid=${UUID} version=v2.11.0-gitlab`,
    ],
    event: {
      level: 'error', errorCode: 'BLOB_UPLOAD_UNKNOWN', errorMessage: 'blob upload unknown to registry',
      errorDetail: 'blob upload unknown', error: 'blob upload unknown: blob upload unknown to registry', authUser: 'alice',
      correlationId: CORRELATION, repository: 'group/app', uploadUuid: UUID, fields: { service: 'registry' },
    },
  },
  {
    title: 'era C/D: unknown error with unexpected EOF (the new s3-unexpected-eof shape)',
    lines: ['level=error msg="unknown error" code=UNKNOWN detail="unexpected EOF" error="unknown: unknown error"'],
    event: { errorCode: 'UNKNOWN', errorDetail: 'unexpected EOF', errorMessage: 'unknown error', error: 'unknown: unknown error' },
  },
  {
    title: 'era D: untrusted key as an error field with escaped quotes',
    lines: [String.raw`level=error msg="error verifying that signing key is trusted" error="token signed by untrusted key with ID: \"…\"" go_version=… version=…`],
    event: { level: 'error', message: 'error verifying that signing key is trusted', error: 'token signed by untrusted key with ID: "…"' },
  },
  {
    title: 'era D: client disconnect warning (ISO-8601 milliseconds)',
    lines: [
      `time="2023-11-07T13:45:02.318Z" level=warning msg="client disconnected during blob PATCH" action="blob PATCH" content_length=52428800 copied=1048576 correlation_id=${CORRELATION} error="unexpected EOF" go_version=go1.20.10 root_repo=group vars_name=group/app vars_uuid=${UUID} version=v3.85.0-gitlab`,
    ],
    event: {
      time: Date.UTC(2023, 10, 7, 13, 45, 2, 318), level: 'warning', message: 'client disconnected during blob PATCH',
      error: 'unexpected EOF', uploadUuid: UUID, fields: { action: 'blob PATCH', copied: '1048576' },
    },
  },
  {
    title: 'era D: token expired with a time.Time field',
    lines: ['time="2023-06-01T10:06:12.004Z" level=warning msg="token has expired" go_version=go1.19.9 valid_until="2023-06-01 10:05:00 +0000 UTC" version=v3.74.0-gitlab'],
    event: { level: 'warning', message: 'token has expired', fields: { valid_until: '2023-06-01 10:05:00 +0000 UTC' } },
  },
  {
    title: 'LabKit text access line: empty bare referrer, quoted remote_addr',
    lines: [
      `time="2021-02-03T04:05:06Z" level=info msg=access correlation_id=${CORRELATION} duration_ms=12 host=registry.example.com method=PATCH proto=HTTP/1.1 referrer= remote_addr="127.0.0.1:41234" remote_ip=10.0.0.7 status=202 system=http uri="/v2/group/app/blobs/uploads/${UUID}?_state=abc" user_agent="docker/20.10.7 go/go1.13.15" written_bytes=0`,
    ],
    event: {
      format: 'labkit-text-access', access: true, message: 'access', method: 'PATCH', status: 202, durationMs: 12, bytes: 0,
      clientAddress: '10.0.0.7', route: 'blob-upload', uploadUuid: UUID, path: `/v2/group/app/blobs/uploads/${UUID}`,
      fields: { referrer: '' },
    },
  },
  {
    title: 'LabKit combined access line (v2.10–v2.13): Host first, slashed date, duration last',
    lines: [`registry.example.com 10.0.0.7 - - [2020/09/01:10:11:12 +0200] "PUT /v2/group/app/manifests/1.0 HTTP/1.1" 201 0 "" "docker/19.03.12 go/go1.13.10" 21.000`],
    event: {
      format: 'labkit-combined', access: true, host: 'registry.example.com', clientAddress: '10.0.0.7', method: 'PUT', status: 201,
      route: 'manifest', reference: '1.0', durationMs: 21, time: Date.UTC(2020, 8, 1, 8, 11, 12),
    },
  },
  {
    title: 'era E (upstream v3): quoted µs duration',
    lines: ['time="2024-03-01T12:00:00.123456789Z" level=info msg="response completed" go.version=go1.21.5 http.request.method=GET http.request.uri="/v2/library/alpine/manifests/3.19" http.response.duration="88.251µs" http.response.status=200'],
    event: { level: 'info', status: 200, durationMs: 0.088251, route: 'manifest', repository: 'library/alpine', reference: '3.19' },
  },
  {
    title: 'Go panic followed by the AWS error tail',
    lines: [
      'panic: s3aws: AccessDenied: User: arn:aws:sts::123456789012:assumed-role/registry/i-0abc is not authorized to perform: s3:ListBucket on resource: "arn:aws:s3:::registry-bucket"',
      '\tstatus code: 403, request id: 7C1A2B3C4D5E6F70, host id: Zm9vYmFy',
    ],
    event: {
      format: 'go-panic', level: 'panic',
      error: 's3aws: AccessDenied: User: arn:aws:sts::123456789012:assumed-role/registry/i-0abc is not authorized to perform: s3:ListBucket on resource: "arn:aws:s3:::registry-bucket"\n\tstatus code: 403, request id: 7C1A2B3C4D5E6F70, host id: Zm9vYmFy',
    },
  },
  {
    // distribution#1576: net/http's error log between the registry's logrus lines.
    title: 'Go standard log line (net/http server error)',
    lines: ['2016/03/30 16:27:47 http: TLS handshake error from 172.31.0.151:43643: EOF'],
    event: { format: 'go-log', message: 'http: TLS handshake error from 172.31.0.151:43643: EOF', time: Date.UTC(2016, 2, 30, 16, 27, 47), access: false },
  },
  {
    // distribution#2695: a handler panic net/http recovered, with its goroutine dump.
    title: 'Go standard log line: a recovered handler panic and its dump',
    lines: [
      '2019/07/05 00:37:45 http: panic serving 10.255.0.4:58994: runtime error: invalid memory address or nil pointer dereference',
      'goroutine 49 [running]:',
      'net/http.(*conn).serve.func1(0xc0002588c0)',
      '\t/usr/local/go/src/net/http/server.go:1746 +0xd0',
    ],
    event: { format: 'go-log', level: 'panic', lineCount: 4, time: Date.UTC(2019, 6, 5, 0, 37, 45) },
  },
  {
    // distribution#4702: the mark phase of `registry garbage-collect`.
    title: 'garbage-collect output: a manifest marked',
    lines: ['account-portal: marking manifest sha256:17954313e0f8926875ce0743fe85693e0e9f695908c8f1544360d067a66b5eee'],
    event: { format: 'gc-output', repository: 'account-portal', digest: 'sha256:17954313e0f8926875ce0743fe85693e0e9f695908c8f1544360d067a66b5eee' },
  },
  {
    title: 'garbage-collect output: the sweep summary',
    lines: ['0 blobs marked, 10 blobs and 1 manifests eligible for deletion'],
    event: { format: 'gc-output', level: 'info' },
  },
]
