// BuildKit's plain progress output: what `docker build` (BuildKit is the default builder since Docker 23) and
// `docker buildx build` print when stdout is not a terminal, as in a CI job: one `#<step> <text>` line per event
// of a build step, `#<step> ERROR: <error>` when the step fails (pushing included: `#12 ERROR: failed to push
// <ref>: …`). Registry failures reach it through containerd's resolver, whose errors name the last URL of the
// request, after redirects: `unexpected status from HEAD request to <storage URL>: 403 Forbidden`.
// Source: moby/buildkit util/progress/progressui (plain printer), containerd remotes/errors.
import type { ParsedFields } from '../../define-source.js'
import type { DockerEvent } from '../../log-event.js'

type Parsed = ParsedFields<DockerEvent>

// `#12 pushing layers 0.5s done`; steps are numbered from 1 and stay small.
const STEP_LINE = /^#(?<step>\d{1,6}) (?<text>\S.*)$/
// The reference ends at the first `: ` (a tag's own colon is not followed by a space) or at `@sha256:`.
const IMAGE_REFERENCE = /(?:failed to push|pushing manifest for|naming to) (?<ref>[^\s@]+?)(?::\s|@|\s|:?$)/

/** Whether `text` has the shape of a BuildKit plain-progress line (for sniffing; `parseBuildkitLine` reads it). */
export function isBuildkitStep(text: string): boolean {
  return STEP_LINE.test(text)
}

/** Parses a BuildKit plain-progress line, or `undefined` when it is not one. */
export function parseBuildkitLine(text: string): Parsed | undefined {
  const groups = STEP_LINE.exec(text)?.groups
  if (groups === undefined) return undefined
  const message = groups.text ?? ''
  const fields = Object.create(null) as Record<string, string>
  fields.step = groups.step ?? ''
  const event: Parsed = { source: 'docker', component: 'buildkit', message, format: 'buildkit', fields }
  if (message.startsWith('ERROR: ')) {
    event.level = 'error'
    event.error = message.slice('ERROR: '.length)
  } else if (message === 'CANCELED') event.level = 'warning'
  const reference = IMAGE_REFERENCE.exec(message)?.groups?.ref
  if (reference !== undefined) event.imageReference = reference
  return event
}
