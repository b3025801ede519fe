// The text of `--help`: every option of ../../../shared/spec/cli-contract.md, with examples that work as written.

export const USAGE = `registry-logscan — reads GitLab container registry, NGINX, Rails and docker logs and tells you what is
broken and how to fix it.

Usage:
  registry-logscan [options] [PATH|GLOB|-]…   scan files, globs (quote them), directories, or stdin (- or nothing)
  registry-logscan parse [PATH…]              print every line as the typed event it became (NDJSON)
  registry-logscan rules list                 the rules that would run
  registry-logscan rules show ID              one rule: what it detects, the fix, the docs
  registry-logscan rules test [DIR|FILE…]     run the examples embedded in rule files

Options:
  --format text|ndjson|json   text for people (default); ndjson: one finding per line as it happens;
                              json: one document {findings, summary} at the end
  --rules DIR|FILE            also load the rule files in DIR, or one rule file (repeatable; an existing id
                              is replaced)
  --only ID,…                 run only these rules          --disable ID,…   skip these rules
  --fail-on SEVERITY          exit 1 when a finding is at or above info|warning|error|critical
                              (without it, findings are reported and the exit code is 0)
  -f, --follow                keep reading files as they grow, across rotation, and wait for files that do not
                              exist yet (like tail -F); Ctrl-C ends
  --workers N                 worker threads for matching (default: by input size; 0 = in-thread)
  --summary                   after the findings: per-rule counts, line accounting, unreadable inputs
  --source SOURCE             force the format: registry|nginx-access|nginx-error|rails|docker|proxy
  --max-line-length BYTES     longer lines are counted as oversized and skipped (default 65536)
  --no-color                  no colours (also NO_COLOR=1; FORCE_COLOR=1 forces them)
  -h, --help                  this text        -V, --version   the version

Examples:
  registry-logscan /var/log/gitlab/                       post-mortem over an Omnibus install (logs of services
                                                          no rule reads, like Gitaly, are left out and listed)
  registry-logscan --summary '/var/log/gitlab/registry/*' rotated and gzipped files, oldest first
  tail -F /var/log/gitlab/registry/current | registry-logscan --only s3-unexpected-eof
  registry-logscan -f /var/log/gitlab/nginx/gitlab_registry_error.log /var/log/gitlab/registry/current
  kubectl logs deploy/registry | registry-logscan --source registry --format ndjson
  registry-logscan --format json --fail-on error logs/ > report.json    (CI: exit 1 on errors)
  registry-logscan parse --source nginx-access access.log | head

Exit codes: 0 nothing at or above --fail-on · 1 findings at or above --fail-on ·
            2 usage error, an input that could not be read, or an invalid rule file
`
