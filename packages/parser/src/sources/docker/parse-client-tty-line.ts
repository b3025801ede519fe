// logrus TTY lines (`ERRO[0079] …`) of push/pull clients other than kaniko, whose TTY layout the registry shares:
// dockerd run in the foreground (`ERRO[0079] Upload failed, retrying: read tcp …: i/o timeout`, moby#19967),
// crictl (`FATA[0000] pulling image: rpc error: … Get "https://…/v2/": x509: …`, cri-o#5798) and early kaniko
// (`ERRO[0001] Get https://…/v2/: x509: …`, kaniko#224). A line is a client's only when its message says so:
// a message only dockerd writes, or a failed request the client sent to a registry's `/v2/` API.
import type { ParsedFields } from '../../define-source.js'
import type { DockerEvent, LogLevel } from '../../log-event.js'
import { isDockerdMessage } from './parse-dockerd-line.js'

type Parsed = ParsedFields<DockerEvent>

const TTY_LINE = /^(?<level>TRAC|DEBU|INFO|WARN|ERRO|FATA|PANI)\[[^\]\s]{1,40}\] (?<message>.*)$/
/** `<Verb> <url>/v2/…: <error>`, after `pulling image: ` (crictl) and gRPC's `rpc error: code = … desc = ` chain. */
const REGISTRY_REQUEST = /(?:^|: |desc = )(?:Get|Head|Post|Put|Patch) "?https?:\/\/[^\s"/]+\/v2\/[^\s"]*"?: /
const LEVELS = new Map<string, LogLevel>([
  ['TRAC', 'trace'], ['DEBU', 'debug'], ['INFO', 'info'], ['WARN', 'warning'], ['ERRO', 'error'], ['FATA', 'fatal'], ['PANI', 'panic'],
])

/** Parses a client's TTY line; undefined for TTY lines of anyone else (the registry, unknown tools). */
export function parseClientTtyLine(text: string): Parsed | undefined {
  const groups = TTY_LINE.exec(text)?.groups
  const message = groups?.message?.trimEnd()
  if (message === undefined) return undefined
  const dockerd = isDockerdMessage(message)
  if (!dockerd && !REGISTRY_REQUEST.test(message) && !message.includes('error pinging docker registry ')) return undefined
  const event: Parsed = {
    source: 'docker', component: dockerd ? 'dockerd' : 'cli', message, format: 'logrus-tty', fields: Object.create(null) as Record<string, string>,
  }
  const level = LEVELS.get(groups?.level ?? '')
  if (level !== undefined) event.level = level
  return event
}
