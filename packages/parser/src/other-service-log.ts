// Logs of the GitLab services around the registry that no rule reads. A post-mortem over /var/log/gitlab
// (or a support bundle, or a node's /var/log/pods) holds gigabytes of them, and some look like the
// registry's own logs: Workhorse writes the same LabKit JSON access lines (`"msg":"access"`, `uri`,
// `status`), Gitaly, Praefect, Pages and KAS the same logrus lines. Read as registry logs they would be
// counted as registry traffic and could fire registry rules, so a scan of a directory or glob leaves them out.
// Only the directory a log sits in tells them apart: Omnibus names it after the service, and Kubernetes
// after the container (`/var/log/pods/<pod>/<container>/0.log`, `/var/log/containers/<pod>_<ns>_<container>-<id>.log`).

/**
 * Omnibus service log directories and Helm chart container names whose logs hold nothing the rules read.
 * `nginx`, `registry`, `gitlab-rails`, `puma`, `unicorn`, `sidekiq` and `webservice` are not here: their logs are read.
 */
const OTHER_SERVICES: ReadonlySet<string> = new Set([
  'gitaly', 'praefect', 'gitlab-workhorse', 'gitlab-shell', 'gitlab-sshd', 'gitlab-pages', 'gitlab-kas', 'kas',
  'postgresql', 'patroni', 'pgbouncer', 'geo-postgresql', 'geo-logcursor', 'redis', 'sentinel', 'consul',
  'prometheus', 'alertmanager', 'grafana', 'node-exporter', 'redis-exporter', 'postgres-exporter',
  'pgbouncer-exporter', 'gitlab-exporter', 'gitlab-monitor', 'logrotate', 'crond', 'mattermost', 'mailroom',
  'spamcheck', 'spam-classifier', 'storage-check', 'reconfigure',
])

/** `<pod>_<namespace>_<container>-<64 hex container id>.log`, the kubelet's symlinks in /var/log/containers. */
const CONTAINER_LOG_NAME = /^[^_/]+_[^_/]+_(.+)-[0-9a-f]{64}\.log$/

/**
 * Whether a container name is one of the GitLab services no rule reads: the Kubernetes container name itself,
 * or a compose container (`gitaly-1`, `gitlab_gitaly_1`, swarm's `gitlab_gitaly.1.<task>@<node>`) of that service.
 */
export function isOtherServiceName(name: string): boolean {
  if (name === '') return false
  let verdict = VERDICTS.get(name)
  if (verdict === undefined) {
    verdict = judgeName(name)
    // Container names repeat on every line of a stream: each is judged once (bounded, names are attacker input).
    if (VERDICTS.size < MAX_VERDICTS) VERDICTS.set(name, verdict)
  }
  return verdict
}

const VERDICTS = new Map<string, boolean>()
const MAX_VERDICTS = 1024

function judgeName(name: string): boolean {
  if (OTHER_SERVICES.has(name)) return true
  const service = name.replace(SWARM_TASK, '').replace(REPLICA, '')
  if (OTHER_SERVICES.has(service)) return true
  const separator = Math.max(service.lastIndexOf('_'), service.lastIndexOf('-'))
  // `<project>-<service>` / `<project>_<service>`; service names with a dash of their own (`gitlab-workhorse`) too.
  for (let at = separator; at > 0; at = Math.max(service.lastIndexOf('_', at - 1), service.lastIndexOf('-', at - 1))) {
    if (OTHER_SERVICES.has(service.slice(at + 1))) return true
  }
  return false
}

/** swarm's `.<slot>.<task id>@<node>` after a service name. */
const SWARM_TASK = /\.\d{1,6}\.[a-z0-9]{1,64}(?:@[^@\s]{1,253})?$/
/** compose's replica number: `-1` (v2), `_1` (v1). */
const REPLICA = /[-_]\d{1,6}$/

/**
 * The GitLab service `path` is a log of, when it is one whose logs no rule reads (`gitaly`, `postgresql`, …);
 * undefined for every other path, including the logs this tool reads.
 */
export function otherServiceOf(path: string): string | undefined {
  const parts = path.replaceAll('\\', '/').split('/')
  const name = parts.at(-1) ?? ''
  const container = CONTAINER_LOG_NAME.exec(name)?.[1]
  if (container !== undefined) return OTHER_SERVICES.has(container) ? container : undefined
  const directory = parts.at(-2)
  return directory !== undefined && OTHER_SERVICES.has(directory) ? directory : undefined
}
