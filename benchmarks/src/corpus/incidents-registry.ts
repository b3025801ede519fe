// Incidents the registry process itself logs (formats-registry.md §5): token, storage-driver, manifest and
// notification errors, as GitLab v3+ text lines (Omnibus `current`) and JSON lines (Helm chart).
import type { CorpusContext } from './corpus-context.js'
import type { IncidentEvidence, IncidentTemplate } from './incident.js'
import { logrusJson, logrusText, svlogd } from './log-lines.js'
import { railsTime } from './time-formats.js'

type Fields = Record<string, string>

const VERSION: Fields = { go_version: 'go1.21.5', version: 'v3.88.0-gitlab' }

function sorted(fields: Fields): [string, string][] {
  return Object.keys(fields).sort().map((key) => [key, fields[key] as string])
}

/** An Omnibus text line in `registry/current`. */
function text(ctx: CorpusContext, level: string, msg: string, fields: Fields): IncidentEvidence {
  const line = ctx.files.registry.write(svlogd(ctx.clock, logrusText(ctx.clock, level, msg, sorted({ ...fields, ...VERSION }))))
  return { role: 'registry', line }
}

/** A Helm-chart JSON line. */
function json(ctx: CorpusContext, level: string, msg: string, fields: Fields): IncidentEvidence {
  return { role: 'registryJson', line: ctx.files.registryJson.write(logrusJson(ctx.clock, level, msg, { ...fields, ...VERSION })) }
}

/** The request fields GitLab adds to error lines since 2023-05 (`GetMappedRequestLogger`). */
function requestFields(ctx: CorpusContext, method: string, uri: string, repository: string): Fields {
  return {
    auth_user_name: ctx.random.pick(ctx.pools.users),
    content_type: 'application/octet-stream',
    correlation_id: ctx.random.pick(ctx.pools.correlationIds),
    environment: 'production',
    host: 'registry.example.com',
    method,
    referer: '',
    remote_addr: `${ctx.random.pick(ctx.pools.clients)}:${ctx.random.int(30000, 60000)}`,
    root_repo: repository.split('/')[0] ?? repository,
    service: 'registry',
    uri,
    user_agent: ctx.random.pick(ctx.pools.dockerAgents),
    vars_name: repository,
  }
}

function uploadUri(ctx: CorpusContext, repository: string): string {
  return `/v2/${repository}/blobs/uploads/${ctx.random.pick(ctx.pools.uploadIds)}?_state=${ctx.random.pick(ctx.pools.uploadStates)}`
}

/** An `unknown error` (500) line whose detail is the storage driver's error text. */
function unknownError(ctx: CorpusContext, detail: string, method: string, uri: string, repository: string, asJson: boolean): IncidentEvidence {
  const fields = { ...requestFields(ctx, method, uri, repository), code: 'UNKNOWN', detail, error: 'unknown: unknown error' }
  return asJson ? json(ctx, 'error', 'unknown error', fields) : text(ctx, 'error', 'unknown error', fields)
}

const S3_ERRORS = [
  'AccessDenied: Access Denied',
  'InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.',
  'SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  "AuthorizationHeaderMalformed: The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-central-1'",
]

const keyId = (ctx: CorpusContext): string => Array.from({ length: 12 }, () => ctx.random.hex(4).toUpperCase()).join(':')

export const registryIncidents: readonly IncidentTemplate[] = [
  {
    rule: 'untrusted-token-key',
    variants: [
      (ctx) => text(ctx, 'error', 'error verifying that signing key is trusted', { error: `token signed by untrusted key with ID: "${keyId(ctx)}"` }),
      (ctx) => json(ctx, 'error', 'error verifying that signing key is trusted', { error: `token signed by untrusted key with ID: "${keyId(ctx)}"` }),
    ],
  },
  {
    rule: 's3-unexpected-eof',
    variants: [false, true].map((asJson) => (ctx: CorpusContext) => {
      const repository = ctx.random.pick(ctx.pools.repositories)
      return unknownError(ctx, 'unexpected EOF', 'PATCH', uploadUri(ctx, repository), repository, asJson)
    }),
  },
  {
    rule: 'schema1-manifest-rejected',
    variants: [
      (ctx) => {
        const repository = ctx.random.pick(ctx.pools.repositories)
        const uri = `/v2/${repository}/manifests/${ctx.random.pick(ctx.pools.tags)}`
        return text(ctx, 'error', 'manifest invalid', {
          ...requestFields(ctx, 'PUT', uri, repository), user_agent: 'containers/5.29.2 (github.com/containers/image)',
          code: 'MANIFEST_INVALID', detail: 'manifest type unsupported', error: 'manifest invalid: manifest type unsupported',
        })
      },
    ],
  },
  {
    rule: 's3-access-denied',
    variants: [false, true].map((asJson) => (ctx: CorpusContext, n: number) => {
      const repository = ctx.random.pick(ctx.pools.repositories)
      const detail = `s3aws: ${S3_ERRORS[n % S3_ERRORS.length]}\n\tstatus code: 403, request id: ${ctx.random.hex(16).toUpperCase()}, host id: ${ctx.random.hex(40)}`
      return unknownError(ctx, detail, 'GET', `/v2/${repository}/manifests/${ctx.random.pick(ctx.pools.tags)}`, repository, asJson)
    }),
  },
  {
    rule: 'gcs-http2-push-failure',
    variants: [
      (ctx) => {
        const repository = ctx.random.pick(ctx.pools.repositories)
        const detail = `gcs: Post "https://storage.googleapis.com/upload/storage/v1/b/gitlab-registry/o?alt=json&name=docker%2Fregistry%2Fv2%2Frepositories%2F${encodeURIComponent(repository)}%2F_uploads&prettyPrint=false&projection=full&uploadType=resumable": http2: client connection lost`
        return unknownError(ctx, detail, 'PATCH', uploadUri(ctx, repository), repository, false)
      },
      (ctx) => {
        const repository = ctx.random.pick(ctx.pools.repositories)
        return unknownError(ctx, 'gcs: stream error: stream ID 3; INTERNAL_ERROR; received from peer', 'PUT', uploadUri(ctx, repository), repository, true)
      },
    ],
  },
  {
    rule: 'manifest-list-blob-unknown',
    variants: [
      (ctx) => {
        const repository = ctx.random.pick(ctx.pools.repositories)
        const uri = `/v2/${repository}/manifests/${ctx.random.pick(ctx.pools.tags)}`
        return text(ctx, 'error', 'blob unknown to registry', {
          ...requestFields(ctx, 'PUT', uri, repository), code: 'MANIFEST_BLOB_UNKNOWN', detail: ctx.random.pick(ctx.pools.digests),
          error: 'manifest blob unknown: blob unknown to registry',
        })
      },
    ],
  },
  {
    rule: 'clock-skew',
    variants: [
      (ctx) => text(ctx, 'warning', 'token used before time', { valid_after: railsTime(ctx.clock + 95_000).replace('+0000', '+0000 UTC') }),
      (ctx) => json(ctx, 'info', `token not to be used before ${railsTime(ctx.clock + 95_000)} UTC - currently ${railsTime(ctx.clock)} UTC m=+4821.3`, {}),
    ],
  },
  {
    rule: 'notifications-endpoint-failing',
    variants: [
      (ctx) => text(ctx, 'error', 'retryingsink: error writing events: httpSink{https://hooks.example.com/registry}: error posting: Post "https://hooks.example.com/registry": dial tcp 10.1.2.3:443: connect: connection refused, retrying', {}),
      (ctx) => json(ctx, 'warning', 'queue full, dropping event', { event_id: ctx.random.pick(ctx.pools.uploadIds), queue_size: '1000' }),
    ],
  },
  {
    rule: 'storage-permission-denied',
    variants: [
      (ctx) => {
        const repository = ctx.random.pick(ctx.pools.repositories)
        const detail = `filesystem: mkdir /var/opt/gitlab/gitlab-rails/shared/registry/docker/registry/v2/repositories/${repository}/_uploads/${ctx.random.pick(ctx.pools.uploadIds)}: permission denied`
        return unknownError(ctx, detail, 'POST', `/v2/${repository}/blobs/uploads/`, repository, false)
      },
    ],
  },
]
