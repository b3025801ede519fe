// Incidents seen from the clients and from GitLab Rails (formats-nginx-rails-docker.md §2–4): docker CLI
// output, CI job logs (CRI-wrapped runner pod), production.log exception blocks and the Rails JSON logs.
import type { CorpusContext } from './corpus-context.js'
import type { IncidentEvidence, IncidentTemplate } from './incident.js'
import { criLines, isoTime, railsExceptionBlock, railsRequestBlock } from './log-lines.js'

/** Job-log lines (CRI); returns the location of the line at `evidenceIndex`. */
function job(ctx: CorpusContext, lines: readonly string[], evidenceIndex: number): IncidentEvidence {
  let evidence = 0
  lines.forEach((text, i) => {
    const written = criLines(ctx.clock + i * 5, text).map((line) => ctx.files.runnerPod.write(line))
    if (i === evidenceIndex) evidence = written[0] ?? 0
  })
  return { role: 'runnerPod', line: evidence }
}

/** docker CLI output lines (no timestamps). */
function client(ctx: CorpusContext, lines: readonly string[], evidenceIndex: number): IncidentEvidence {
  const numbers = lines.map((line) => ctx.files.dockerClient.write(line))
  return { role: 'dockerClient', line: numbers[evidenceIndex] ?? 0 }
}

/** A production.log 500 request block followed by its exception; evidence is the exception header. */
function railsFailure(ctx: CorpusContext, request: { method: string; path: string; controller: string }, header: string, frames: readonly string[]): IncidentEvidence {
  const block = railsRequestBlock(ctx.clock, { ...request, client: ctx.random.pick(ctx.pools.clients), params: '{}', status: '500 Internal Server Error', durationMs: 38 })
  for (const line of block) ctx.files.railsProduction.write(line)
  const numbers = railsExceptionBlock(header, frames).map((line) => ctx.files.railsProduction.write(line))
  return { role: 'railsProduction', line: numbers[1] ?? 0 }
}

function jsonLine(ctx: CorpusContext, role: 'railsExceptions' | 'railsApplication' | 'railsJson', fields: Record<string, unknown>): IncidentEvidence {
  const line = ctx.files[role].write(JSON.stringify({ severity: 'ERROR', time: isoTime(ctx.clock), correlation_id: ctx.random.pick(ctx.pools.correlationIds), ...fields }))
  return { role, line }
}

const image = (ctx: CorpusContext): string => `registry.example.com/${ctx.random.pick(ctx.pools.repositories)}`
const KEY_FRAMES = ["lib/json_web_token/rsa_token.rb:21:in `read'", "lib/json_web_token/rsa_token.rb:21:in `key_data'", "lib/json_web_token/rsa_token.rb:25:in `key'", "app/services/auth/container_registry_authentication_service.rb:35:in `full_access_token'"]
const KEY_MESSAGE = 'No such file or directory @ rb_sysopen - /var/opt/gitlab/gitlab-rails/etc/gitlab-registry.key'

export const clientIncidents: readonly IncidentTemplate[] = [
  {
    rule: 'x509-unknown-authority',
    variants: [
      (ctx) => job(ctx, ['$ docker login -u gitlab-ci-token -p [MASKED] registry.example.com:5050', 'Error response from daemon: Get "https://registry.example.com:5050/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority'], 1),
      (ctx) => client(ctx, ['$ docker login registry.example.com', 'Error response from daemon: Get https://registry.example.com/v2/: x509: certificate signed by unknown authority'], 1),
    ],
  },
  {
    rule: 'schema1-manifest-rejected',
    variants: [(ctx) => client(ctx, [`$ docker pull ${image(ctx)}:legacy`, 'Error response from daemon: manifest invalid: Schema 1 manifest not supported'], 1)],
  },
  {
    rule: 's3-head-403',
    variants: [(ctx) => client(ctx, [`${ctx.random.hex(12)}: Retrying in 5 seconds`, 'error parsing HTTP 403 response body: unexpected end of JSON input: ""'], 1)],
  },
  {
    rule: 'manifest-list-blob-unknown',
    variants: [(ctx) => client(ctx, [`$ docker manifest push ${image(ctx)}:multi`, `failed to put manifest ${image(ctx)}:multi: errors:`, 'manifest blob unknown: blob unknown to registry'], 2)],
  },
  {
    rule: 'login-access-forbidden',
    variants: [
      (ctx) => client(ctx, ['$ docker login registry.example.com:4567', 'Error response from daemon: Get https://registry.example.com:4567/v2/: denied: access forbidden'], 1),
      (ctx) => jsonLine(ctx, 'railsJson', { method: 'GET', path: '/jwt/auth', format: 'html', controller: 'JwtController', action: 'auth', status: 403, params: [{ key: 'client_id', value: 'docker' }, { key: 'offline_token', value: '[FILTERED]' }, { key: 'service', value: 'container_registry' }], remote_ip: ctx.random.pick(ctx.pools.clients), ua: 'docker/24.0.7 go/go1.20.10 git-commit/311b9ff kernel/5.15.0-105-generic os/linux arch/amd64', 'meta.caller_id': 'JwtController#auth', 'meta.client_id': 'ip/198.51.100.24', duration_s: 0.01221, severity: undefined }),
    ],
  },
  {
    rule: 'job-token-scope-pull-denied',
    variants: [
      (ctx) => {
        const ref = `${image(ctx)}:latest`
        return job(ctx, ['Authenticating with credentials from job payload (GitLab Registry)', `ERROR: Job failed: failed to pull image "${ref}" with specified policies [always]: Error response from daemon: pull access denied for ${ref.split(':')[0]}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied (manager.go:250:0s)`], 1)
      },
      (ctx) => {
        const ref = `${image(ctx)}:latest`
        return job(ctx, [`WARNING: Failed to pull image with policy "": image pull failed: rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`], 0)
      },
    ],
  },
  {
    rule: 'registry-key-missing',
    variants: [
      (ctx) => jsonLine(ctx, 'railsExceptions', { 'exception.class': 'Errno::ENOENT', 'exception.message': KEY_MESSAGE, 'exception.backtrace': KEY_FRAMES, 'extra.project_id': ctx.random.int(10, 9000) }),
      (ctx) => railsFailure(ctx, { method: 'GET', path: '/jwt/auth?service=container_registry', controller: 'JwtController#auth' }, `Errno::ENOENT (${KEY_MESSAGE}):`, KEY_FRAMES),
    ],
  },
  {
    rule: 'registry-unreachable-from-rails',
    variants: [
      (ctx) => jsonLine(ctx, 'railsExceptions', { 'exception.class': 'Faraday::ConnectionFailed', 'exception.message': 'Failed to open TCP connection to 127.0.0.1:5000 (Connection refused - connect(2) for "127.0.0.1" port 5000)', 'exception.backtrace': ['lib/container_registry/base_client.rb:112:in `faraday\'', 'lib/container_registry/client.rb:60:in `repository_tags\''], 'extra.class': 'ContainerRegistry::BaseClient', 'extra.url': 'http://127.0.0.1:5000/v2/_catalog' }),
      (ctx) => railsFailure(ctx, { method: 'GET', path: '/admin/container_registry', controller: 'Admin::ContainerRegistryController#show' }, 'Faraday::ConnectionFailed (Failed to open TCP connection to gitlab-registry:5000 (getaddrinfo: Name or service not known)):', ["lib/container_registry/base_client.rb:112:in `faraday'", "lib/container_registry/client.rb:41:in `registry_info'"]),
    ],
  },
  {
    rule: 'project-transfer-blocked-by-tags',
    variants: [
      (ctx) => jsonLine(ctx, 'railsApplication', { severity: 'INFO', message: 'Project was not transferred to a new namespace', project_id: ctx.random.int(10, 9000), project_path: ctx.random.pick(ctx.pools.repositories), error_message: 'Project cannot be transferred, because image tags are present in its container registry' }),
      (ctx) => jsonLine(ctx, 'railsApplication', { severity: 'INFO', message: 'Group was not transferred to a new namespace', group_path: 'platform', group_id: ctx.random.int(10, 900), error_message: 'Cannot update the path because there are projects under this group that contain Docker images in their Container Registry. Please remove the images from your projects first and try again.' }),
    ],
  },
  {
    rule: 'invalid-repository-name',
    variants: [(ctx) => railsFailure(ctx, { method: 'GET', path: '/platform/_api/container_registry', controller: 'Projects::Registry::RepositoriesController#index' }, 'ContainerRegistry::Path::InvalidRegistryPathError (ContainerRegistry::Path::InvalidRegistryPathError):', ["lib/container_registry/path.rb:35:in `nodes'", "lib/container_registry/path.rb:44:in `components'"])],
  },
  {
    rule: 'empty-tag-name',
    variants: [(ctx) => railsFailure(ctx, { method: 'DELETE', path: '/platform/api/registry/repository/17/tags/', controller: 'Projects::Registry::TagsController#destroy' }, 'ActionController::UrlGenerationError (No route matches {:action=>"destroy", :controller=>"projects/registry/tags", :id=>"", :namespace_id=>"platform", :project_id=>"api", :repository_id=>17}, missing required keys: [:id]):', ["app/views/projects/registry/tags/index.json.haml:3:in `block in _app_views'", "app/controllers/projects/registry/tags_controller.rb:14:in `index'"])],
  },
]
