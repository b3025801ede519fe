// The client side of a push or pull: docker CLI output, dockerd's logrus lines, GitLab Runner job logs, kaniko
// and BuildKit output. One source because they arrive mixed (a job log holds the runner's lines, the docker
// CLI's, BuildKit's and kaniko's); `component` says who wrote each line. Formats: shared/spec/formats-nginx-rails-docker.md §3.
import { defineSource } from '../define-source.js'
import type { DockerEvent } from '../log-event.js'
import { dockerExamples } from './docker/docker-examples.js'
import { isPutManifestErrors, parseDockerCliLine, parseRegistryError } from './docker/parse-docker-cli-line.js'
import { DOCKERD_PROGRAMS, dockerdLogrusFields, hasRegistryFields, isDockerdMessage, parseDockerdLine } from './docker/parse-dockerd-line.js'
import { isBuildkitStep, parseBuildkitLine } from './docker/parse-buildkit-line.js'
import { parseClientTtyLine } from './docker/parse-client-tty-line.js'
import { parseKanikoLine } from './docker/parse-kaniko-line.js'
import { parseKubeletEvent } from './docker/parse-kubelet-event.js'
import { parseRunnerLine } from './docker/parse-runner-line.js'

const LAYER_LINE = /^[0-9a-f]{12}: [A-Z]/

/** Prefixes that only docker, the runner or kaniko print, with how sure each makes us. */
const PREFIX_SCORES: readonly (readonly [string, number])[] = [
  ['Error response from daemon: ', 0.9], ['docker: Error response from daemon: ', 0.9], ['error pulling image configuration: ', 0.9],
  ['docker: error pulling image configuration: ', 0.9], ['The push refers to ', 0.9], ['Running with gitlab-runner ', 0.9],
  ['WARNING: Failed to pull image', 0.9], ['ERROR: Job failed', 0.9], ['error parsing HTTP ', 0.9], ['Login Succeeded', 0.9],
  ['failed to put manifest ', 0.9], ['invalid argument "', 0.7], ['Error parsing reference: "', 0.8], ['error parsing reference: "', 0.8],
  ['error pushing image: ', 0.9], ['$ docker ', 0.8],
  ['Authenticating with credentials from ', 0.8], ['Using docker image ', 0.8], ['Pulling docker image ', 0.8],
  ['Preparing the "', 0.8], ['received unexpected HTTP status', 0.8], ['Received unexpected HTTP status', 0.8],
  ['ERROR: ', 0.5], ['WARNING: ', 0.4], ['$ ', 0.3],
]

/** logrus text: dockerd's messages high; anything with registry fields low, as it is the registry's. */
function sniffLogrus(text: string): number {
  const at = text.indexOf('msg=')
  if (at === -1) return 0
  const fields = dockerdLogrusFields(text)
  if (fields?.msg === undefined || hasRegistryFields(fields)) return 0.1
  return isDockerdMessage(fields.msg) ? 0.8 : 0.2
}

function sniffDocker(text: string): number {
  if (text.startsWith('time="') || text.startsWith('level=')) return sniffLogrus(text)
  if (LAYER_LINE.test(text)) return 0.9
  if (isBuildkitStep(text)) return 0.7
  // The logrus TTY layout (`INFO[0005] …`) is shared with the registry: only kaniko's own messages count.
  if (parseKanikoLine(text) !== undefined || parseClientTtyLine(text) !== undefined || parseKubeletEvent(text) !== undefined) return 0.8
  for (const [prefix, score] of PREFIX_SCORES) if (text.startsWith(prefix)) return score
  if (parseRegistryError(text) !== undefined) return 0.6
  return 0
}

/** docker CLI, dockerd, GitLab Runner job log and kaniko lines. */
export const docker = defineSource<DockerEvent>({
  id: 'docker',
  description:
    'docker CLI output, dockerd logrus lines (journald), GitLab Runner job logs, kaniko and BuildKit (plain progress) output, ' +
    'kubelet pull events ' +
    '(https://docs.gitlab.com/ci/debugging/, https://docs.docker.com/reference/cli/docker/)',
  fileNames: [/(?:^|\/)job[^/]*\.(?:log|txt)$/, /(?:^|\/)(?:dockerd|docker|kaniko)[^/]*\.log$/, /(?:^|\/)trace[^/]*\.(?:log|txt)$/],
  programs: [...DOCKERD_PROGRAMS],
  sniff: sniffDocker,
  continues(text, record) {
    // `docker manifest push` prints one registry error per line under its header (distribution#3100).
    return isPutManifestErrors(record.text) && parseRegistryError(text) !== undefined
  },
  parse(record) {
    const text = record.text
    if (text.trim() === '') return { unparsed: 'empty' }
    // Order matters: kaniko's `error pushing image:` and the runner's `$ docker …` would also read as CLI lines.
    const event =
      parseBuildkitLine(text) ?? parseKanikoLine(text) ?? parseRunnerLine(text) ?? parseDockerdLine(record) ?? parseClientTtyLine(text) ?? parseKubeletEvent(text) ?? parseDockerCliLine(text)
    return event ?? { unparsed: 'no-match' }
  },
  examples: dockerExamples,
})
