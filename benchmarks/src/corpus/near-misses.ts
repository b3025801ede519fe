// Lines that look like incidents but are not (rule-ids.md "must not fire on"): a corpus on which no rule
// fires is only evidence if it contains the near-misses that a careless rule would trip over.
import { emitHttp, httpRequest, type CorpusContext } from './corpus-context.js'
import { criLines, logrusText, nginxError, railsExceptionBlock, railsRequestBlock, svlogd } from './log-lines.js'
import { nginxTime } from './time-formats.js'

type NearMiss = (ctx: CorpusContext) => void

const VERSION = [['go_version', 'go1.21.5'], ['version', 'v3.88.0-gitlab']] as const

export const nearMisses: readonly NearMiss[] = [
  // ipv6-loopback-upstream: a refusal from the IPv4 loopback is a registry restart, not the IPv6 problem.
  (ctx) => {
    const uri = `/v2/${ctx.random.pick(ctx.pools.repositories)}/manifests/latest`
    ctx.files.nginxError.write(nginxError(ctx.clock, (ctx.connection += 13), 'connect() failed (111: Connection refused) while connecting to upstream', {
      client: ctx.random.pick(ctx.pools.clients), request: `GET ${uri} HTTP/1.1`, upstream: `http://127.0.0.1:5000${uri}`,
    }))
  },
  // s3-unexpected-eof: a client that hung up mid-upload (GitLab ≥ 2021-07 wording, access status 499).
  (ctx) => {
    const repository = ctx.random.pick(ctx.pools.repositories)
    const uri = `/v2/${repository}/blobs/uploads/${ctx.random.pick(ctx.pools.uploadIds)}?_state=${ctx.random.pick(ctx.pools.uploadStates)}`
    ctx.files.registry.write(svlogd(ctx.clock, logrusText(ctx.clock, 'warning', 'client disconnected during blob PATCH', [
      ['action', 'blob PATCH'], ['content_length', '104857600'], ['copied', '52428800'], ['error', 'unexpected EOF'], VERSION[0], ['method', 'PATCH'], ['uri', uri], ['vars_name', repository], VERSION[1],
    ])))
    ctx.files.registry.write(svlogd(ctx.clock + 1, logrusText(ctx.clock + 1, 'error', 'connection reset by peer', [
      ['code', 'CONNECTIONRESET'], ['detail', 'client disconnected'], ['error', 'connection reset by peer'], VERSION[0], ['method', 'PATCH'], ['uri', uri], ['vars_name', repository], VERSION[1],
    ])))
    emitHttp(ctx, httpRequest(ctx, ctx.clock + 2, { client: ctx.random.pick(ctx.pools.clients), method: 'PATCH', uri, status: 499, userAgent: ctx.random.pick(ctx.pools.dockerAgents) }), 'registry-only')
  },
  // x509-unknown-authority: other x509 errors.
  (ctx) => {
    for (const line of criLines(ctx.clock, 'Error response from daemon: Get "https://registry.example.com:5050/v2/": x509: certificate has expired or is not yet valid: current time 2024-05-02T10:11:12Z is after 2024-04-30T23:59:59Z')) ctx.files.runnerPod.write(line)
  },
  // login-access-forbidden: a wrong password is a 401 with the user set.
  (ctx) => {
    const user = ctx.random.pick(ctx.pools.users)
    ctx.files.nginxGitlab.write(`${ctx.random.pick(ctx.pools.clients)} - ${user} [${nginxTime(ctx.clock)}] "GET /jwt/auth?account=${user}&client_id=docker&offline_token=true&service=container_registry HTTP/1.1" 401 85 "" "docker/24.0.7 go/go1.20.10 git-commit/311b9ff kernel/5.15.0-105-generic os/linux arch/amd64" 0.93`)
    ctx.files.dockerClient.write('Error response from daemon: Get "https://registry.example.com/v2/": unauthorized: HTTP Basic: Access denied')
  },
  // registry-key-missing: ENOENT for another file.
  (ctx) => {
    for (const line of railsRequestBlock(ctx.clock, { method: 'GET', path: '/platform/api/-/jobs/1/artifacts/download', client: ctx.random.pick(ctx.pools.clients), controller: 'Projects::ArtifactsController#download', params: '{}', status: '500 Internal Server Error', durationMs: 51 })) ctx.files.railsProduction.write(line)
    for (const line of railsExceptionBlock('Errno::ENOENT (No such file or directory @ rb_sysopen - /var/opt/gitlab/gitlab-rails/shared/artifacts/tmp/cache/71/a3/artifacts.zip):', ["app/uploaders/object_storage.rb:412:in `open'", "app/controllers/projects/artifacts_controller.rb:48:in `download'"])) ctx.files.railsProduction.write(line)
  },
  // invalid-repository-name: upper case is a different `invalid reference format`.
  (ctx) => {
    for (const line of criLines(ctx.clock, 'invalid argument "registry.example.com/Platform/API:latest" for "-t, --tag" flag: invalid reference format: repository name must be lowercase')) ctx.files.runnerPod.write(line)
  },
  // notifications-endpoint-failing: the sinks closing on shutdown is normal.
  (ctx) => {
    for (const msg of ['broadcaster: closing', 'event queue: closing', 'httpsink: closing']) ctx.files.registry.write(svlogd(ctx.clock, logrusText(ctx.clock, 'info', msg, [VERSION[0], VERSION[1]])))
  },
]
