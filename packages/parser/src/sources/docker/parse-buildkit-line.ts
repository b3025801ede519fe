// BuildKit's plain progress output: what `docker build` (BuildKit is the default builder since Docker 23) and
// `docker buildx build` print when stdout is not a terminal, as in a CI job: one `#<step> <text>` line per event
// of a build step, `#<step> ERROR: <error>` when the step fails (pushing included: `#12 ERROR: failed to push
// <ref>: …`). Registry failures reach it through containerd's resolver, whose errors name the last URL of the
// request, after redirects: `unexpected status from HEAD request to <storage URL>: 403 Forbidden`.
// The build ends with a summary of the failed step between `------` rules (` > exporting to image:`) and the error
// again, `error: failed to solve: <error>` (`ERROR: …` since buildx 0.10; GitHub's action prefixes
// `Error: buildx failed with: `), e.g. `error: failed to solve: unexpected status: 403 Forbidden` (Roave/DocbookTool#15).
// Source: moby/buildkit util/progress/progressui (plain printer), containerd remotes/errors, docker/buildx.
import type { ParsedFields } from '../../define-source.js'
import type { DockerEvent } from '../../log-event.js'

type Parsed = ParsedFields<DockerEvent>

// `#12 pushing layers 0.5s done`; steps are numbered from 1 and stay small.
const STEP_LINE = /^#(?<step>\d{1,6}) (?<text>\S.*)$/
// The reference ends at the first `: ` (a tag's own colon is not followed by a space) or at `@sha256:`.
const IMAGE_REFERENCE = /(?:failed to push|pushing manifest for|naming to) (?<ref>[^\s@]+?)(?::\s|@|\s|:?$)/

/**
 * The TTY layout a terminal copy keeps: ` => [internal] load .dockerignore      0.0s`, ` => ERROR [4/4] RUN make`.
 * Always one space first: Puma's `=> Booting Puma` has none.
 */
const TTY_STEP = /^ => (?<text>\S.*)$/
const DURATION = /^\d{1,6}(?:\.\d{1,3})?s$/
const SOLVE_FAILED = /^(?:Error: buildx failed with: )?(?:error|ERROR): failed to solve: (?<error>.+)$/
/** The failed step's summary: its name under a `------` rule (` > exporting to image:`), and the rules themselves. */
const SUMMARY_RULE = '------'
const SUMMARY_STEP = /^\s?> [^:\s]/

/** Whether `text` has the shape of a BuildKit plain-progress or summary line (for sniffing; `parseBuildkitLine` reads it). */
export function isBuildkitStep(text: string): boolean {
  return STEP_LINE.test(text) || SOLVE_FAILED.test(text) || TTY_STEP.test(text)
}

/** Parses a BuildKit plain-progress line, or `undefined` when it is not one. */
export function parseBuildkitLine(text: string): Parsed | undefined {
  const groups = STEP_LINE.exec(text)?.groups
  if (groups === undefined) return parseBuildkitSummary(text)
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

/** A step in the TTY layout, without the padding and duration the terminal printed after it. */
function parseTtyStep(step: string): Parsed {
  // Cut by hand: the padding is a long run of spaces, which a RegExp for "spaces, then a duration, at the end" would rescan.
  const trimmed = step.trimEnd()
  const last = trimmed.lastIndexOf(' ')
  const message = last !== -1 && DURATION.test(trimmed.slice(last + 1)) ? trimmed.slice(0, last).trimEnd() : trimmed
  const event: Parsed = { source: 'docker', component: 'buildkit', message, format: 'buildkit', fields: Object.create(null) as Record<string, string> }
  if (message.startsWith('ERROR ')) event.level = 'error'
  return event
}

/** The end-of-build summary: the failed step's rules and name, and `failed to solve: <error>`. */
function parseBuildkitSummary(text: string): Parsed | undefined {
  const step = TTY_STEP.exec(text)?.groups?.text
  if (step !== undefined) return parseTtyStep(step)
  const error = SOLVE_FAILED.exec(text)?.groups?.error
  // The step's name ends in `:`; tested by hand, as a pattern for "anything, then a colon at the end" rescans.
  const summary = text === SUMMARY_RULE || (SUMMARY_STEP.test(text) && text.endsWith(':'))
  if (error === undefined && !summary) return undefined
  const event: Parsed = { source: 'docker', component: 'buildkit', message: text, format: 'buildkit', fields: Object.create(null) as Record<string, string> }
  if (error !== undefined) {
    event.level = 'error'
    event.error = error
  }
  return event
}
