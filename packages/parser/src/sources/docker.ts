// docker CLI output, dockerd logrus lines, GitLab Runner job logs and kaniko output. Minimal version; the full parser follows.
import { defineSource } from '../define-source.js'
import type { DockerEvent } from '../log-event.js'

/** docker CLI, dockerd, GitLab Runner job log and kaniko lines. */
export const docker = defineSource<DockerEvent>({
  id: 'docker',
  description: 'docker CLI output, dockerd logrus lines, GitLab Runner job logs and kaniko output',
  fileNames: [/(?:^|\/)job[^/]*\.log$/],
  sniff: (text) => (text.startsWith('Error response from daemon: ') ? 0.9 : 0),
  parse(record) {
    if (!record.text.startsWith('Error response from daemon: ')) return { unparsed: 'no-match' }
    return { source: 'docker', component: 'cli', message: record.text, format: 'docker-cli', fields: Object.create(null) as Record<string, string> }
  },
  examples: [],
})
