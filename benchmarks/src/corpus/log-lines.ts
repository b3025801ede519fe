// Line builders, one per log layout the corpus writes. Shapes follow /work/shared/spec: logrus text and
// LabKit JSON (formats-registry.md §1–3), NGINX gitlab_access and error (formats-nginx-rails-docker.md §1),
// Rails production.log / Lograge JSON (§2), CRI wrapper, mitmdump listing (formats-proxy.md).
import { criTime, isoTime, nginxErrorTime, nginxTime, railsTime, svlogdTime } from './time-formats.js'

const BARE = /^[A-Za-z0-9\-._/@^+]*$/

/** A logrus text value: bare when every character is in the safe set, else Go `%q` (JSON's escaping for ASCII). */
export function logrusValue(value: string): string {
  return BARE.test(value) ? value : JSON.stringify(value)
}

/** A Go `encoding/json` string: like JSON.stringify, but `&` is written `\u0026`. */
export function goJson(value: string): string {
  const json = JSON.stringify(value)
  return json.includes('&') ? json.replaceAll('&', '\\u0026') : json
}

/** logrus text line (`time level msg` then the fields, which the caller passes already sorted). */
export function logrusText(ms: number, level: string, msg: string, fields: readonly (readonly [string, string])[]): string {
  let line = `time="${isoTime(ms)}" level=${level} msg=${logrusValue(msg)}`
  for (const [key, value] of fields) line += ` ${key}=${logrusValue(value)}`
  return line
}

/** logrus JSON line; keys are sorted as Go's map encoding sorts them. */
export function logrusJson(ms: number, level: string, msg: string, fields: Readonly<Record<string, string | number>>): string {
  const all: Record<string, string | number> = { ...fields, level, msg, time: isoTime(ms) }
  const parts: string[] = []
  for (const key of Object.keys(all).sort()) {
    const value = all[key] as string | number
    parts.push(`"${key}":${typeof value === 'number' ? value : goJson(value)}`)
  }
  return `{${parts.join(',')}}`
}

/** Omnibus svlogd `-tt` prefix. */
export function svlogd(ms: number, line: string): string {
  return `${svlogdTime(ms)} ${line}`
}

/** One HTTP request as every log that saw it describes it. */
export interface HttpRequest {
  /** Completion time, epoch ms. */
  ms: number
  client: string
  method: string
  uri: string
  protocol: string
  status: number
  bytes: number
  userAgent: string
  durationMs: number
  correlationId: string
  /** `$remote_user` (Basic auth), else `-`. */
  remoteUser?: string
  contentType?: string
}

/** LabKit JSON access line (registry v3+ default). */
export function registryAccessJson(r: HttpRequest): string {
  return (
    `{"content_type":"${r.contentType ?? 'application/json'}","correlation_id":"${r.correlationId}","duration_ms":${r.durationMs},` +
    `"host":"registry.example.com","level":"info","method":"${r.method}","msg":"access","proto":"HTTP/1.1","referrer":"",` +
    `"remote_addr":"127.0.0.1:${40000 + (r.ms % 20000)}","remote_ip":"${r.client}","status":${r.status},"system":"http",` +
    `"time":"${isoTime(r.ms - r.durationMs)}","ttfb_ms":${Math.min(r.durationMs, 3)},"uri":${goJson(r.uri)},` +
    `"user_agent":${goJson(r.userAgent)},"written_bytes":${r.bytes}}`
  )
}

/** NGINX `gitlab_access` format, escape=default (`\` in the user agent becomes `\x5C`). */
export function nginxAccess(r: HttpRequest): string {
  const agent = r.userAgent.includes('\\') ? r.userAgent.replaceAll('\\', '\\x5C') : r.userAgent
  const gzip = r.status >= 400 && r.method !== 'HEAD' && r.bytes > 20 ? '0.84' : '-'
  return `${r.client} - ${r.remoteUser ?? '-'} [${nginxTime(r.ms)}] "${r.method} ${r.uri} ${r.protocol}" ${r.status} ${r.bytes} "" "${agent}" ${gzip}`
}

/** NGINX error log line for a request that failed upstream. */
export function nginxError(ms: number, connection: number, message: string, r: { client: string; request: string; upstream: string }): string {
  return (
    `${nginxErrorTime(ms)} [error] 1201#0: *${connection} ${message}, client: ${r.client}, server: registry.example.com, ` +
    `request: "${r.request}", upstream: "${r.upstream}", host: "registry.example.com"`
  )
}

/** CRI wrapper; a line longer than `partialAt` is split into `P` chunks ending with an `F` chunk. */
export function criLines(ms: number, text: string, partialAt = 1024): string[] {
  const time = criTime(ms)
  if (text.length <= partialAt) return [`${time} stdout F ${text}`]
  const lines: string[] = []
  for (let at = 0; at < text.length; at += partialAt) {
    const last = at + partialAt >= text.length
    lines.push(`${time} stdout ${last ? 'F' : 'P'} ${text.slice(at, at + partialAt)}`)
  }
  return lines
}

/** mitmdump's default two-line flow listing. */
export function mitmdumpFlow(client: string, method: string, url: string, status: number, reason: string, size: string): string[] {
  return [`${client}: ${method} ${url}`, `     << ${status} ${reason} ${size}`]
}

/** Rails production.log request block (Rails ≥ 5 layout). */
export function railsRequestBlock(
  ms: number,
  r: { method: string; path: string; client: string; controller: string; params: string; status: string; durationMs: number },
): string[] {
  return [
    `Started ${r.method} "${r.path}" for ${r.client} at ${railsTime(ms)}`,
    `Processing by ${r.controller} as HTML`,
    `  Parameters: ${r.params}`,
    `Completed ${r.status} in ${r.durationMs}ms (Views: 0.4ms | ActiveRecord: ${(r.durationMs / 7).toFixed(1)}ms | Elasticsearch: 0.0ms | Allocations: ${r.durationMs * 97})`,
  ]
}

/** Rails ≥ 5 exception block printed after `Completed 500`: a two-space line, the header, another, app frames. */
export function railsExceptionBlock(header: string, frames: readonly string[]): string[] {
  return ['  ', header, '  ', ...frames]
}

export { isoTime, railsTime }
