// Sidekiq's text log (`sidekiq['log_format'] = 'text'`, the default before GitLab 12): after its time (which
// the pipeline peels as a `docker logs -t`-like layer), `pid=82525 tid=23rl class=<Worker> jid=<id> INFO: <message>`
// (Sidekiq 6) or `596 TID-6e340 <Worker> JID-<id> WARN: <message>` (Sidekiq 5). A failing job logs
// `WARN: <Class>: <message>`, which is where registry errors of background jobs show.
// Sources: GitLab docs (logs, Sidekiq), gitlabhq/gitlabhq#6068, sameersbn/docker-gitlab#1730.
import type { ParsedFields } from '../../define-source.js'
import type { RailsEvent } from '../../log-event.js'
import { normaliseLevel } from '../registry/normalise-fields.js'
import { splitClassAndMessage } from './parse-exception-block.js'

type Parsed = ParsedFields<RailsEvent>

// Each part starts with its own literal, and each quantified class stops at a space it cannot match.
const SIDEKIQ_TEXT =
  /^(?:pid=)?(?<pid>\d{1,10}) (?:TID-|tid=)(?<tid>[\w-]{1,40})(?: (?:class=)?(?<class>[A-Z][\w:]{0,200}))?(?: (?:JID-|jid=)(?<jid>[0-9a-f]{1,40}))?(?: elapsed=[\d.]{1,20})? (?<level>DEBUG|INFO|WARN|ERROR|FATAL): (?<message>.*)$/
/** A class name without a namespace counts only when it names an exception (`SocketError`), not any `Word: text`. */
const EXCEPTION_NAME = /(?:::|Error$|Exception$)/

/** Whether `text` is a Sidekiq text log line. */
export function isSidekiqText(text: string): boolean {
  return SIDEKIQ_TEXT.test(text)
}

/** Parses a Sidekiq text log line; undefined for any other text. */
export function parseSidekiqText(text: string): Parsed | undefined {
  const groups = SIDEKIQ_TEXT.exec(text)?.groups
  if (groups === undefined) return undefined
  const message = groups.message ?? ''
  const fields = Object.create(null) as Record<string, string>
  fields.pid = groups.pid ?? ''
  fields.tid = groups.tid ?? ''
  if (groups.class !== undefined) fields.class = groups.class
  if (groups.jid !== undefined) fields.jid = groups.jid
  const event: Parsed = { source: 'rails', message, format: 'sidekiq-text', fields }
  const level = normaliseLevel(groups.level ?? '')
  if (level !== undefined) event.level = level
  // `Errno::ENOENT: No such file …`, `SocketError: …`: the failure a job logs.
  const failure = splitClassAndMessage(message)
  if (failure !== undefined && EXCEPTION_NAME.test(failure.exceptionClass)) Object.assign(event, failure)
  return event
}
