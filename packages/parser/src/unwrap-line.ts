// Peels the wrappers that log collectors put around a line (svlogd, CRI, `docker logs -t`, compose, syslog and
// journald (syslog-prefix.ts), docker json-file, GitLab Runner terminal codes and timestamps) so source parsers only ever see the application's own text.
// Wrapper layouts: shared/spec/formats-registry.md §4 and formats-nginx-rails-docker.md §2.6, §3.3.
import { parseIsoTime, parseSvlogdTime } from './fields/parse-time.js'
import type { LineWrapper } from './log-event.js'
import { matchSyslogIsoPrefix, matchSyslogPrefix, RFC3339 } from './syslog-prefix.js'

/** A physical line with its wrappers peeled. */
export interface UnwrappedLine {
  /** The application's text. Empty for a `tail -F` header. */
  text: string
  /** Outermost wrapper kind, with the fields of every layer (outer ones win). Absent for a bare line. */
  wrapper?: LineWrapper
  /** Set for a `==> path <==` header of `tail -F` / `gitlab-ctl tail`: the file the following lines come from. */
  tailHeader?: string
  /** The runner cut a line here: this part continues the line before it, with no line break between them. */
  continuesPrevious?: true
}

/** One entry of a container runtime's log file; `partial` entries are chunks of a longer line to be joined. */
export interface ContainerChunk {
  text: string
  wrapper: LineWrapper
  /** CRI `P` tag, or a json-file `log` value without its final `\n` (dockerd splits lines at 16 KB). */
  partial: boolean
}

// Every quantifier is followed by a character it cannot match, so matching stays linear.
/** Kubernetes CRI (containerd, CRI-O): `<RFC3339Nano> stdout|stderr F|P <text>`. */
const CRI = new RegExp(String.raw`^(?<time>${RFC3339}) (?<stream>stdout|stderr) (?<tag>[FP])(?: |$)`)
/** runit svlogd `-tt`: `2024-05-02_10:11:12.12345 ` (UTC). */
// `^\d{4}-\d\d-\d\d_\d\d:\d\d:\d\d\.\d+ `, read by `svlogdStampEnd`.
const SVLOGD_SHAPE = 'dddd-dd-dd_dd:dd:dd.'
/**
 * GitLab Runner ≥ 17 job logs with timestamps (`FF_TIMESTAMPS`): `<RFC3339 µs>Z <stream 2 hex><O|E><' '|'+'>`
 * (gitlabhq lib/gitlab/ci/trace/stream.rb TIMESTAMP_HEADER_REGEX). `+` marks the rest of a line the runner cut:
 * it is joined to the part before it, as GitLab's own log view does (lib/gitlab/ci/ansi2json/converter.rb).
 */
const RUNNER_TIMESTAMPS = /^(?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z) [0-9a-f]{2}(?<stream>[OE])(?<kind>[ +])/
/** `docker logs -t`: `2015-07-16T12:24:29.911922605Z `. */
// An empty line keeps no space after the time (the blank line inside a Go panic, distribution#2908).
const DOCKER_TIMESTAMPS = new RegExp(String.raw`^(?<time>${RFC3339})(?: |$)`)
// docker-compose v1 `registry_1  | ` / v2 `registry-1  | ` (padding varies; an empty line has no space after `|`),
// and `docker service logs` of a swarm service, `<service>.<slot>.<task id>@<node>    | ` (docker-gitlab#2867):
// `^[A-Za-z0-9][\w.@-]{0,127} +\|(?: |$)`, read by `composePrefixEnd`.
const MAX_COMPOSE_NAME = 128
// Service name (≤ 128) plus padding: compose pads names to the longest one, which stays far below this.
const MAX_COMPOSE_PREFIX = 160
// `kubectl logs --prefix` (and `-l app=registry --prefix` over several pods): `[pod/<pod>/<container>] `; the
// pod is reported as the wrapper's host.
const KUBECTL_PREFIX = /^\[pod\/(?<host>[^/\]\s]{1,253})\/(?<container>[^\]\s]{1,253})\] /
/** `tail -F` / `gitlab-ctl tail` file header. */
const TAIL_HEADER = /^==> (?<path>.+) <==$/

// Terminal codes in runner traces and TTY captures: CSI (`ESC[0;33m`, `ESC[0K`), OSC (`ESC]…BEL`), and
// two-byte escapes; runner section markers `section_start:<unix>:<name>\r` (the `ESC[0K` after is a CSI).
const CSI = String.raw`\x1b\[[0-9;?]*[ -/]*[@-~]`
const OSC = String.raw`\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?`
const SHORT_ESCAPE = String.raw`\x1b[@-Z\\-_]?`
const SECTION = String.raw`section_(?:start|end):\d+:[^\s\x1b]*\r?`
const TERMINAL_CODES = new RegExp(`${CSI}|${OSC}|${SECTION}|${SHORT_ESCAPE}`, 'g')

// At most this many layers: real stacks are one or two deep (compose around `docker logs -t`, syslog around
// a dockerd line); the limit keeps a hostile line of repeated prefixes from being peeled forever.
const MAX_LAYERS = 3

/** Peels the CRI, docker json-file or journald JSON layer of a line, if it has one. Never throws. */
export function unwrapContainerLine(text: string): ContainerChunk | undefined {
  if (text.startsWith('{"log":')) return unwrapDockerJson(text)
  if (text.startsWith('{"__')) return unwrapJournalJson(text)
  // Runs on every physical line: a CRI line starts with `dddd-dd-ddT`, so most lines (svlogd's `dddd-dd-dd_`
  // among them) are ruled out without a RegExp.
  if (!startsLikeIsoDate(text) || text.charCodeAt(10) !== 0x54) return undefined
  const cri = CRI.exec(text)
  if (cri === null) return undefined
  const { text: rest, wrapper } = peeled(text, cri, 'cri', parseIsoTime(cri.groups?.time ?? ''))
  wrapper.stream = cri.groups?.stream ?? ''
  return { text: rest, wrapper, partial: cri.groups?.tag === 'P' }
}

/** The JSON object a line holds, or undefined (not JSON, or not an object). */
function jsonObjectOf(text: string): Record<string, unknown> | undefined {
  let entry: unknown
  try {
    entry = JSON.parse(text)
  } catch {
    return undefined
  }
  return typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? (entry as Record<string, unknown>) : undefined
}

function unwrapDockerJson(text: string): ContainerChunk | undefined {
  const entry = jsonObjectOf(text)
  if (entry === undefined) return undefined
  const { log, stream, time } = entry
  if (typeof log !== 'string') return undefined
  const wrapper: LineWrapper = { kind: 'docker-json' }
  if (typeof stream === 'string') wrapper.stream = stream
  if (typeof time === 'string') setTime(wrapper, parseIsoTime(time))
  const partial = !log.endsWith('\n')
  return { text: partial ? log : log.slice(0, log.endsWith('\r\n') ? -2 : -1), wrapper, partial }
}

/**
 * `journalctl -o json` (one entry per line; `__CURSOR` / `__REALTIME_TIMESTAMP` come first): the message, its
 * time (µs since the epoch) and the program. journald keeps a message that is not valid UTF-8 as an array of bytes.
 */
function unwrapJournalJson(text: string): ContainerChunk | undefined {
  const entry = jsonObjectOf(text)
  if (entry === undefined) return undefined
  const { MESSAGE, __REALTIME_TIMESTAMP, SYSLOG_IDENTIFIER, _COMM, _HOSTNAME } = entry
  const message = typeof MESSAGE === 'string' ? MESSAGE : isByteArray(MESSAGE) ? Buffer.from(MESSAGE).toString('utf8') : undefined
  if (message === undefined) return undefined
  const wrapper: LineWrapper = { kind: 'syslog' }
  if (typeof __REALTIME_TIMESTAMP === 'string' && /^\d{1,17}$/.test(__REALTIME_TIMESTAMP)) wrapper.time = Math.floor(Number(__REALTIME_TIMESTAMP) / 1000)
  const program = typeof SYSLOG_IDENTIFIER === 'string' ? SYSLOG_IDENTIFIER : _COMM
  if (typeof program === 'string') wrapper.program = program
  if (typeof _HOSTNAME === 'string') wrapper.host = _HOSTNAME
  return { text: message.endsWith('\n') ? message.slice(0, -1) : message, wrapper, partial: false }
}

/** The keys gitlab-logger writes around a text line; a JSON log it passes through has its own keys merged in. */
const GITLAB_LOGGER_KEYS: ReadonlySet<string> = new Set(['component', 'subcomponent', 'timestamp', 'time', 'pid', 'level', 'message'])

/**
 * The Helm chart's gitlab-logger around a line of a text log (`production.log`, `application.log`, Puma's
 * stdout): `{"component": "gitlab","subcomponent":"production","timestamp":"…","pid":1,"message":"<line>"}`.
 * The log's name goes to `program`, so the source that reads that log gets the line first.
 */
function unwrapGitlabLogger(text: string): PeeledLayer | undefined {
  const entry = jsonObjectOf(text)
  if (entry === undefined) return undefined
  const { subcomponent, message, timestamp } = entry
  if (typeof subcomponent !== 'string' || typeof message !== 'string' || Object.keys(entry).some((key) => !GITLAB_LOGGER_KEYS.has(key))) return undefined
  const wrapper: LineWrapper = { kind: 'gitlab-logger', program: subcomponent }
  if (typeof timestamp === 'string') setTime(wrapper, parseIsoTime(timestamp))
  return { text: message, wrapper }
}

function isByteArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((byte) => Number.isInteger(byte) && byte >= 0 && byte <= 255)
}

/**
 * Peels every wrapper off one line. `container` is the CRI / json-file layer when the caller already peeled it
 * (and joined partial chunks); otherwise that layer is peeled here too, partial or not. `plain` is the caller's
 * promise that `text` holds no ESC, no CR and no `_start:` / `_end:` (so no section marker; the line splitter
 * learns it per chunk), which spares the search for terminal codes. Never throws.
 */
export function unwrapLine(text: string, container?: LineWrapper, plain = false): UnwrappedLine {
  // A tail header is never inside a container layer (and a container line never starts `==> `).
  if (container === undefined && !text.startsWith('==> ')) {
    const chunk = unwrapContainerLine(text)
    if (chunk !== undefined) return peelLine(chunk.text, chunk.wrapper, plain)
  }
  return peelLine(text, container, plain)
}

/**
 * `unwrapLine` once the container layer is settled: `container` is that layer, or undefined when the line has
 * none. The pipeline calls this directly, having already looked for the container layer itself.
 */
export function peelLine(text: string, container: LineWrapper | undefined, plain: boolean): UnwrappedLine {
  if (container === undefined && text.startsWith('==> ')) {
    const path = TAIL_HEADER.exec(text)?.groups?.path
    if (path !== undefined) return { text: '', tailHeader: path }
  }
  const layers: LineWrapper[] = container === undefined ? [] : [container]
  let current = text
  // Colour codes can come before a prefix (compose colours the service name), so strip them first.
  const cleanedFirst = plain ? current : stripTerminalCodes(current)
  let terminal = cleanedFirst !== current
  current = cleanedFirst
  const before = layers.length
  let continuesPrevious = false
  while (layers.length < MAX_LAYERS) {
    const layer = peelPrefix(current)
    if (layer === undefined) break
    layers.push(layer.wrapper)
    current = layer.text
    continuesPrevious ||= layer.continuesPrevious === true
  }
  // Nothing peeled: the text was just cleaned, a second pass over it would find nothing.
  const cleanedLast = layers.length === before || plain ? current : stripTerminalCodes(current)
  terminal ||= cleanedLast !== current
  // `gitlab-ctl tail` inside the Omnibus container, read through `docker logs -t`, compose or json-file.
  if (layers.length > 0 && cleanedLast.startsWith('==> ')) {
    const path = TAIL_HEADER.exec(cleanedLast)?.groups?.path
    if (path !== undefined) return { text: '', tailHeader: path }
  }
  const wrapper = mergeLayers(layers) ?? (terminal ? { kind: 'runner' } : undefined)
  const unwrapped: UnwrappedLine = wrapper === undefined ? { text: cleanedLast } : { text: cleanedLast, wrapper }
  if (continuesPrevious) unwrapped.continuesPrevious = true
  return unwrapped
}

/** Strips terminal codes and keeps the last `\r`-separated segment with text (what a terminal would show). */
function stripTerminalCodes(text: string): string {
  // Three native `includes` (memchr-like) beat one hand-written pass over the characters: tried, profiled.
  if (!text.includes('\x1b') && !text.includes('\r') && !text.includes('section_')) return text
  const stripped = text.replace(TERMINAL_CODES, '')
  if (!stripped.includes('\r')) return stripped
  const segments = stripped.split('\r')
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i] ?? ''
    if (segment.trim() !== '') return segment
  }
  return ''
}

/** `dddd-`: how RFC 3339 times (CRI, `docker logs -t`, syslog-ISO) start. */
function startsLikeIsoDate(text: string): boolean {
  return text.charCodeAt(4) === 0x2d && isDigit(text.charCodeAt(0)) && isDigit(text.charCodeAt(3))
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

/** One wrapper layer peeled off a line. */
interface PeeledLayer {
  text: string
  wrapper: LineWrapper
  continuesPrevious?: boolean
}

function peelPrefix(text: string): PeeledLayer | undefined {
  // svlogd, syslog-ISO and `docker logs -t` all start `dddd-`: other lines (every NGINX access line starts
  // with a digit) are ruled out before three RegExps run.
  if (startsLikeIsoDate(text)) {
    // syslog-ISO and the runner's header start like `docker logs -t`, so they are tried first. CRI is only ever
    // the outermost layer.
    const stampEnd = svlogdStampEnd(text)
    if (stampEnd !== -1) {
      const wrapper: LineWrapper = { kind: 'svlogd' }
      setTime(wrapper, parseSvlogdTime(text))
      return { text: text.slice(stampEnd + 1), wrapper }
    }
    const syslogIso = matchSyslogIsoPrefix(text)
    if (syslogIso !== undefined) return peeled(text, syslogIso.match, 'syslog', syslogIso.time)
    const runner = RUNNER_TIMESTAMPS.exec(text)
    if (runner !== null) {
      const layer: PeeledLayer = peeled(text, runner, 'runner', parseIsoTime(runner.groups?.time ?? ''))
      layer.wrapper.stream = runner.groups?.stream === 'E' ? 'stderr' : 'stdout'
      if (runner.groups?.kind === '+') layer.continuesPrevious = true
      return layer
    }
    const timestamps = DOCKER_TIMESTAMPS.exec(text)
    if (timestamps !== null) return peeled(text, timestamps, 'docker-timestamps', parseIsoTime(timestamps.groups?.time ?? ''))
  }
  const syslog = matchSyslogPrefix(text)
  if (syslog !== undefined) return peeled(text, syslog.match, 'syslog', syslog.time)
  if (text.startsWith('{"component"')) return unwrapGitlabLogger(text)
  if (text.startsWith('[pod/')) {
    const prefix = KUBECTL_PREFIX.exec(text)
    if (prefix !== null) return peeled(text, prefix, 'kubectl', undefined)
  }
  const composeEnd = composePrefixEnd(text)
  if (composeEnd !== -1) {
    const name = text.slice(0, text.indexOf(' '))
    return { text: text.slice(composeEnd), wrapper: { kind: 'compose', container: name } }
  }
  return undefined
}

/**
 * Where the svlogd stamp ends (the index of the space after it), or -1. Checked character by character: every
 * line of an Omnibus `current` file has one, and the RegExp with its `groups` object showed in the profile.
 */
function svlogdStampEnd(text: string): number {
  for (let i = 0; i < SVLOGD_SHAPE.length; i++) {
    const code = text.charCodeAt(i)
    const shape = SVLOGD_SHAPE.charCodeAt(i)
    if (shape === 0x64 ? !isDigit(code) : code !== shape) return -1
  }
  let end = SVLOGD_SHAPE.length
  while (isDigit(text.charCodeAt(end))) end++
  return end > SVLOGD_SHAPE.length && text.charCodeAt(end) === 32 ? end : -1
}

/**
 * Where the text after a compose prefix starts (name, padding, `|`, a space or the end), or -1.
 * Read by hand: searching each line for ` |` scanned every line to its end (a profile showed it on every
 * source), while the name's characters rule out almost every line at its first punctuation.
 */
function composePrefixEnd(text: string): number {
  if (!isAlphanumeric(text.charCodeAt(0))) return -1
  let end = 1
  while (end < MAX_COMPOSE_NAME && isComposeNameChar(text.charCodeAt(end))) end++
  if (text.charCodeAt(end) !== 32) return -1
  let bar = end
  while (text.charCodeAt(bar) === 32) bar++
  // The last padding space is where ` |` starts; the padding is bounded like the prefix was.
  if (text.charCodeAt(bar) !== 0x7c || bar - 1 > MAX_COMPOSE_PREFIX) return -1
  if (bar + 1 === text.length) return bar + 1
  return text.charCodeAt(bar + 1) === 32 ? bar + 2 : -1
}

function isAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
}

/** `[\w.@-]`. */
function isComposeNameChar(code: number): boolean {
  return isAlphanumeric(code) || code === 95 || code === 46 || code === 45 || code === 64
}

function peeled(
  text: string,
  match: RegExpExecArray,
  kind: LineWrapper['kind'],
  time: number | undefined,
): { text: string; wrapper: LineWrapper } {
  const wrapper: LineWrapper = { kind }
  setTime(wrapper, time)
  const { host, program, container } = match.groups ?? {}
  if (host !== undefined) wrapper.host = host
  if (program !== undefined) wrapper.program = program
  if (container !== undefined) wrapper.container = container
  return { text: text.slice(match[0].length), wrapper }
}

function setTime(wrapper: LineWrapper, time: number | undefined): void {
  if (time !== undefined) wrapper.time = time
}

/** One wrapper for the stack: the outermost kind, each field from the outermost layer that has it. */
function mergeLayers(layers: readonly LineWrapper[]): LineWrapper | undefined {
  const [outer, ...inner] = layers
  if (outer === undefined) return undefined
  const merged: LineWrapper = { ...outer }
  for (const layer of inner) {
    for (const key of ['time', 'stream', 'container', 'host', 'program'] as const) {
      const value = layer[key]
      if (merged[key] === undefined && value !== undefined) Object.assign(merged, { [key]: value })
    }
  }
  return merged
}
