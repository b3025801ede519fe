// Healthy traffic: docker logins, pushes and pulls (401 challenge, token, HEAD-then-upload, S3 redirects), the
// GitLab UI and cleanup jobs talking to the registry, Rails page views with the odd 404 backtrace, CI job
// output and a mitmdump capture. No rule may fire on any of it (rule-ids.md "must not fire on").
import { emitHttp, httpRequest, type CorpusContext, type Route } from './corpus-context.js'
import { criLines, goJson, isoTime, mitmdumpFlow, railsExceptionBlock, railsRequestBlock } from './log-lines.js'
import { nginxTime as nginxTimeOf, railsTime as railsTimeOf } from './time-formats.js'

const JWT = '/jwt/auth?account=%USER%&client_id=docker&offline_token=true&service=container_registry'
const STORAGE = 'https://gitlab-registry-bucket.s3.eu-central-1.amazonaws.com/docker/registry/v2/blobs/sha256'

/** Token request seen by NGINX (gitlab_access.log) and Rails (production.log + production_json.log). */
export function emitTokenRequest(ctx: CorpusContext, at: number, client: string, user: string, scope: string, agent: string): void {
  const { files, random } = ctx
  const uri = `${JWT.replace('%USER%', user)}${scope === '' ? '' : `&scope=${scope}`}`
  const remoteUser = user === 'gitlab-ci-token' ? user : random.chance(0.9) ? user : '-'
  files.nginxGitlab.write(
    `${client} - ${remoteUser} [${nginxTimeOf(at)}] "GET ${uri} HTTP/1.1" 200 ${random.int(700, 1400)} "" "${agent.replaceAll('\\', '\\x5C')}" 1.29`,
  )
  const duration = random.int(12, 90)
  for (const line of railsRequestBlock(at - duration, {
    method: 'GET', path: uri.replace('offline_token=true', 'offline_token=[FILTERED]'), client, controller: 'JwtController#auth',
    params: `{"account"=>"${user}", "client_id"=>"docker", "offline_token"=>"[FILTERED]", "service"=>"container_registry"}`,
    status: '200 OK', durationMs: duration,
  })) files.railsProduction.write(line)
  files.railsJson.write(
    `{"method":"GET","path":"/jwt/auth","format":"html","controller":"JwtController","action":"auth","status":200,"time":"${isoTime(at)}",` +
      `"params":[{"key":"account","value":"${user}"},{"key":"client_id","value":"docker"},{"key":"offline_token","value":"[FILTERED]"},` +
      `{"key":"service","value":"container_registry"}],"remote_ip":"${client}","user_id":${random.int(2, 900)},"username":"${user}",` +
      `"ua":${goJson(agent)},"correlation_id":"${random.pick(ctx.pools.correlationIds)}","meta.caller_id":"JwtController#auth",` +
      `"meta.remote_ip":"${client}","meta.feature_category":"container_registry","meta.client_id":"user/${random.int(2, 900)}",` +
      `"db_count":${random.int(3, 14)},"db_write_count":0,"cpu_s":0.03,"pid":${random.int(800, 2000)},"worker_id":"puma_${random.int(0, 7)}",` +
      `"duration_s":${(duration / 1000).toFixed(5)},"db_duration_s":0.00412,"view_duration_s":0.0004}`,
  )
}

/** The docker login dance every session starts with: ping 401, token, ping 200. Returns the time after it. */
function login(ctx: CorpusContext, at: number, client: string, user: string, agent: string, scope: string, route: Route): number {
  emitHttp(ctx, httpRequest(ctx, at, { client, method: 'GET', uri: '/v2/', status: 401, bytes: 87, userAgent: agent }), route)
  if (route !== 'helm') emitTokenRequest(ctx, at + 40, client, user, scope, agent)
  emitHttp(ctx, httpRequest(ctx, at + 90, { client, method: 'GET', uri: '/v2/', status: 200, bytes: 2, userAgent: agent }), route)
  return at + 100
}

/** A docker push: per layer HEAD 404 → POST 202 → PATCH 202 → PUT 201 (→ HEAD 307 on S3), then the manifest PUT. */
export function push(ctx: CorpusContext, route: Route): void {
  const { random, pools, files } = ctx
  const client = random.pick(pools.clients)
  const ci = random.chance(0.6)
  const user = ci ? 'gitlab-ci-token' : random.pick(pools.users)
  const agent = random.pick(pools.dockerAgents)
  const repository = random.pick(pools.repositories)
  const tag = random.pick(pools.tags)
  const scope = `repository%3A${repository.replaceAll('/', '%2F')}%3Apush%2Cpull`
  const s3 = random.chance(0.7)
  const capture = random.chance(0.03)
  let t = login(ctx, ctx.clock, client, user, agent, scope, route)
  const layers = Array.from({ length: random.int(2, 6) }, () => random.pick(pools.digests))
  const base = `/v2/${repository}`
  for (const digest of layers) {
    const blob = `${base}/blobs/${digest}`
    if (random.chance(0.4)) {
      emitHttp(ctx, httpRequest(ctx, (t += 30), { client, method: 'HEAD', uri: blob, status: 200, userAgent: agent }), route)
      continue
    }
    emitHttp(ctx, httpRequest(ctx, (t += 30), { client, method: 'HEAD', uri: blob, status: 404, bytes: 157, userAgent: agent }), route)
    const upload = random.pick(pools.uploadIds)
    const state = random.pick(pools.uploadStates)
    emitHttp(ctx, httpRequest(ctx, (t += 25), { client, method: 'POST', uri: `${base}/blobs/uploads/`, status: 202, userAgent: agent }), route)
    const patchMs = random.int(200, 9000)
    emitHttp(ctx, httpRequest(ctx, (t += patchMs), { client, method: 'PATCH', uri: `${base}/blobs/uploads/${upload}?_state=${state}`, status: 202, userAgent: agent, durationMs: patchMs }), route)
    const put = `${base}/blobs/uploads/${upload}?_state=${state}&digest=${digest.replace(':', '%3A')}`
    emitHttp(ctx, httpRequest(ctx, (t += 60), { client, method: 'PUT', uri: put, status: 201, userAgent: agent }), route)
    if (s3) {
      emitHttp(ctx, httpRequest(ctx, (t += 20), { client, method: 'HEAD', uri: blob, status: 307, userAgent: agent }), route)
      if (capture) {
        for (const line of mitmdumpFlow(`${client}:${random.int(40000, 60000)}`, 'HEAD', `https://registry.example.com${blob}`, 307, 'Temporary Redirect', '0b')) files.mitmdump.write(line)
        const hex = digest.slice(7)
        for (const line of mitmdumpFlow(`${client}:${random.int(40000, 60000)}`, 'HEAD', `${STORAGE}/${hex.slice(0, 2)}/${hex}/data?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=1200`, 200, 'OK', '0b')) files.mitmdump.write(line)
      }
    }
  }
  const manifest = `${base}/manifests/${tag}`
  emitHttp(ctx, httpRequest(ctx, (t += 40), { client, method: 'PUT', uri: manifest, status: 201, userAgent: agent, contentType: 'application/vnd.docker.distribution.manifest.v2+json' }), route)
  if (capture) for (const line of mitmdumpFlow(`${client}:${random.int(40000, 60000)}`, 'PUT', `https://registry.example.com${manifest}`, 201, 'Created', '0b')) files.mitmdump.write(line)
  if (ci) writeJobOutput(ctx, t, repository, tag, layers)
  else if (random.chance(0.2)) writeClientOutput(ctx, repository, tag, layers)
  ctx.clock = t
}

/** A pull: login, manifest HEAD/GET, blob GETs (307 to S3 or 200). */
export function pull(ctx: CorpusContext, route: Route): void {
  const { random, pools } = ctx
  const client = random.pick(pools.clients)
  const user = random.chance(0.5) ? 'gitlab-ci-token' : random.pick(pools.users)
  const agent = random.pick(pools.dockerAgents)
  const repository = random.pick(pools.repositories)
  const scope = `repository%3A${repository.replaceAll('/', '%2F')}%3Apull`
  let t = login(ctx, ctx.clock, client, user, agent, scope, route)
  const manifest = `/v2/${repository}/manifests/${random.pick(pools.tags)}`
  emitHttp(ctx, httpRequest(ctx, (t += 30), { client, method: 'HEAD', uri: manifest, status: 200, userAgent: agent }), route)
  emitHttp(ctx, httpRequest(ctx, (t += 30), { client, method: 'GET', uri: manifest, status: 200, bytes: random.int(500, 3000), userAgent: agent, contentType: 'application/vnd.docker.distribution.manifest.v2+json' }), route)
  const s3 = random.chance(0.7)
  for (let i = random.int(1, 6); i > 0; i--) {
    const uri = `/v2/${repository}/blobs/${random.pick(pools.digests)}`
    const bytes = s3 ? 0 : random.int(1000, 90_000_000)
    emitHttp(ctx, httpRequest(ctx, (t += random.int(20, 4000)), { client, method: 'GET', uri, status: s3 ? 307 : 200, bytes, userAgent: agent, contentType: 'application/octet-stream' }), route)
  }
  ctx.clock = t
}

const GITLAB_AGENT = 'GitLab/16.11.1-ee'

/** Rails talking to the registry API directly (tag lists for the UI, cleanup-policy deletes, catalog). */
export function gitlabApi(ctx: CorpusContext): void {
  const { random, pools, files } = ctx
  const repository = random.pick(pools.repositories)
  let t = ctx.clock
  const projectId = random.int(10, 9000)
  files.railsProduction.write(`Started GET "/api/v4/projects/${projectId}/registry/repositories/${random.int(1, 4000)}/tags?per_page=100" for ${random.pick(pools.clients)} at ${railsTimeOf(t)}`)
  const api = (method: string, uri: string, status: number, bytes = 0): void =>
    emitHttp(ctx, httpRequest(ctx, (t += random.int(5, 80)), { client: '127.0.0.1', method, uri, status, bytes, userAgent: GITLAB_AGENT }), 'registry-only')
  api('GET', `/v2/${repository}/tags/list`, 200, random.int(40, 4000))
  if (random.chance(0.3)) api('DELETE', `/v2/${repository}/tags/reference/${random.pick(pools.tags)}`, 202)
  if (random.chance(0.05)) api('GET', '/v2/_catalog?n=1000', 200, random.int(2000, 60000))
  ctx.clock = t
}

const PAGES = [
  ['GET', '/%P/-/pipelines', 'Projects::PipelinesController#index'],
  ['GET', '/%P/container_registry', 'Projects::Registry::RepositoriesController#index'],
  ['GET', '/%P/-/merge_requests/%N', 'Projects::MergeRequestsController#show'],
  ['POST', '/%P/-/jobs/%N/retry', 'Projects::JobsController#retry'],
  ['GET', '/%P/-/tree/main', 'Projects::TreeController#show'],
] as const

/** A Rails page view (production.log block + production_json.log line); sometimes a 404 with a backtrace. */
export function railsPage(ctx: CorpusContext): void {
  const { random, pools, files } = ctx
  const [method, template, controller] = random.pick(PAGES)
  const project = random.pick(pools.repositories).split('/').slice(0, 2).join('/')
  const path = template.replace('%P', project).replace('%N', `${random.int(1, 20000)}`)
  const client = random.pick(pools.clients)
  const duration = random.int(20, 900)
  const missing = random.chance(0.04)
  const status = missing ? '404 Not Found' : '200 OK'
  for (const line of railsRequestBlock(ctx.clock, {
    method, path, client, controller, durationMs: duration, status,
    params: `{"namespace_id"=>"${project.split('/')[0]}", "project_id"=>"${project.split('/')[1]}"}`,
  })) files.railsProduction.write(line)
  if (missing) {
    for (const line of railsExceptionBlock('ActiveRecord::RecordNotFound (Couldn\'t find Ci::Build with \'id\'=991823):', [
      'app/controllers/projects/jobs_controller.rb:262:in `find_job_as_build\'',
      'app/controllers/application_controller.rb:523:in `set_current_context\'',
      'lib/gitlab/middleware/rails_queue_duration.rb:33:in `call\'',
      'lib/gitlab/metrics/rack_middleware.rb:16:in `block in call\'',
    ])) files.railsProduction.write(line)
  }
  const [controllerClass, action] = controller.split('#') as [string, string]
  files.railsJson.write(
    `{"method":"${method}","path":"${path}","format":"html","controller":"${controllerClass}","action":"${action}","status":${missing ? 404 : 200},` +
      `"time":"${isoTime(ctx.clock + duration)}","params":[],"remote_ip":"${client}","user_id":${random.int(2, 900)},"username":"${random.pick(pools.users)}",` +
      `"ua":"Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0","correlation_id":"${random.pick(pools.correlationIds)}",` +
      `"meta.caller_id":"${controller}","meta.feature_category":"continuous_integration","db_count":${random.int(10, 90)},` +
      `"duration_s":${(duration / 1000).toFixed(5)},"db_duration_s":0.0231,"view_duration_s":0.0412,"pid":${random.int(800, 2000)}}`,
  )
  ctx.clock += duration
}

/** CI job output of a push, CRI-wrapped; long command lines become `P` partials. */
function writeJobOutput(ctx: CorpusContext, at: number, repository: string, tag: string, layers: readonly string[]): void {
  const { files, random } = ctx
  const image = `registry.example.com/${repository}:${tag}`
  const args = random.chance(0.08) ? Array.from({ length: 60 }, (_, i) => `--build-arg BUILD_ARG_${i}=${random.pick(ctx.pools.digests)}`).join(' ') : '--pull'
  const lines = [
    'Running with gitlab-runner 16.11.1 (535ced5f)',
    '  on runner-build-0 t3_xYz9, system ID: r_8c3f1d2e9a7b',
    'Preparing the "kubernetes" executor',
    'Authenticating with credentials from job payload (GitLab Registry)',
    `$ docker build ${args} -t ${image} .`,
    `Successfully tagged ${image}`,
    `$ docker push ${image}`,
    `The push refers to repository [registry.example.com/${repository}]`,
    ...layers.map((d) => `${d.slice(7, 19)}: Preparing`),
    ...layers.map((d) => `${d.slice(7, 19)}: Pushed`),
    `${tag}: digest: ${random.pick(ctx.pools.digests)} size: ${random.int(500, 3000)}`,
    'Job succeeded',
  ]
  let t = at
  for (const text of lines) for (const line of criLines((t += 7), text)) files.runnerPod.write(line)
}

/** Plain docker CLI output of an interactive push (no timestamps). */
function writeClientOutput(ctx: CorpusContext, repository: string, tag: string, layers: readonly string[]): void {
  const { files, random } = ctx
  files.dockerClient.write(`$ docker push registry.example.com/${repository}:${tag}`)
  files.dockerClient.write(`The push refers to repository [registry.example.com/${repository}]`)
  for (const d of layers) files.dockerClient.write(`${d.slice(7, 19)}: ${random.chance(0.3) ? 'Layer already exists' : 'Pushed'}`)
  files.dockerClient.write(`${tag}: digest: ${random.pick(ctx.pools.digests)} size: ${random.int(500, 3000)}`)
}
