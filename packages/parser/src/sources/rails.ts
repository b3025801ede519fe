// GitLab Rails logs under /var/log/gitlab/gitlab-rails/: the text production.log (request and exception
// blocks, several lines per request) and the JSON logs (production_json, api_json, exceptions_json,
// application_json) plus Sidekiq's JSON. Formats: shared/spec/formats-nginx-rails-docker.md §2.
import { defineSource } from '../define-source.js'
import type { ParsedFields } from '../define-source.js'
import type { RailsEvent } from '../log-event.js'
import type { Unparsed } from '../unparsed-line.js'
import { isApplicationLine, parseApplicationLine } from './rails/parse-application-line.js'
import {
  continuesExceptionBlock, isBacktraceFrame, isBlank, isClassColonMessage, isExceptionHeaderStart, parseExceptionBlock,
} from './rails/parse-exception-block.js'
import { parseRailsJson } from './rails/parse-rails-json.js'
import { isRequestLine, parseRequestLine, withContext } from './rails/parse-request-line.js'
import { railsExamples } from './rails/rails-examples.js'
import { isSidekiqText, parseSidekiqText } from './rails/parse-sidekiq-text.js'
import { createRailsState, takeLastServerError, type RailsState } from './rails/rails-state.js'

export type { RailsState } from './rails/rails-state.js'

/** Free-form production.log lines that are Rails' own wherever they appear. */
const KNOWN_LINE_PREFIXES = [
  'Rendered ', 'Rendering ', '  Rendered ', '  Rendering ', 'Sending event ', "Can't verify CSRF token authenticity",
  'Sent data ', 'Sent file ',
]

/** Lines of the other sources: never taken as free-form Rails lines, even mid-stream. */
const FOREIGN_LINE = /^(?:time="|level=|==> |\{|\S+ - \S+ \[|\d{4}\/\d{2}\/\d{2} |\d{4}-\d{2}-\d{2}[T_ ]\d{2}:)/

function sniffJson(text: string): number {
  if (text.includes('"controller":') || text.includes('"meta.caller_id":')) return 0.9
  if (text.includes('"exception.class":') || text.includes('"jid":')) return 0.85
  if (text.includes('"severity":')) return text.includes('"correlation_id":') ? 0.85 : 0.6
  if (text.includes('"query_string":') && text.includes('"complexity":')) return 0.6
  return 0
}

/**
 * How sure a single line is Rails': request lines high, exception headers medium, frames only in context
 * (a frame alone could be any Ruby backtrace).
 */
function sniffRails(text: string): number {
  if (text.startsWith('{')) return sniffJson(text)
  if (text.startsWith('Started ') && text.includes('" for ')) return 0.9
  if (text.startsWith('Processing by ') || /^Completed \d{3} /.test(text)) return 0.9
  if (text.startsWith('Filter chain halted as ')) return 0.8
  if (text.startsWith('  Parameters: {')) return 0.7
  if (text.startsWith('Sending event ') && text.endsWith(' to Sentry')) return 0.6
  if (isApplicationLine(text)) return 0.6
  if (isSidekiqText(text)) return 0.8
  if (isExceptionHeaderStart(text) && text.endsWith('):')) return 0.6
  if (isClassColonMessage(text)) return 0.4
  if (text.startsWith('Redirected to ') || KNOWN_LINE_PREFIXES.some((prefix) => text.startsWith(prefix))) return 0.4
  if (isBacktraceFrame(text)) return 0.1
  return 0
}

function parseText(text: string, state: RailsState): ParsedFields<RailsEvent> | Unparsed {
  if (isBlank(text)) return { unparsed: 'empty' }
  const firstLine = text.trimStart()
  if (isExceptionHeaderStart(firstLine) || (isClassColonMessage(firstLine) && !firstLine.includes('\n'))) {
    const exception = parseExceptionBlock(text)
    if (exception !== undefined) return withContext(exception, takeLastServerError(state))
  }
  if (isRequestLine(text)) return parseRequestLine(text, state)
  const applicationLine = parseApplicationLine(text)
  if (applicationLine !== undefined) return applicationLine
  const sidekiqLine = parseSidekiqText(text)
  if (sidekiqLine !== undefined) return sidekiqLine
  const known = KNOWN_LINE_PREFIXES.some((prefix) => text.startsWith(prefix))
  // Once a stream has shown request lines it is a production.log, and every other line there is Rails'
  // (`Rendered …`, SQL logs, gem warnings); before that, an unknown line is not claimed.
  if (known || (state.seenProductionLog && !FOREIGN_LINE.test(text))) {
    return { source: 'rails', message: text, format: 'production-log', fields: Object.create(null) as Record<string, string> }
  }
  return { unparsed: 'no-match' }
}

/** GitLab Rails: production.log request/exception blocks and the JSON logs. */
export const rails = defineSource<RailsEvent, RailsState>({
  id: 'rails',
  description:
    'GitLab Rails production.log request/exception blocks, application.log lines and production_json, api_json, ' +
    'exceptions_json, application_json and Sidekiq JSON and text lines (https://docs.gitlab.com/administration/logs/)',
  fileNames: [
    /(?:^|\/)(?:production|production_json|api_json|exceptions_json|application|application_json)\.log(?:\.\d+)?(?:\.gz)?$/,
    /(?:^|\/)gitlab-rails\/[^/]+\.log(?:\.\d+)?(?:\.gz)?$/,
    /(?:^|\/)sidekiq\/current$/,
  ],
  // The Helm chart's gitlab-logger names the text log a line came from (`subcomponent`).
  programs: ['production', 'application'],
  sniff: sniffRails,
  continues(text, record) {
    if (record.text.startsWith('{')) return false
    return continuesExceptionBlock(text, record.text, record.lineCount)
  },
  createState: createRailsState,
  parse(record, state) {
    const text = record.text
    if (text.startsWith('{')) return parseRailsJson(text)
    return parseText(text, state)
  },
  examples: railsExamples,
})
