// What the docker CLI prints: daemon errors, registry errors in docker's `<code>: <message>` rendering,
// push/pull progress, build and login output, and the docker commands people paste with it.
// Format: shared/spec/formats-nginx-rails-docker.md §3.1 (moby distribution/xfer, distribution registry/client/errors.go).
import type { ParsedFields } from '../../define-source.js'
import { parseRegistryPath } from '../../fields/parse-registry-path.js'
import type { DockerEvent } from '../../log-event.js'
import { parseLayerProgress } from './parse-layer-progress.js'

type Parsed = ParsedFields<DockerEvent>

/**
 * Registry error codes as docker renders them (`errcode` lower-cased, `_` → space), from distribution's
 * registry/api/errcode and registry/api/v2 descriptors, plus Docker Hub's `toomanyrequests`.
 */
const REGISTRY_ERROR_CODES = new Set([
  'denied', 'unauthorized', 'unsupported', 'toomanyrequests', 'unknown', 'unavailable',
  'blob unknown', 'blob upload invalid', 'blob upload unknown', 'digest invalid', 'manifest blob unknown',
  'manifest invalid', 'manifest unknown', 'manifest unverified', 'name invalid', 'name unknown', 'size invalid',
  'tag invalid', 'pagination number invalid', 'range invalid', 'insufficient_scope',
])

// `<Verb> <url>: <error>`: Go < 1.14 prints the URL bare, ≥ 1.14 quoted.
const VERB = String.raw`(?<verb>Get|Head|Post|Put|Patch|Delete)`
const URL = String.raw`(?:"(?<quoted>[^"]*)"|(?<bare>[^\s"]+))`
const VERB_URL_ERROR = new RegExp(`^${VERB} ${URL}: (?<error>.*)$`)
/** `<code>: <message>`: the code is a few lower-case words; sticky, to test at any offset without copying. */
const CODE_AT = /(?<code>[a-z_]+(?: [a-z_]+){0,3}): /y
/** The same code in its API spelling (`MANIFEST_BLOB_UNKNOWN: …`), as go-containerregistry tools (crane, kaniko) print it. */
const API_CODE_AT = /(?<code>[A-Z]+(?:_[A-Z]+){0,3}): /y
/** cobra's prefix before the error chain of podman, buildah, skopeo, crane and oras. */
const TOOL_ERROR = 'Error: '
const ERROR_PARSING = /^error parsing HTTP (?<status>\d{3}) response body: /
const UNEXPECTED_STATUS = /^[Rr]eceived unexpected HTTP status: (?<status>\d{3})/
const LOGIN_FAILED = /^login attempt to (?<url>\S+) failed with status: (?<status>\d{3})/
const PULL_DENIED = /^pull access denied for (?<ref>[^\s,]+)/
const MANIFEST_NOT_FOUND = /^manifest for (?<ref>\S+) not found: (?<error>.*)$/
const PUT_MANIFEST = /^failed to put manifest (?<ref>\S+): errors:$/
const INVALID_TAG = /^invalid argument "(?<ref>[^"]*)" for "-t, --tag" flag: (?<error>.*)$/
// `docker tag` (and `FROM` before docker 17.05): `Error parsing reference: "<ref>" is not a valid repository/tag: <err>`.
const PARSING_REFERENCE = /^[Ee]rror parsing reference: "(?<ref>[^"]*)" is not a valid repository\/tag: (?<error>.*)$/
/** BuildKit / buildx: `invalid tag "<ref>": invalid reference format`, alone or after `ERROR: failed to build: `. */
export const BUILDX_INVALID_TAG = /invalid tag "(?<ref>[^"]*)": (?<error>invalid reference format.*)$/
/** What `docker run` / `docker create` print before an error (`docker: Error response from daemon: ….`). */
const RUN_PREFIX = 'docker: '
const FINAL_STOP = /\.$/
/** A pull whose image config (a blob, often redirected to object storage) failed: `error pulling image configuration: …`. */
const PULLING_CONFIGURATION = /^error pulling image configuration: (?:download failed after attempts=\d+: )?(?<error>.+)$/
const PUSH_REFERS = /^The push refers to (?:a )?repository \[(?<ref>[^\]]+)\]$/
const DIGEST_LINE = /^(?<tag>\S+): digest: (?<digest>sha256:[0-9a-f]{64}) size: (?<size>\d+)$/
const DEFAULT_TAG = /^Using default tag: (?<tag>\S+)$/
const SEE_HELP = /^See 'docker (?<command>[a-z -]+) --help'\.$/
const SUCCESSFULLY_TAGGED = /^Successfully tagged (?<ref>\S+)$/
// `docker pull`: `latest: Pulling from group/app`, then layers, `Digest: …` and one of these.
const PULLING_FROM = /^(?<tag>[\w][\w.-]{0,127}): Pulling from (?<repository>\S+)$/
const PULL_STATUS = /^Status: (?:Downloaded newer image|Image is up to date) for (?<ref>\S+)$/
// docker 1.13 as shipped by RHEL/CentOS: `Trying to pull repository registry.example.com/group/app ... `.
const TRYING_TO_PULL = /^Trying to pull repository (?<ref>\S+) \.\.\.\s*$/
/** Classic builder progress: `Step 1/3 : FROM alpine:3.19`. */
const BUILD_STEP = /^Step \d+\/\d+ : /
/** `docker push <ref>` as typed (docs show it bare or after a `#`/`>` prompt); `$ ` lines are the runner's. */
const COMMAND = /^(?:[#>] )?docker (?<command>push|pull|login|logout|build|tag|manifest(?: push| create)?|buildx build) ?(?<args>.*)$/

/** Plain lines docker prints around a push, login or build. */
const PLAIN_LINES = [
  'Login Succeeded', 'Removing login credentials for ', 'WARNING! Your password will be stored unencrypted in ',
  'Configure a credential helper to remove this warning.', 'Sending build context to Docker daemon ', 'Successfully built ',
  'Cannot connect to the Docker daemon at ', 'Error: Cannot perform an interactive login', 'Unable to find image ',
  'Digest: sha256:', "What's Next?", '  View a summary of image vulnerabilities',
]

function cliEvent(text: string, extra: Partial<Parsed> = {}): Parsed {
  return { source: 'docker', component: 'cli', message: text, format: 'docker-cli', fields: Object.create(null) as Record<string, string>, ...extra }
}

/** `host/name:tag` (or `@digest`) from a registry URL, when it names a manifest. */
function referenceOfUrl(url: string): string | undefined {
  const path = parseRegistryPath(url)
  if (path.route !== 'manifest' || path.repository === undefined) return undefined
  const host = /^(?:https?:\/\/)?(?<host>[^/]+)/.exec(url)?.groups?.host
  const name = host === undefined ? path.repository : `${host}/${path.repository}`
  const reference = path.reference ?? ''
  if (reference === '') return name
  return path.digest === undefined ? `${name}:${reference}` : `${name}@${reference}`
}

function firstLine(text: string): string {
  const end = text.indexOf('\n')
  return end === -1 ? text : text.slice(0, end)
}

/** Registry error text (`denied: access forbidden`) at offset `at` of `text`, and its code, when it is one. */
export function parseRegistryError(text: string, at = 0): { error: string; code: string } | undefined {
  CODE_AT.lastIndex = at
  API_CODE_AT.lastIndex = at
  const code = CODE_AT.exec(text)?.groups?.code ?? apiCodeAsDocker(API_CODE_AT.exec(text)?.groups?.code)
  if (code === undefined || !REGISTRY_ERROR_CODES.has(code)) return undefined
  return { error: at === 0 ? text : text.slice(at), code }
}

/** `MANIFEST_BLOB_UNKNOWN` → `manifest blob unknown`, the spelling docker prints (`INSUFFICIENT_SCOPE` stays joined). */
function apiCodeAsDocker(code: string | undefined): string | undefined {
  if (code === undefined) return undefined
  const lower = code.toLowerCase()
  return lower === 'insufficient_scope' ? lower : lower.replaceAll('_', ' ')
}

/** Errors are chains (`Get …: pull access denied …: denied: …`); a chain longer than this is not docker's. */
const MAX_CHAIN_LINKS = 32

/** The code of the first registry error in an error chain, looked for at the start of each `: ` link. */
export function findRegistryErrorCode(error: string): string | undefined {
  let at = 0
  for (let link = 0; link < MAX_CHAIN_LINKS && at !== -1; link++) {
    const found = parseRegistryError(error, at)
    if (found !== undefined) return found.code
    at = error.indexOf(': ', at)
    if (at !== -1) at += 2
  }
  return undefined
}

/** Reads the image a command line names: the first non-flag argument, or the `-t` value of a build. */
function referenceOfCommand(command: string, args: string): string | undefined {
  // Job scripts quote their variables: `docker push "$CI_REGISTRY_IMAGE:$TAG"`.
  const words = args.split(/\s+/).filter((word) => word !== '').map((word) => word.replace(/^"(.*)"$/, '$1'))
  if (command.endsWith('build')) {
    const t = words.findIndex((word) => word === '-t' || word === '--tag')
    if (t !== -1) return words[t + 1]
    return words.find((word) => word.startsWith('--tag='))?.slice('--tag='.length)
  }
  if (command === 'login' || command === 'logout') return undefined
  return words.find((word) => !word.startsWith('-'))
}

/** Commands (`docker push …`), for the docker CLI or inside a runner job's `$ ` echo. */
export function parseDockerCommand(command: string, text: string): Parsed | undefined {
  const m = COMMAND.exec(command)?.groups
  if (m === undefined) return undefined
  const event = cliEvent(text)
  event.fields.command = command.replace(/^[#>] /, '')
  event.fields.docker_command = m.command ?? ''
  const reference = referenceOfCommand(m.command ?? '', m.args ?? '')
  if (reference !== undefined) event.imageReference = reference
  if (m.command === 'login' || m.command === 'logout') {
    const host = (m.args ?? '').split(/\s+/).find((word) => word !== '' && !word.startsWith('-'))
    if (host !== undefined) event.fields.host = host
  }
  return event
}

/** Daemon-side errors: `Error response from daemon: …` and the same text without the prefix. */
function parseDaemonError(text: string, error: string): Parsed {
  const event = cliEvent(text, { level: 'error', error })
  const verbUrl = VERB_URL_ERROR.exec(error)?.groups
  if (verbUrl !== undefined) {
    const url = verbUrl.quoted ?? verbUrl.bare ?? ''
    event.fields.verb = verbUrl.verb ?? ''
    event.fields.url = url
    event.error = verbUrl.error ?? ''
    const reference = referenceOfUrl(url)
    if (reference !== undefined) event.imageReference = reference
  }
  const code = findRegistryErrorCode(event.error ?? '')
  if (code !== undefined) event.fields.error_code = code
  const login = LOGIN_FAILED.exec(error)?.groups
  if (login !== undefined) {
    event.fields.url = login.url ?? ''
    event.fields.status = login.status ?? ''
  }
  const pull = PULL_DENIED.exec(error)?.groups
  if (pull !== undefined) event.imageReference = pull.ref ?? ''
  const manifest = MANIFEST_NOT_FOUND.exec(error)?.groups
  if (manifest !== undefined) event.imageReference = manifest.ref ?? ''
  return event
}

function parseErrorLine(text: string): Parsed | undefined {
  const registryError = parseRegistryError(text)
  if (registryError !== undefined) {
    const event = cliEvent(text, { level: 'error', error: registryError.error })
    event.fields.error_code = registryError.code
    return event
  }
  const status = ERROR_PARSING.exec(text)?.groups?.status ?? UNEXPECTED_STATUS.exec(text)?.groups?.status
  if (status !== undefined) {
    const event = cliEvent(text, { level: 'error', error: text })
    event.fields.status = status
    return event
  }
  if (VERB_URL_ERROR.test(text) || PULL_DENIED.test(text) || MANIFEST_NOT_FOUND.test(text)) return parseDaemonError(text, text)
  // Other registry clients in a job: only when a link of the chain is a registry error (`Error: open x: …` is not one).
  if (text.startsWith(TOOL_ERROR) && findRegistryErrorCode(text.slice(TOOL_ERROR.length)) !== undefined) {
    return parseDaemonError(text, text.slice(TOOL_ERROR.length))
  }
  const invalidTag = INVALID_TAG.exec(text)?.groups ?? PARSING_REFERENCE.exec(text)?.groups
  if (invalidTag !== undefined) return cliEvent(text, { level: 'error', imageReference: invalidTag.ref ?? '', error: invalidTag.error ?? '' })
  const putManifest = PUT_MANIFEST.exec(firstLine(text))?.groups
  if (putManifest !== undefined) {
    const errors = text.split('\n').slice(1)
    const event = cliEvent(text, { level: 'error', imageReference: putManifest.ref ?? '' })
    if (errors[0] !== undefined) event.error = errors[0]
    const code = parseRegistryError(errors[0] ?? '')?.code
    if (code !== undefined) event.fields.error_code = code
    event.fields.errors = errors.join('\n')
    return event
  }
  return undefined
}

/** Whether a record is `failed to put manifest …: errors:` (its error lines follow, one per line). */
export function isPutManifestErrors(text: string): boolean {
  return text.startsWith('failed to put manifest ') && PUT_MANIFEST.test(firstLine(text))
}

/** Parses one docker CLI line (or a `failed to put manifest` record), or `undefined` when it is not one. */
export function parseDockerCliLine(text: string): Parsed | undefined {
  // `docker run` / `docker create` put the command name first and end the sentence: `docker: <error>.`
  const chain = text.startsWith(RUN_PREFIX) ? text.slice(RUN_PREFIX.length).replace(FINAL_STOP, '') : text
  if (chain.startsWith('Error response from daemon: ')) return parseDaemonError(text, chain.slice('Error response from daemon: '.length))
  const configuration = PULLING_CONFIGURATION.exec(chain)?.groups?.error
  if (configuration !== undefined) return parseDaemonError(text, configuration)
  if (text.startsWith('error during connect: ')) return parseDaemonError(text, text.slice('error during connect: '.length))
  const progress = parseLayerProgress(text)
  if (progress !== undefined) return cliEvent(text, progress)
  const error = parseErrorLine(text)
  if (error !== undefined) return error
  const refers = PUSH_REFERS.exec(text)?.groups
  if (refers !== undefined) return cliEvent(text, { imageReference: refers.ref ?? '' })
  const digest = DIGEST_LINE.exec(text)?.groups
  if (digest !== undefined) {
    const event = cliEvent(text)
    event.fields.tag = digest.tag ?? ''
    event.fields.digest = digest.digest ?? ''
    event.fields.size = digest.size ?? ''
    return event
  }
  const tag = DEFAULT_TAG.exec(text)?.groups?.tag
  if (tag !== undefined) {
    const event = cliEvent(text)
    event.fields.tag = tag
    return event
  }
  const tagged = (SUCCESSFULLY_TAGGED.exec(text) ?? PULL_STATUS.exec(text) ?? TRYING_TO_PULL.exec(text))?.groups?.ref
  if (tagged !== undefined) return cliEvent(text, { imageReference: tagged })
  const pulling = PULLING_FROM.exec(text)?.groups
  if (pulling !== undefined) {
    const event = cliEvent(text)
    event.fields.tag = pulling.tag ?? ''
    event.fields.repository = pulling.repository ?? ''
    return event
  }
  if (SEE_HELP.test(text) || BUILD_STEP.test(text) || PLAIN_LINES.some((prefix) => text.startsWith(prefix))) return cliEvent(text)
  return parseDockerCommand(text, text)
}
