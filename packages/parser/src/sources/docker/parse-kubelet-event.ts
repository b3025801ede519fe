// The kubelet's image-pull events, as `kubectl describe pod` and `kubectl get events` print them, or pasted
// bare: what a Kubernetes node says when it cannot pull a job's image (the Kubernetes executor's pods).
//   Warning  Failed  11s (x2 over 24s)  kubelet  Failed to pull image "<ref>": … x509: certificate signed by unknown authority
// The table's columns (type, reason, age, source) vary across kubectl versions, so the line is recognised by
// the event message the kubelet writes (pkg/kubelet/images/image_manager.go), wherever it starts.
import type { ParsedFields } from '../../define-source.js'
import type { DockerEvent } from '../../log-event.js'

type Parsed = ParsedFields<DockerEvent>

/** The kubelet's pull messages, each naming the image in quotes. */
const PULL_MESSAGES = ['Failed to pull image "', 'Pulling image "', 'Back-off pulling image "', 'Successfully pulled image "']
/** What may come before the message: nothing, or an events table's columns (`-A` puts the namespace first). */
const TABLE_ROW = /^\s*(?:\S+\s+){0,2}(?:Normal|Warning)\s/

/** Parses a kubelet pull event; undefined for any other line. */
export function parseKubeletEvent(text: string): Parsed | undefined {
  // Every pull message names its image: one search rules out almost every line before the four below.
  if (!text.includes('image "')) return undefined
  let start = -1
  for (const message of PULL_MESSAGES) {
    start = text.indexOf(message)
    if (start !== -1) break
  }
  if (start === -1 || (start > 0 && !TABLE_ROW.test(text))) return undefined
  const message = text.slice(start)
  const event: Parsed = { source: 'docker', component: 'kubelet', message, format: 'kubelet-event', fields: Object.create(null) as Record<string, string> }
  const quote = message.indexOf('"')
  const end = message.indexOf('"', quote + 1)
  if (end > quote + 1) event.imageReference = message.slice(quote + 1, end)
  if (message.startsWith('Failed to pull image "')) {
    event.level = 'warning'
    const cause = message.indexOf('": ', end)
    if (cause === end) event.error = message.slice(end + 3)
  }
  return event
}
