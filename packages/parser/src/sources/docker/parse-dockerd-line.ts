// dockerd's logrus text lines (after the pipeline peeled journald/syslog), e.g.
// `time="2024-05-02T10:31:04.118209331Z" level=error msg="Upload failed, retrying: EOF"`.
// The registry writes the same layout, so a line is dockerd's only when its message or fields say so.
// Format: shared/spec/formats-nginx-rails-docker.md §3.2 (moby distribution/xfer/upload.go, api/server).
import type { LogRecord, ParsedFields } from '../../define-source.js'
import { parseIsoTime } from '../../fields/parse-time.js'
import { matchSyslogPrefix } from '../../syslog-prefix.js'
import type { DockerEvent, LogLevel } from '../../log-event.js'
import { isRefusedKey } from '../../fields/refused-keys.js'
import { keyEnd, tokenizeLogrusFields } from '../registry/tokenize-logrus-fields.js'

type Parsed = ParsedFields<DockerEvent>

/** Messages only dockerd writes (push/pull machinery, API handler, certificate lookup). */
const DOCKERD_MESSAGES = [
  'Upload failed', 'Calling ', 'Attempting next endpoint', 'hostDir: ', 'Trying to push ', 'Trying to pull ',
  'Download failed', 'Not continuing with ', 'Handler for ', 'Error getting v2 registry', 'Increasing token expiration',
  'Pulling ref from V2 registry', 'Pushing repository', 'Error trying v2 registry', 'Layer already exists',
  'pull access denied', 'Error pushing ', 'Error pulling ',
  // registry/auth.go: `Error logging in to v2 endpoint, trying next endpoint: <err>` (≤ 19.03), then
  // `Error logging in to endpoint, trying next endpoint` with the cause in `error=`.
  'Error logging in to ',
]

/**
 * syslog / journald program names of the daemon that pulls and pushes (`dockerd-current`: RHEL/CentOS docker
 * 1.13; containerd: what a Kubernetes node pulls with, `PullImage "<ref>" failed` with the cause in `error=`).
 */
export const DOCKERD_PROGRAMS: ReadonlySet<string> = new Set(['dockerd', 'docker', 'dockerd-current', 'containerd'])

/** Fields that make a logrus line the registry's (GitLab container registry / distribution), not dockerd's. */
const REGISTRY_FIELD_PREFIXES = ['http.request.', 'http.response.', 'go.version', 'vars.', 'auth.user.', 'err.', 'instance.id']

// The CloudWatch prefix, when a line reaches this parser with it on (journald / syslog ones: syslog-prefix.ts).
const ISO_PREFIX = /^(?<stamp>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) \S+ /

// `Upload failed, retrying: EOF` / `Upload failed: EOF` (moby distribution/xfer/upload.go).
const UPLOAD_FAILED = /^Upload failed(?:, retrying)?: (?<error>.*)$/
// `Calling POST /v1.43/images/<ref>/push?tag=<tag>`: the reference is path-escaped by the CLI.
const PUSH_CALL = /^Calling POST \/v[\d.]+\/images\/(?<ref>.+)\/push(?:\?tag=(?<tag>[^&\s]*))?/

const LEVELS = new Map<string, LogLevel>([
  ['trace', 'trace'], ['debug', 'debug'], ['info', 'info'], ['warning', 'warning'], ['warn', 'warning'],
  ['error', 'error'], ['fatal', 'fatal'], ['panic', 'panic'],
])

/** Whether logrus fields belong to the registry rather than dockerd. */
export function hasRegistryFields(fields: Record<string, string>): boolean {
  if (fields.service === 'registry' || fields.msg === 'access') return true
  return Object.keys(fields).some((key) => REGISTRY_FIELD_PREFIXES.some((prefix) => key.startsWith(prefix)))
}

/** Whether a logrus message is one dockerd writes. */
export function isDockerdMessage(message: string): boolean {
  return DOCKERD_MESSAGES.some((prefix) => message.startsWith(prefix))
}

/** Splits an unpeeled journald/syslog/CloudWatch prefix off; its time is used when logrus has none. */
function peelPrefix(text: string): { body: string; time: number | undefined; fromDockerd: boolean } {
  const syslog = matchSyslogPrefix(text)
  if (syslog !== undefined && DOCKERD_PROGRAMS.has(syslog.match.groups?.program ?? '')) {
    return { body: text.slice(syslog.match[0].length), time: syslog.time, fromDockerd: true }
  }
  const iso = ISO_PREFIX.exec(text)
  if (iso !== null && text.includes(' level=', iso[0].length - 1)) {
    return { body: text.slice(iso[0].length), time: parseIsoTime(iso.groups?.stamp ?? ''), fromDockerd: false }
  }
  return { body: text, time: undefined, fromDockerd: false }
}

/**
 * Parses a dockerd logrus line, or `undefined` when it is not dockerd's: no logrus `msg`, registry fields,
 * or a message dockerd does not write from a stream not known to be dockerd's (wrapper program or prefix).
 */
export function parseDockerdLine(record: LogRecord): Parsed | undefined {
  const { body, time: prefixTime, fromDockerd } = peelPrefix(record.text)
  if (!body.startsWith('time="') && !body.startsWith('level=')) return undefined
  const fields = dockerdLogrusFields(body)
  if (fields === undefined || fields.msg === undefined || fields.level === undefined) return undefined
  if (hasRegistryFields(fields)) return undefined
  const message = fields.msg
  const program = record.wrapper?.program
  const known = fromDockerd || (program !== undefined && DOCKERD_PROGRAMS.has(program)) || isDockerdMessage(message) || 'module' in fields
  if (!known) return undefined
  const event: Parsed = { source: 'docker', component: 'dockerd', message, format: 'dockerd-logrus', fields }
  const time = fields.time === undefined ? prefixTime : parseIsoTime(fields.time)
  if (time !== undefined) event.time = time
  const level = LEVELS.get(fields.level)
  if (level !== undefined) event.level = level
  const error = UPLOAD_FAILED.exec(message)?.groups?.error
  if (error !== undefined) event.error = error
  const push = PUSH_CALL.exec(message)?.groups
  if (push?.ref !== undefined) {
    const reference = decodeURIComponentSafe(push.ref)
    event.imageReference = push.tag === undefined || push.tag === '' ? reference : `${reference}:${push.tag}`
  }
  return event
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/**
 * The `key=value` pairs of a logrus text line under their raw names, on an object without a prototype
 * (refused names dropped); `undefined` when the line does not start with a `key=` pair. The tokenizer is the
 * registry's: dockerd writes the very same logrus layout.
 */
export function dockerdLogrusFields(line: string): Record<string, string> | undefined {
  if (keyEnd(line, 0) === -1) return undefined
  const fields = Object.create(null) as Record<string, string>
  const { pairs } = tokenizeLogrusFields(line)
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const key = pairs[i] as string
    if (!isRefusedKey(key)) fields[key] = pairs[i + 1] as string
  }
  return fields
}
