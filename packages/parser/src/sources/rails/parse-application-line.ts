// GitLab's application.log, the text twin of application_json.log (Gitlab::AppTextLogger): one event per
// line, `<time>: <message>`. The time was `Time#to_s(:long)` (`November 20, 2019 14:05`, server zone, no
// seconds) until GitLab switched to `iso8601(3)` in UTC (`2019-11-20T14:05:40.733Z`).
import type { ParsedFields } from '../../define-source.js'
import { parseIsoTime } from '../../fields/parse-time.js'
import type { RailsEvent } from '../../log-event.js'

const ISO_MS_UTC = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`
const MONTH = '(?:January|February|March|April|May|June|July|August|September|October|November|December)'
const LONG_TIME = String.raw`${MONTH} \d\d, \d{4} \d\d:\d\d`
const APPLICATION_LINE = new RegExp(String.raw`^(?:(?<iso>${ISO_MS_UTC})|${LONG_TIME}): (?=\S)`)

/** Whether a line has application.log's `<time>: ` head. */
export function isApplicationLine(text: string): boolean {
  return APPLICATION_LINE.test(text)
}

/**
 * An application.log line as a Rails event, its text in `message`. The `to_s(:long)` time names no zone,
 * so those lines get no `time`. Undefined when the line lacks the head.
 */
export function parseApplicationLine(text: string): ParsedFields<RailsEvent> | undefined {
  const head = APPLICATION_LINE.exec(text)
  if (head === null) return undefined
  const event: ParsedFields<RailsEvent> = {
    source: 'rails',
    format: 'application-log',
    message: text.slice(head[0].length),
    fields: Object.create(null) as Record<string, string>,
  }
  const time = head.groups?.iso === undefined ? undefined : parseIsoTime(head.groups.iso)
  if (time !== undefined) event.time = time
  return event
}
