// Incidents visible in access logs and captures (formats-nginx-rails-docker.md §1 and §5, formats-proxy.md):
// request sequences in NGINX's gitlab_registry_access.log, one-line upstream errors, the mitmdump capture.
// Each is written to one log only, so the expected count is exact (a real registry would log the same request
// in its own access log too; the normal traffic does that).
import { emitHttp, httpRequest, type CorpusContext } from './corpus-context.js'
import type { IncidentEvidence, IncidentTemplate } from './incident.js'
import { mitmdumpFlow, nginxError, registryAccessJson } from './log-lines.js'
import { nginxTime } from './time-formats.js'

const KANIKO = 'kaniko/v1.23.2'
const STORAGE = 'https://gitlab-registry-bucket.s3.eu-central-1.amazonaws.com/docker/registry/v2/blobs/sha256'

/** One NGINX access line; returns its evidence location. */
function nginx(ctx: CorpusContext, at: number, fields: Parameters<typeof httpRequest>[2]): IncidentEvidence {
  emitHttp(ctx, httpRequest(ctx, at, fields), 'nginx-only')
  return { role: 'nginxRegistry', line: ctx.files.nginxRegistry.lines }
}

const agentOf = (ctx: CorpusContext): string => ctx.random.pick(ctx.pools.dockerAgents)
const clientOf = (ctx: CorpusContext): string => ctx.random.pick(ctx.pools.clients)
const repositoryOf = (ctx: CorpusContext): string => ctx.random.pick(ctx.pools.repositories)

/** An upload session POST → PATCH → PUT with the given PUT status; `patchAfterMs` is the PATCH's duration. */
function uploadSession(ctx: CorpusContext, at: number, s: { client: string; agent: string; repository: string; digest: string; putStatus: number; patchAfterMs: number; protocol?: string }): { first: IncidentEvidence; end: number } {
  const base = `/v2/${s.repository}/blobs/uploads/`
  const upload = ctx.random.pick(ctx.pools.uploadIds)
  const state = ctx.random.pick(ctx.pools.uploadStates)
  const protocol = s.protocol ?? 'HTTP/1.1'
  const first = nginx(ctx, at, { client: s.client, method: 'POST', uri: base, status: 202, userAgent: s.agent, protocol })
  const patchAt = at + s.patchAfterMs
  nginx(ctx, patchAt, { client: s.client, method: 'PATCH', uri: `${base}${upload}?_state=${state}`, status: 202, userAgent: s.agent, protocol, durationMs: s.patchAfterMs })
  const put = `${base}${upload}?_state=${state}&digest=${s.digest.replace(':', '%3A')}`
  nginx(ctx, patchAt + 900, { client: s.client, method: 'PUT', uri: put, status: s.putStatus, bytes: s.putStatus === 201 ? 0 : 190, userAgent: s.agent, protocol })
  return { first, end: patchAt + 900 }
}

const BAD_NAMES = ['_api', 'api-', 'web--app', '_build/cache']

export const httpIncidents: readonly IncidentTemplate[] = [
  {
    rule: 'invalid-repository-name',
    variants: [
      (ctx, n) => {
        const group = repositoryOf(ctx).split('/')[0] ?? 'platform'
        return nginx(ctx, ctx.clock, { client: clientOf(ctx), method: 'HEAD', uri: `/v2/${group}/${BAD_NAMES[n % BAD_NAMES.length]}/manifests/latest`, status: 404, bytes: 19, userAgent: agentOf(ctx) })
      },
    ],
  },
  {
    rule: 'push-retry-loop',
    variants: [
      (ctx) => {
        const s = { client: clientOf(ctx), agent: agentOf(ctx), repository: repositoryOf(ctx), digest: ctx.random.pick(ctx.pools.digests), putStatus: 404, patchAfterMs: 4000 }
        let at = ctx.clock
        const { first, end } = uploadSession(ctx, at, s)
        at = end + 5_000
        at = uploadSession(ctx, at, s).end + 10_000
        ctx.clock = uploadSession(ctx, at, s).end
        return first
      },
    ],
  },
  {
    rule: 'token-expired-during-push',
    variants: [
      (ctx) => {
        const s = { client: clientOf(ctx), agent: agentOf(ctx), repository: repositoryOf(ctx), digest: ctx.random.pick(ctx.pools.digests), putStatus: 401, patchAfterMs: 6.5 * 60_000 }
        const { first, end } = uploadSession(ctx, ctx.clock, s)
        ctx.clock = end
        return first
      },
    ],
  },
  {
    rule: 'kaniko-http2-slow-upload',
    variants: [
      (ctx) => {
        const s = { client: clientOf(ctx), agent: KANIKO, repository: repositoryOf(ctx), digest: ctx.random.pick(ctx.pools.digests), putStatus: 201, patchAfterMs: 12 * 60_000, protocol: 'HTTP/2.0' }
        const { first, end } = uploadSession(ctx, ctx.clock, s)
        ctx.clock = end
        return first
      },
      (ctx) => {
        const repository = repositoryOf(ctx)
        const uri = `/v2/${repository}/blobs/uploads/${ctx.random.pick(ctx.pools.uploadIds)}?_state=${ctx.random.pick(ctx.pools.uploadStates)}`
        emitHttp(ctx, httpRequest(ctx, ctx.clock, { client: clientOf(ctx), method: 'PATCH', uri, status: 202, userAgent: KANIKO, durationMs: 734_000 }), 'helm')
        return { role: 'registryJson', line: ctx.files.registryJson.lines }
      },
    ],
  },
  {
    rule: 'read-only-mode-push',
    variants: [
      (ctx) => nginx(ctx, ctx.clock, { client: clientOf(ctx), method: 'POST', uri: `/v2/${repositoryOf(ctx)}/blobs/uploads/`, status: 405, bytes: 19, userAgent: agentOf(ctx) }),
      (ctx) => nginx(ctx, ctx.clock, { client: clientOf(ctx), method: 'PUT', uri: `/v2/${repositoryOf(ctx)}/manifests/latest`, status: 405, bytes: 19, userAgent: agentOf(ctx) }),
    ],
  },
  {
    rule: 'anonymous-pull-no-auth',
    variants: [
      // A registry without auth challenges nobody, so its log holds no 401 at all (the rule counts any
      // challenge in the same log as proof that auth is on): a client pings and pulls from the second,
      // open registry, whose log has no other traffic.
      (ctx, n) => {
        const client = `198.51.${100 + ((n >> 8) % 100)}.${n % 256}`
        const agent = agentOf(ctx)
        const file = ctx.files.openRegistry
        file.write(registryAccessJson(httpRequest(ctx, ctx.clock, { client, method: 'GET', uri: '/v2/', status: 200, bytes: 2, userAgent: agent })))
        const first: IncidentEvidence = { role: 'openRegistry', line: file.lines }
        const manifest = `/v2/${repositoryOf(ctx)}/manifests/latest`
        file.write(registryAccessJson(httpRequest(ctx, ctx.clock + 40, { client, method: 'GET', uri: manifest, status: 200, bytes: 1570, userAgent: agent })))
        return first
      },
    ],
  },
  {
    rule: 'debug-endpoint-exposed',
    variants: ['/debug/vars', '/debug/pprof/goroutine?debug=1'].map((uri) => (ctx: CorpusContext, n: number) =>
      nginx(ctx, ctx.clock, { client: `203.0.113.${n % 250}`, method: 'GET', uri, status: 200, bytes: 5230, userAgent: 'curl/8.5.0' }),
    ),
  },
  {
    rule: 'empty-tag-name',
    variants: [
      (ctx) => nginx(ctx, ctx.clock, { client: clientOf(ctx), method: 'GET', uri: `/v2/${repositoryOf(ctx)}/manifests/`, status: 404, bytes: 19, userAgent: agentOf(ctx) }),
    ],
  },
  {
    rule: 'ipv6-loopback-upstream',
    variants: [
      (ctx) => {
        const uri = `/v2/${repositoryOf(ctx)}/manifests/latest`
        const line = ctx.files.nginxError.write(
          nginxError(ctx.clock, (ctx.connection += 17), 'connect() failed (111: Connection refused) while connecting to upstream', {
            client: clientOf(ctx), request: `GET ${uri} HTTP/1.1`, upstream: `http://[::1]:5000${uri}`,
          }),
        )
        return { role: 'nginxError', line }
      },
    ],
  },
  {
    rule: 'login-access-forbidden',
    variants: [
      (ctx) => {
        const line = ctx.files.nginxGitlab.write(
          `${clientOf(ctx)} - - [${nginxTime(ctx.clock)}] "GET /jwt/auth?account=${ctx.random.pick(ctx.pools.users)}&client_id=docker&offline_token=true&service=container_registry HTTP/1.1" 403 90 "" "${agentOf(ctx).replaceAll('\\', '\\x5C')}" 0.91`,
        )
        return { role: 'nginxGitlab', line }
      },
    ],
  },
  {
    rule: 's3-head-403',
    variants: [
      (ctx) => {
        const client = `${clientOf(ctx)}:${ctx.random.int(40000, 60000)}`
        const digest = ctx.random.pick(ctx.pools.digests)
        const hex = digest.slice(7)
        const [redirect, redirected] = mitmdumpFlow(client, 'HEAD', `https://registry.example.com/v2/${repositoryOf(ctx)}/blobs/${digest}`, 307, 'Temporary Redirect', '0b')
        const line = ctx.files.mitmdump.write(redirect as string)
        ctx.files.mitmdump.write(redirected as string)
        const storage = `${STORAGE}/${hex.slice(0, 2)}/${hex}/data?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20240502%2Feu-central-1%2Fs3%2Faws4_request&X-Amz-Expires=1200`
        for (const flow of mitmdumpFlow(client, 'HEAD', storage, 403, 'Forbidden', '0b')) ctx.files.mitmdump.write(flow)
        return { role: 'mitmdump', line }
      },
    ],
  },
]
