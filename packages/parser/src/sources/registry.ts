/**
 * GitLab container registry (and upstream distribution) logs: logrus text, TTY and JSON app lines in every
 * quoting era, the registry's own gorilla and LabKit access lines, Go panics, Go standard `log` lines and the
 * output of `registry garbage-collect`.
 * Format: shared/spec/formats-registry.md; https://gitlab.com/gitlab-org/container-registry
 */
import type { LogRecord } from '../define-source.js'
import { defineSource } from '../define-source.js'
import type { RegistryEvent } from '../log-event.js'
import { isGorillaAccess, isLabkitCombinedAccess, looksLikeCombined, parseGorillaAccess, parseLabkitCombinedAccess } from './registry/access-line.js'
import { isGcOutput, parseGcOutput } from './registry/gc-output.js'
import { isGoLog, isGoLogPanic, parseGoLog } from './registry/go-log.js'
import { continuesGoPanic, isGoPanic, parseGoPanic } from './registry/go-panic.js'
import { parseLogrusJson } from './registry/logrus-json.js'
import { hasOpenValue, isLogrusText, isLogrusTty, parseLogrusText, parseLogrusTty } from './registry/logrus-text.js'
import { registryExamples } from './registry/registry-examples.js'

/** Names only the registry logs (dotted eras A/B/E, underscored C/D, LabKit access). */
const REGISTRY_TEXT_KEYS = [
  ' http.request.', ' http.response.', ' vars.', ' vars_', ' err.code=', ' go.version=', ' go_version=', ' instance.id=',
  ' service=registry', ' correlation_id=', ' auth.user.name=', ' auth_user_name=', ' root_repo=', ' msg=access ',
]
const REGISTRY_JSON_KEYS = [
  '"go_version":', '"go.version":', '"vars_name":', '"correlation_id":', '"msg":"access"', '"service":"registry"',
  '"root_repo":', '"instance.id":', '"http.request.uri":', '"err.code":',
]
/** An era-B entry rarely spans more than a few lines; the cap bounds re-tokenizing on a runaway open quote. */
const MAX_CONTINUATION_LINES = 50
const TAB = 9

function sniff(text: string): number {
  if (isLogrusText(text)) {
    if (!text.startsWith('level=') && !text.includes(' level=')) return 0.3
    // dockerd writes the same layout; only registry field names make it near-certain.
    return REGISTRY_TEXT_KEYS.some((key) => text.includes(key)) ? 0.95 : 0.8
  }
  if (text.startsWith('{')) {
    if (!text.includes('"msg":') || !text.includes('"level":')) return 0
    return REGISTRY_JSON_KEYS.some((key) => text.includes(key)) ? 0.95 : 0.6
  }
  if (isLogrusTty(text)) return REGISTRY_TEXT_KEYS.some((key) => text.includes(key)) ? 0.9 : 0.6
  if (looksLikeCombined(text)) {
    if (isLabkitCombinedAccess(text)) return 0.8
    if (!isGorillaAccess(text)) return 0
    // NGINX writes the same layout. Plain NGINX logs an empty referer as `"-"`, but Omnibus 10.0–12.10's
    // `"$filtered_http_referer"` writes `""` too, so a `""` line ties with nginx-access's 0.7 for a bare combined
    // line (file names decide; catalogue order breaks the tie); any other referer leans NGINX.
    return text.includes(' "" "') ? 0.7 : 0.3
  }
  if (isGoPanic(text)) return 0.3
  // Every Go program writes `log` lines (kaniko's registry client in a job log does): they are not claimed,
  // so the registry reads them only in its own files (where the file's source parses what nobody claims).
  return isGcOutput(text) ? 0.8 : 0
}

/**
 * `sniff(text) > 0` without the searches for registry field names, which only grade a claim: in a profile
 * of a registry file the prefilter skipped, those searches were a quarter of the time.
 */
function claims(text: string): boolean {
  if (isLogrusText(text)) return true
  if (text.startsWith('{')) return text.includes('"msg":') && text.includes('"level":')
  if (isLogrusTty(text)) return true
  if (looksLikeCombined(text)) return isLabkitCombinedAccess(text) || isGorillaAccess(text)
  return isGoPanic(text) || isGcOutput(text)
}

function continues(text: string, record: LogRecord): boolean {
  const head = record.text
  if (record.lineCount >= MAX_CONTINUATION_LINES) return false
  if (isGoPanic(head) || isGoLogPanic(head)) return continuesGoPanic(text)
  if (text.charCodeAt(0) === TAB) return isLogrusText(head) || isLogrusTty(head)
  // A raw newline inside an era-B value may be followed by any text; claim it only while a quote is open
  // and the line does not start an entry of its own.
  if (!isLogrusText(head) || isLogrusText(text) || text.startsWith('{') || isLogrusTty(text)) return false
  return hasOpenValue(head)
}

/** The GitLab container registry source: logrus text/TTY/JSON app lines, gorilla and LabKit access lines, Go panics and `log` lines. */
export const registry = defineSource<RegistryEvent>({
  id: 'registry',
  description:
    'GitLab container registry / distribution: logrus text, TTY and JSON lines (eras A–E), gorilla and LabKit access lines',
  fileNames: [
    // Omnibus /var/log/gitlab/registry/current and its svlogd rotations, Kubernetes …/registry/0.log.
    /(?:^|\/)registry\/(?:current|@[0-9a-f]{24}\.[su]|[^/]*\.log)$/,
    // registry.log, docker-registry.log, /var/log/containers/gitlab-registry-…_registry-….log; not NGINX's
    // gitlab_registry_access.log / gitlab_registry_error.log.
    /(?:^|\/)(?!gitlab_registry_(?:access|error))[^/]*registry[^/]*\.log$/,
  ],
  sniff,
  claims,
  continues,
  parse(record) {
    const text = record.text.trimEnd()
    if (text === '') return { unparsed: 'empty' }
    if (text.startsWith('{')) return parseLogrusJson(text)
    if (isLogrusText(text)) return parseLogrusText(text)
    if (isGoPanic(text)) return parseGoPanic(text)
    if (isGoLog(text)) return parseGoLog(text)
    if (isGcOutput(text)) return parseGcOutput(text)
    if (isLogrusTty(text)) return parseLogrusTty(text)
    if (looksLikeCombined(text)) {
      const labkit = parseLabkitCombinedAccess(text)
      return 'unparsed' in labkit && labkit.unparsed === 'no-match' ? parseGorillaAccess(text) : labkit
    }
    return { unparsed: 'no-match' }
  },
  examples: registryExamples,
})
