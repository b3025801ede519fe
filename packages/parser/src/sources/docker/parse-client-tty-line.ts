// logrus TTY lines (`ERRO[0079] …`) of push/pull clients other than kaniko, whose TTY layout the registry shares:
// dockerd run in the foreground (`ERRO[0079] Upload failed, retrying: read tcp …: i/o timeout`, moby#19967),
// crictl (`FATA[0000] pulling image: rpc error: … Get "https://…/v2/": x509: …`, cri-o#5798) and early kaniko
// (`ERRO[0001] Get https://…/v2/: x509: …`, kaniko#224). A line is a client's only when its message says so:
// a message only dockerd writes, or a failed request the client sent to a registry's `/v2/` API.
import type { ParsedFields } from '../../define-source.js'
import type { DockerEvent } from '../../log-event.js'
import { parseLogrusTtyLine } from './logrus-tty-line.js'
import { isDockerdMessage } from './parse-dockerd-line.js'

type Parsed = ParsedFields<DockerEvent>

/** `<Verb> <url>/v2/…: <error>`, after `pulling image: ` (crictl) and gRPC's `rpc error: code = … desc = ` chain. */
const REGISTRY_REQUEST = /(?:^|: |desc = )(?:Get|Head|Post|Put|Patch) "?https?:\/\/[^\s"/]+\/v2\/[^\s"]*"?: /

/** Parses a client's TTY line; undefined for TTY lines of anyone else (the registry, unknown tools). */
export function parseClientTtyLine(text: string): Parsed | undefined {
  const tty = parseLogrusTtyLine(text)
  if (tty === undefined) return undefined
  const { message } = tty
  const dockerd = isDockerdMessage(message)
  if (!dockerd && !REGISTRY_REQUEST.test(message) && !message.includes('error pinging docker registry ')) return undefined
  const event: Parsed = {
    source: 'docker', component: dockerd ? 'dockerd' : 'cli', message, format: 'logrus-tty', fields: Object.create(null) as Record<string, string>,
  }
  if (tty.level !== undefined) event.level = tty.level
  return event
}
