// The request lines of Rails' text `production.log` (ActionController::LogSubscriber):
// `Started …`, `Processing by …`, `  Parameters: …`, `Filter chain halted as …`, `Completed …`, `Redirected to …`.
// Format: shared/spec/formats-nginx-rails-docker.md §2.1.
import type { ParsedFields } from '../../define-source.js'
import { assignRegistryPath, splitUri } from '../../fields/parse-registry-path.js'
import { parseIsoTime } from '../../fields/parse-time.js'
import type { RailsEvent } from '../../log-event.js'
import type { Unparsed } from '../../unparsed-line.js'
import {
  closeRequest, openRequest, findCurrentRequest, startProcessing, type RailsState, type RequestContext,
} from './rails-state.js'

type Parsed = ParsedFields<RailsEvent>

// `Started GET "/jwt/auth?…" for 203.0.113.61 at 2017-12-17 18:37:23 +0700`
const METHOD = String.raw`(?<method>[A-Z]+)`
const URI = String.raw`"(?<uri>[^"]*)"`
const CLIENT = String.raw`(?<client>\S+)`
const STARTED = new RegExp(`^Started ${METHOD} ${URI} for ${CLIENT} at (?<time>.+)$`)

// `Processing by JwtController#auth as HTML` (the ` as …` part is missing for some formats).
const CONTROLLER = String.raw`(?<controller>[A-Z][\w:]*)#(?<action>\w+)`
const PROCESSING = new RegExp(`^Processing by ${CONTROLLER}(?: as (?<format>\\S+))?`)

// `Completed 401 Unauthorized in 44ms (Views: 0.4ms | ActiveRecord: 4.0ms)`: the reason phrase holds only
// letters, spaces, hyphens and apostrophes, so it cannot swallow the ` in <n>ms` that follows it.
const STATUS = String.raw`(?<status>\d{3})`
const REASON = String.raw`(?<reason>[A-Za-z' -]*?)`
const DURATION = String.raw`in (?<ms>\d+(?:\.\d+)?)ms`
const TIMINGS = String.raw`(?: \((?<timings>[^)]*)\))?`
const COMPLETED = new RegExp(`^Completed ${STATUS} ${REASON} ?${DURATION}${TIMINGS}`)

const PARAMETERS = /^ {2}Parameters: (?<params>.*)$/
const FILTER_HALTED = /^Filter chain halted as (?<filter>\S+)/
const REDIRECTED = /^Redirected to (?<location>\S+)/

/** Whether `text` is one of the request lines (cheap prefix test, for `sniff` and `parse` dispatch). */
export function isRequestLine(text: string): boolean {
  return text.startsWith('Started ') || text.startsWith('Processing by ') || text.startsWith('Completed ')
    || text.startsWith('  Parameters: ') || text.startsWith('Filter chain halted as ') || text.startsWith('Redirected to ')
}

function emptyFields(): Record<string, string> {
  return Object.create(null) as Record<string, string>
}

/** Copies the request context of a block (from its `Started` line) onto an event. */
export function withContext(event: Parsed, context: RequestContext | undefined): Parsed {
  if (context === undefined) return event
  const { time, method, uri, clientAddress, controller, action } = context
  if (time !== undefined && event.time === undefined) event.time = time
  if (event.method === undefined) event.method = method
  if (event.uri === undefined) {
    event.uri = uri
    event.path = splitUri(uri).path
    assignRegistryPath(event, uri)
  }
  if (event.clientAddress === undefined) event.clientAddress = clientAddress
  if (controller !== undefined && event.controller === undefined) event.controller = controller
  if (action !== undefined && event.action === undefined) event.action = action
  return event
}

function parseStarted(text: string, state: RailsState): Parsed | Unparsed {
  const m = STARTED.exec(text)?.groups
  if (m === undefined) return { source: 'rails', message: text, format: 'production-log', fields: emptyFields() }
  const method = m.method ?? ''
  const uri = m.uri ?? ''
  const time = parseIsoTime(m.time ?? '')
  if (time === undefined) return { unparsed: 'bad-timestamp' }
  state.seenProductionLog = true
  const context = openRequest(state, { method, uri, clientAddress: m.client ?? '', time })
  return withContext({ source: 'rails', message: text, format: 'production-log', fields: emptyFields() }, context)
}

function parseProcessing(text: string, state: RailsState): Parsed {
  const event: Parsed = { source: 'rails', message: text, format: 'production-log', fields: emptyFields() }
  const m = PROCESSING.exec(text)?.groups
  if (m === undefined) return event
  state.seenProductionLog = true
  event.controller = m.controller ?? ''
  event.action = m.action ?? ''
  if (m.format !== undefined) event.fields.request_format = m.format
  const context = startProcessing(state, event.controller, event.action)
  return withContext(event, context)
}

function parseCompleted(text: string, state: RailsState): Parsed {
  const event: Parsed = { source: 'rails', message: text, format: 'production-log', fields: emptyFields() }
  const m = COMPLETED.exec(text)?.groups
  if (m === undefined) return event
  state.seenProductionLog = true
  event.status = Number(m.status)
  event.durationMs = Number(m.ms)
  if (m.reason !== undefined && m.reason !== '') event.fields.reason = m.reason
  if (m.timings !== undefined) event.fields.timings = m.timings
  const context = findCurrentRequest(state)
  if (context !== undefined) {
    if (context.filterChainHalted) event.fields.filter_chain_halted = 'true'
    closeRequest(state, context, event.status)
  }
  if (event.status >= 500) event.level = 'error'
  return withContext(event, context)
}

/** Parses one request line, reading and updating the stream's open request blocks. */
export function parseRequestLine(text: string, state: RailsState): Parsed | Unparsed {
  if (text.startsWith('Started ')) return parseStarted(text, state)
  if (text.startsWith('Processing by ')) return parseProcessing(text, state)
  if (text.startsWith('Completed ')) return parseCompleted(text, state)
  const event: Parsed = { source: 'rails', message: text, format: 'production-log', fields: emptyFields() }
  const params = PARAMETERS.exec(text)?.groups?.params
  if (params !== undefined) {
    event.fields.parameters = params
    return withContext(event, findCurrentRequest(state))
  }
  const filter = FILTER_HALTED.exec(text)?.groups?.filter
  if (filter !== undefined) {
    event.fields.filter = filter
    const context = findCurrentRequest(state)
    if (context !== undefined) context.filterChainHalted = true
    return withContext(event, context)
  }
  const location = REDIRECTED.exec(text)?.groups?.location
  if (location !== undefined) {
    event.fields.location = location
    return withContext(event, findCurrentRequest(state))
  }
  return event
}
