// kaniko executor output: logrus in its default colour/TTY layout, `INFO[0005] Pushing image to <ref>`, and
// the fatal `error pushing image: failed to push to destination <ref>: <error>` it exits with.
// Source: GoogleContainerTools/kaniko cmd/executor/cmd/root.go, pkg/executor/push.go.
import type { ParsedFields } from '../../define-source.js'
import type { DockerEvent } from '../../log-event.js'
import { parseLogrusTtyLine } from './logrus-tty-line.js'

type Parsed = ParsedFields<DockerEvent>

const FATAL_ERROR = /^error (?<what>pushing image|building image|checking push permissions)\b/
// The reference ends at the first `: ` (a tag's own colon is not followed by a space).
const DESTINATION = /failed to push to destination (?<ref>\S+?)(?::\s|:?$)/
const PUSHING_TO = /^Pushing image to (?<ref>\S+)/
const PUSHED = /^Pushed (?<ref>\S+)/


/** kaniko messages that are unmistakably its own, for the logrus TTY layout (which other Go tools share). */
const KANIKO_MESSAGES = [
  'Pushing image to ', 'Pushed ', 'Retrieving image manifest ', 'Retrieving image ', 'Taking snapshot',
  'Unpacking rootfs', 'Executing 0 build triggers', 'Built cross stage deps', 'Resolved base name ', 'Using dockerignore file',
  'Building stage ', 'Checking for cached layer', 'Skipping unpacking', 'Storing source image', 'Returning cached image manifest',
  'No cached layer found', 'RUN ', 'COPY ', 'ADD ', 'ENV ', 'WORKDIR ', 'CMD ', 'ENTRYPOINT ', 'Cmd: ', 'Args: ',
]

function kanikoEvent(message: string, extra: Partial<Parsed> = {}): Parsed {
  return { source: 'docker', component: 'kaniko', message, format: 'kaniko', fields: Object.create(null) as Record<string, string>, ...extra }
}

function withErrorDetails(event: Parsed, message: string): Parsed {
  if (FATAL_ERROR.test(message)) {
    event.error = message
    event.level ??= 'error'
  }
  const destination = DESTINATION.exec(message)?.groups?.ref
  if (destination !== undefined) event.imageReference = destination
  return event
}

/** Parses a kaniko line, or `undefined` when it is not one. */
export function parseKanikoLine(text: string): Parsed | undefined {
  const tty = parseLogrusTtyLine(text)
  if (tty !== undefined) {
    const { message } = tty
    if (!KANIKO_MESSAGES.some((prefix) => message.startsWith(prefix)) && !FATAL_ERROR.test(message)) return undefined
    const event = kanikoEvent(message)
    if (tty.level !== undefined) event.level = tty.level
    event.fields.elapsed_s = tty.clock
    const reference = PUSHING_TO.exec(message)?.groups?.ref ?? PUSHED.exec(message)?.groups?.ref
    if (reference !== undefined) event.imageReference = reference
    return withErrorDetails(event, message)
  }
  if (FATAL_ERROR.test(text)) return withErrorDetails(kanikoEvent(text, { level: 'error' }), text)
  return undefined
}
