// What every traffic and incident generator shares: the open files, the seeded randomness and pools, the
// simulated clock, and `emitHttp`, which writes one request to every log that would have seen it.
import type { CorpusFiles } from './corpus-files.js'
import { logrusText, nginxAccess, registryAccessJson, svlogd, type HttpRequest } from './log-lines.js'
import type { Pools, Random } from './random-pools.js'

/** Which logs saw a request: the Omnibus stack (NGINX + registry `current`), the Helm registry, or one of them. */
export type Route = 'omnibus' | 'helm' | 'nginx-only' | 'registry-only'

export interface CorpusContext {
  files: CorpusFiles
  random: Random
  pools: Pools
  /** Simulated time (epoch ms); generators move it forward. */
  clock: number
  /** NGINX connection counter for error lines. */
  connection: number
}

const REGISTRY_VERSION = [['go_version', 'go1.21.5'], ['version', 'v3.88.0-gitlab']] as const

/** Writes `request` to the access logs of `route` (and the registry's `router info` line on Omnibus). */
export function emitHttp(ctx: CorpusContext, request: HttpRequest, route: Route): void {
  const { files } = ctx
  if (route === 'omnibus' || route === 'nginx-only') files.nginxRegistry.write(nginxAccess(request))
  if (route === 'omnibus' || route === 'registry-only') {
    const started = request.ms - request.durationMs
    files.registry.write(
      svlogd(
        started,
        logrusText(started, 'info', 'router info', [
          ['config_http_addr', '0.0.0.0:5000'],
          ['correlation_id', request.correlationId],
          ['environment', 'production'],
          REGISTRY_VERSION[0],
          ['method', request.method],
          ['path', request.uri.split('?', 1)[0] ?? request.uri],
          ['router', 'gorilla/mux'],
          ['service', 'registry'],
          REGISTRY_VERSION[1],
        ]),
      ),
    )
    files.registry.write(svlogd(request.ms, registryAccessJson(request)))
  }
  if (route === 'helm') files.registryJson.write(registryAccessJson(request))
}

/** A request with the defaults every registry call shares; `at` is the completion time. */
export function httpRequest(
  ctx: CorpusContext,
  at: number,
  fields: Pick<HttpRequest, 'client' | 'method' | 'uri' | 'status' | 'userAgent'> & Partial<HttpRequest>,
): HttpRequest {
  return {
    ms: at,
    protocol: 'HTTP/1.1',
    bytes: 0,
    durationMs: ctx.random.int(1, 40),
    correlationId: ctx.random.pick(ctx.pools.correlationIds),
    ...fields,
  }
}

/** Total bytes written (and buffered) over all files. */
export function corpusSize(files: CorpusFiles): number {
  let total = 0
  for (const file of Object.values(files)) total += file.size
  return total
}

/** Flushes every file that has buffered enough. */
export async function flushFull(files: CorpusFiles): Promise<void> {
  for (const file of Object.values(files)) if (file.full) await file.flush()
}

export { REGISTRY_VERSION }
