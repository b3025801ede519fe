// GitLab Runner job log lines (the pipeline stripped ANSI colours and section markers): the runner's own
// messages, its `WARNING:`/`ERROR:` lines and the `$ ` echo of each script command.
// Format: shared/spec/formats-nginx-rails-docker.md §3.3 (gitlab-runner executors/docker/internal/pull/manager.go).
import type { ParsedFields } from '../../define-source.js'
import type { DockerEvent } from '../../log-event.js'
import { BUILDX_INVALID_TAG, findRegistryErrorCode, parseDockerCommand } from './parse-docker-cli-line.js'

type Parsed = ParsedFields<DockerEvent>

/** Lines the runner itself prints around a job (prefixes). */
const RUNNER_PREFIXES = [
  'Running with gitlab-runner ', 'Preparing the "', 'Preparing environment', 'Running on ', 'Getting source from Git repository',
  'Fetching changes', 'Checking out ', 'Skipping Git submodules setup', 'Created fresh repository.', 'Initialized empty Git repository',
  'Executing "step_script" stage of the job script', 'Executing "', 'Cleaning up project directory and file based variables',
  'Authenticating with credentials from ', 'Using docker image ', 'Pulling docker image ', 'Using Docker executor with image ',
  'Using Kubernetes ', 'Using Shell ', 'Starting service ', 'Waiting for services to be up and running', 'Uploading artifacts',
  'Downloading artifacts', 'Restoring cache', 'Saving cache', 'Job succeeded', 'Resolving secrets', 'Waiting for pod ',
]

// `Running with gitlab-runner 16.0.1 (79704081)`
const VERSION = /^Running with gitlab-runner (?<version>\S+)/
// `Using docker image sha256:… for docker:24.0.5 with digest docker@sha256:… ...`
const USING_IMAGE = /^Using docker image (?<id>sha256:[0-9a-f]+) for (?<ref>\S+)(?: with digest (?<digest>\S+))?/
const PULLING_IMAGE = /^(?:Pulling docker image|Using Docker executor with image|Starting service) (?<ref>\S+)(?: \.\.\.)?$/
const EXECUTOR = /^Preparing the "(?<executor>[^"]+)" executor/
const AUTHENTICATING = /^Authenticating with credentials from (?<from>.+)$/
// Runner errors end with the Go call site and elapsed time: `(manager.go:237:0s)`.
const CALL_SITE = / \((?<site>[\w.-]+\.go:\d+:[\w.]+)\)$/
const POLICY_WARNING = /^Failed to pull image with policy "(?<policy>[^"]*)": (?<error>.*)$/
const JOB_FAILED_PULL = /^Job failed(?: \(system failure\))?: failed to pull image "(?<ref>[^"]+)" with specified policies \[(?<policies>[^\]]*)\]: (?<error>.*)$/
const JOB_FAILED = /^(?:Job|Build) failed(?: \((?<kind>[^)]+)\))?: (?<error>.*)$/
const DENIED_FOR = /pull access denied for (?<ref>[^\s,]+)/
const UNPACK_IMAGE = /failed to pull and unpack image "(?<ref>[^"]+)"/
/** The kubelet refusing a reference before any pull (a Kubernetes executor event): `Failed to apply default image tag "<ref>": …`. */
const KUBELET_REFERENCE = /(?:Failed to apply default image tag|couldn't parse image reference) "(?<ref>[^"]+)"/
/** `  on <runner name> <short token>, system ID: …` under the version line. */
const RUNNER_NAME = /^ {2}on \S+ \S+/
/** Section duration printed after each title in the job log UI copy (`00:04`). */
const SECTION_DURATION = /^\d{2}:\d{2}$/

function runnerEvent(text: string, extra: Partial<Parsed> = {}): Parsed {
  return { source: 'docker', component: 'runner', message: text, format: 'runner-job', fields: Object.create(null) as Record<string, string>, ...extra }
}

/** `WARNING: …` / `ERROR: …`: the error text, its call site and the image it names. */
function parseLevelLine(text: string, level: 'warning' | 'error', body: string): Parsed {
  const event = runnerEvent(text, { level })
  const site = CALL_SITE.exec(body)
  const detail = site === null ? body : body.slice(0, site.index)
  if (site?.groups?.site !== undefined) event.fields.call_site = site.groups.site
  const policy = POLICY_WARNING.exec(detail)?.groups
  const pull = JOB_FAILED_PULL.exec(detail)?.groups
  const failed = JOB_FAILED.exec(detail)?.groups
  const error = policy?.error ?? pull?.error ?? failed?.error
  if (policy?.policy !== undefined) event.fields.policy = policy.policy
  if (pull?.policies !== undefined) event.fields.policies = pull.policies
  if (failed?.kind !== undefined) event.fields.failure = failed.kind
  if (error !== undefined) {
    event.error = error.startsWith('Error response from daemon: ') ? error.slice('Error response from daemon: '.length) : error
    const code = findRegistryErrorCode(event.error)
    if (code !== undefined) event.fields.error_code = code
  }
  const reference =
    pull?.ref ?? DENIED_FOR.exec(detail)?.groups?.ref ?? UNPACK_IMAGE.exec(detail)?.groups?.ref ?? KUBELET_REFERENCE.exec(detail)?.groups?.ref
  if (reference !== undefined) event.imageReference = reference
  // buildx prints its reference errors with the same `ERROR: ` prefix.
  const invalidTag = reference === undefined ? BUILDX_INVALID_TAG.exec(detail)?.groups : undefined
  if (invalidTag !== undefined) {
    event.imageReference = invalidTag.ref ?? ''
    event.error = invalidTag.error ?? ''
  }
  return event
}

function parseRunnerMessage(text: string): Parsed {
  const event = runnerEvent(text)
  const version = VERSION.exec(text)?.groups?.version
  if (version !== undefined) event.fields.version = version
  const executor = EXECUTOR.exec(text)?.groups?.executor
  if (executor !== undefined) event.fields.executor = executor
  const from = AUTHENTICATING.exec(text)?.groups?.from
  if (from !== undefined) event.fields.credentials = from
  const using = USING_IMAGE.exec(text)?.groups
  if (using !== undefined) {
    event.imageReference = using.ref ?? ''
    event.fields.image_id = using.id ?? ''
    if (using.digest !== undefined) event.fields.image_digest = using.digest
  }
  const pulling = PULLING_IMAGE.exec(text)?.groups?.ref
  if (pulling !== undefined) event.imageReference = pulling
  return event
}

/** Parses a runner line, or `undefined` when the line is not the runner's (script output, docker output). */
export function parseRunnerLine(text: string): Parsed | undefined {
  if (text.startsWith('WARNING: ')) return parseLevelLine(text, 'warning', text.slice('WARNING: '.length))
  if (text.startsWith('ERROR: ')) return parseLevelLine(text, 'error', text.slice('ERROR: '.length))
  if (text.startsWith('$ ')) {
    const command = text.slice(2)
    const docker = parseDockerCommand(command, text)
    if (docker !== undefined) return { ...docker, component: 'runner', format: 'runner-job' }
    const event = runnerEvent(text)
    event.fields.command = command
    return event
  }
  if (RUNNER_PREFIXES.some((prefix) => text.startsWith(prefix)) || RUNNER_NAME.test(text)) {
    return parseRunnerMessage(text)
  }
  if (SECTION_DURATION.test(text)) return runnerEvent(text)
  return undefined
}
