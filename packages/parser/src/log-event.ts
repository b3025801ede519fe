// The typed events every parser produces: one interface per source, joined in the `LogEvent` union.
// Field names are shared across sources wherever the meaning is the same (`status` is an HTTP status
// whether it came from NGINX, the registry's access line or a Rails request), so a rule written against
// `status` fires from whichever log the operator has. Formats: ../../../../shared/spec/formats-*.md

/** Log level, normalised (`warn` → `warning`, `ERRO` → `error`, nginx `crit`/`alert`/`emerg` → `fatal`). */
export type LogLevel = 'trace' | 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'fatal' | 'panic'

/** The wrapper a line arrived in, peeled off before the source parser saw it. */
export interface LineWrapper {
  /**
   * `svlogd`: Omnibus `2024-05-02_10:11:12.12345 ` prefix; `cri`: Kubernetes `<ts> stdout F `;
   * `docker-timestamps`: `docker logs -t`; `compose`: `name_1  | `; `syslog`: `May  9 06:45:46 host prog[pid]: `;
   * `docker-json`: json-file `{"log":…}`; `runner`: GitLab Runner trace (ANSI / section markers stripped, and the
   * `<time> 00O ` header of runner ≥ 17 timestamped logs);
   * `kubectl`: `kubectl logs --prefix` `[pod/<pod>/<container>] ` (pod in `host`, container in `container`);
   * `gitlab-logger`: the Helm chart's JSON around a text log line (the log's name in `program`).
   */
  kind: 'svlogd' | 'cri' | 'docker-timestamps' | 'compose' | 'syslog' | 'docker-json' | 'runner' | 'kubectl' | 'gitlab-logger'
  /** Time from the wrapper, epoch ms, when it had one. */
  time?: number
  /** `stdout` / `stderr` for CRI, docker json-file and timestamped runner logs. */
  stream?: string
  /** Compose service name, syslog host/program. */
  container?: string
  host?: string
  program?: string
}

/** Where `/v2/…` and related request paths point, derived from the URI by `parseRegistryPath`. */
export type RegistryRoute =
  | 'base' // GET /v2/ — the login / version ping
  | 'catalog' // /v2/_catalog
  | 'manifest' // /v2/<name>/manifests/<reference>
  | 'blob' // /v2/<name>/blobs/<digest>
  | 'blob-upload' // /v2/<name>/blobs/uploads/[<uuid>]
  | 'tags-list' // /v2/<name>/tags/list
  | 'tag-reference' // GitLab /v2/<name>/tags/reference/<tag> (DELETE)
  | 'gitlab-api' // /gitlab/v1/…
  | 'storage' // object-storage blob data: …/docker/registry/v2/blobs/sha256/<2 hex>/<digest>/data
  | 'debug' // /debug/vars, /debug/pprof/…, /debug/health, /debug/metrics (a bare /metrics is route other)
  | 'jwt-auth' // /jwt/auth token requests (GitLab, not the registry)
  | 'other-v2' // under /v2/ but matching no registry route (e.g. an invalid repository name)
  | 'other'

/**
 * Fields shared by every event. `message` is always a string (may be empty); `time` is epoch ms when the
 * line (or its wrapper) carried a time; `line` is the 1-based number of the first physical line, `lineCount`
 * the number of physical lines joined into this event (multi-line Rails blocks, era-B continuations, CRI `P`).
 */
interface EventBase {
  time?: number
  level?: LogLevel
  message: string
  file: string
  line: number
  lineCount: number
  /** The event's text after wrappers were peeled (physical lines joined with `\n`). */
  raw: string
  /** The sub-format that matched, e.g. `logrus-text`, `labkit-json-access`, `gitlab-access`, `production-log`. */
  format: string
  wrapper?: LineWrapper
}

/** HTTP request fields, present on access lines and on app lines that carry request context. */
export interface HttpFields {
  method?: string
  /** The request target as logged (path + query), never decoded. */
  uri?: string
  /** `uri` without its query string. */
  path?: string
  protocol?: string
  status?: number
  /** Response body bytes. */
  bytes?: number
  durationMs?: number
  userAgent?: string
  referer?: string
  /** NGINX `$remote_user`; absent when `-`. */
  remoteUser?: string
  /** The client's address (IPv4/IPv6, port stripped). X-Forwarded-For aware where the log is. */
  clientAddress?: string
  /** The HTTP Host header / virtual host. */
  host?: string
  correlationId?: string
  requestId?: string
  /** Derived from `path` (see `RegistryRoute`). */
  route?: RegistryRoute
  /** Repository path from a `/v2/<name>/…` or storage URI. */
  repository?: string
  /** `sha256:<hex>` from the URI (blob, storage data path, `digest=` of an upload PUT) or a `vars.digest` field. */
  digest?: string
  /** Manifest / tag reference (tag or digest) from `/manifests/<ref>` or `/tags/reference/<ref>`. Empty string when the URI ends at the slash. */
  reference?: string
  uploadUuid?: string
}

/** GitLab container registry (and upstream distribution) app, access and TTY lines. */
export interface RegistryEvent extends EventBase, HttpFields {
  source: 'registry'
  /** Error code normalised to the API form: `err.code="blob upload unknown"` and `code=BLOB_UPLOAD_UNKNOWN` both → `BLOB_UPLOAD_UNKNOWN`. */
  errorCode?: string
  /** `err.detail` / `detail`. */
  errorDetail?: string
  /** `err.message`. */
  errorMessage?: string
  /** The `error=` field (`WithError`). */
  error?: string
  authUser?: string
  /** True for access-log lines (gorilla combined, LabKit `msg=access`). */
  access: boolean
  /** Every key/value of the line under its normalised name (dots → underscores, e.g. `http_request_uri`, `vars_name`, `valid_until`). */
  fields: Record<string, string>
}

/** NGINX access log: Omnibus `gitlab_access`, plain `combined`, ingress and JSON formats. */
export interface NginxAccessEvent extends EventBase, HttpFields {
  source: 'nginx-access'
  gzipRatio?: number
  /** Upstream address (ingress / JSON formats that log it). */
  upstream?: string
  upstreamStatus?: number
  /** Extra fields from JSON formats, by their key. */
  fields: Record<string, string>
}

/** NGINX error log. */
export interface NginxErrorEvent extends EventBase, HttpFields {
  source: 'nginx-error'
  pid?: number
  connectionId?: number
  /** The text after `while ` (e.g. `connecting to upstream`). */
  action?: string
  /** `server:` (the server_name of the vhost). The `client:` address is in `clientAddress`. */
  server?: string
  /** The raw `request:` line. */
  request?: string
  /** `upstream:` URL, e.g. `http://[::1]:5000/v2/…`. */
  upstream?: string
  /** Host part of `upstream` (`[::1]:5000`, `127.0.0.1:5000`, `unix:/…`). */
  upstreamAddress?: string
  /** errno text inside `(111: Connection refused)`. */
  errno?: number
}

/** GitLab Rails: production.log request/exception blocks and the JSON logs. */
export interface RailsEvent extends EventBase, HttpFields {
  source: 'rails'
  /** `production-log`, `production-json`, `api-json`, `exceptions-json`, `application-json`, `sidekiq-json`, … is in `format`. */
  controller?: string
  action?: string
  exceptionClass?: string
  exceptionMessage?: string
  backtrace?: string[]
  /** Flat JSON keys as logged (`extra.class`, `meta.caller_id`, `error_message`…), values stringified. */
  fields: Record<string, string>
}

/** docker CLI output, dockerd logs, GitLab Runner job logs, kaniko output. */
export interface DockerEvent extends EventBase {
  source: 'docker'
  /** Who wrote it. */
  component: 'cli' | 'dockerd' | 'runner' | 'kaniko' | 'buildkit' | 'kubelet'
  /** 12-hex layer id of a push/pull progress line (`561233343a27: Retrying in 20 seconds`). */
  layerId?: string
  /** `Pushing`, `Pushed`, `Retrying`, `Waiting`, `Layer already exists`, … */
  layerStatus?: string
  /** Bytes done / total of a progress line (`9.901 MB/205.7 MB`). */
  progressBytes?: number
  totalBytes?: number
  retryInSeconds?: number
  /** Image reference the line is about (`docker push <ref>`, `The push refers to repository [<ref>]`, `invalid argument "<ref>"`). */
  imageReference?: string
  /** Registry error text in the `<code>: <message>` shape docker prints (`denied: access forbidden`). */
  error?: string
  /** logrus fields of dockerd lines. */
  fields: Record<string, string>
}

/** HTTP flows captured by mitmproxy / mitmdump. */
export interface ProxyEvent extends EventBase, HttpFields {
  source: 'proxy'
  /** Full URL as captured (scheme, host, path, query). */
  url: string
  reason?: string
  contentType?: string
  /** True when the URL was cut in the listing (mitmproxy ≥ 7 at default flow detail). */
  truncated: boolean
}

/** Every event the parser produces, discriminated on `source`. */
export type LogEvent = RegistryEvent | NginxAccessEvent | NginxErrorEvent | RailsEvent | DockerEvent | ProxyEvent

/** The ids of the sources, derived from the union so a new source cannot be forgotten. */
export type SourceId = LogEvent['source']

/** Every source id, in catalogue order. */
export const SOURCE_IDS: readonly SourceId[] = ['registry', 'nginx-access', 'nginx-error', 'rails', 'docker', 'proxy']

const BASE_FIELDS = ['source', 'time', 'level', 'message', 'file', 'line', 'lineCount', 'raw', 'format', 'wrapper'] as const
const HTTP_FIELDS = [
  'method', 'uri', 'path', 'protocol', 'status', 'bytes', 'durationMs', 'userAgent', 'referer', 'remoteUser',
  'clientAddress', 'host', 'correlationId', 'requestId', 'route', 'repository', 'digest', 'reference', 'uploadUuid',
] as const

type FieldsOf<K extends SourceId> = keyof Extract<LogEvent, { source: K }>

/**
 * The field names each source's events can carry: what a rule may name in `field:` (plus `fields.<key>`
 * and `wrapper.<key>` for the open maps). `satisfies` keeps the lists in step with the interfaces above.
 */
export const EVENT_FIELDS = {
  registry: [...BASE_FIELDS, ...HTTP_FIELDS, 'errorCode', 'errorDetail', 'errorMessage', 'error', 'authUser', 'access', 'fields'],
  'nginx-access': [...BASE_FIELDS, ...HTTP_FIELDS, 'gzipRatio', 'upstream', 'upstreamStatus', 'fields'],
  'nginx-error': [
    ...BASE_FIELDS, ...HTTP_FIELDS, 'pid', 'connectionId', 'action', 'server', 'request', 'upstream', 'upstreamAddress', 'errno',
  ],
  rails: [...BASE_FIELDS, ...HTTP_FIELDS, 'controller', 'action', 'exceptionClass', 'exceptionMessage', 'backtrace', 'fields'],
  docker: [
    ...BASE_FIELDS, 'component', 'layerId', 'layerStatus', 'progressBytes', 'totalBytes', 'retryInSeconds', 'imageReference',
    'error', 'fields',
  ],
  proxy: [...BASE_FIELDS, ...HTTP_FIELDS, 'url', 'reason', 'contentType', 'truncated'],
} as const satisfies { [K in SourceId]: readonly FieldsOf<K>[] }
