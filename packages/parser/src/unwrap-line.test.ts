import { describe, expect, test } from 'vitest'
import { parseSyslogTime } from './fields/parse-time.js'
import { unwrapContainerLine, unwrapLine } from './unwrap-line.js'

const LOGRUS = 'time="2019-01-02T22:46:08Z" level=info msg="response completed" http.response.status=201'

describe('unwrapLine', () => {
  test.each([
    {
      name: 'kubectl logs --prefix',
      line: `[pod/gitlab-registry-6d9f8b7c5-x2x4z/registry] ${LOGRUS}`,
      text: LOGRUS,
      wrapper: { kind: 'kubectl', host: 'gitlab-registry-6d9f8b7c5-x2x4z', container: 'registry' },
    },
    {
      name: 'svlogd -tt (Omnibus registry/current, DIST#2795)',
      line: `2019-01-02_22:46:08.71504 ${LOGRUS}`,
      text: LOGRUS,
      wrapper: { kind: 'svlogd', time: Date.UTC(2019, 0, 2, 22, 46, 8, 715) },
    },
    {
      name: 'CRI full line',
      line: `2024-01-01T00:00:00.123456789Z stdout F ${LOGRUS}`,
      text: LOGRUS,
      wrapper: { kind: 'cri', stream: 'stdout', time: Date.UTC(2024, 0, 1, 0, 0, 0, 123) },
    },
    {
      name: 'CRI empty line',
      line: '2024-01-01T00:00:00.123456789Z stderr F',
      text: '',
      wrapper: { kind: 'cri', stream: 'stderr', time: Date.UTC(2024, 0, 1, 0, 0, 0, 123) },
    },
    {
      name: 'docker logs -t (DIST#704)',
      line: `2015-07-16T12:24:29.911922605Z ${LOGRUS}`,
      text: LOGRUS,
      wrapper: { kind: 'docker-timestamps', time: Date.UTC(2015, 6, 16, 12, 24, 29, 911) },
    },
    {
      name: 'compose v1 (Portus#1285)',
      line: `registry_1  | ${LOGRUS}`,
      text: LOGRUS,
      wrapper: { kind: 'compose', container: 'registry_1' },
    },
    {
      name: 'compose v2, empty line',
      line: 'registry-1  |',
      text: '',
      wrapper: { kind: 'compose', container: 'registry-1' },
    },
    {
      name: 'compose with colours around the service name',
      line: `\x1b[36mregistry_1  |\x1b[0m ${LOGRUS}`,
      text: LOGRUS,
      wrapper: { kind: 'compose', container: 'registry_1' },
    },
    {
      name: 'docker service logs of a swarm task (docker-gitlab#2867)',
      line: `registry_registry.1.68gouhg7nolw@SRVDOCKER02    | ${LOGRUS}`,
      text: LOGRUS,
      wrapper: { kind: 'compose', container: 'registry_registry.1.68gouhg7nolw@SRVDOCKER02' },
    },
    {
      name: 'compose around docker logs -t (docker compose logs -t)',
      line: `registry-1  | 2015-07-16T12:24:29.911922605Z ${LOGRUS}`,
      text: LOGRUS,
      wrapper: { kind: 'compose', container: 'registry-1', time: Date.UTC(2015, 6, 16, 12, 24, 29, 911) },
    },
    {
      name: 'syslog (harbor#198)',
      line: `May  9 06:45:46 172.18.0.1 docker/registry[2919]: ${LOGRUS}`,
      text: LOGRUS,
      wrapper: { kind: 'syslog', host: '172.18.0.1', program: 'docker/registry', time: parseSyslogTime('May  9 06:45:46') },
    },
    {
      name: 'journald around a dockerd logrus line',
      line: 'May 02 10:31:04 host dockerd[1187]: time="2024-05-02T10:31:04.118209331Z" level=error msg="Upload failed, retrying: EOF"',
      text: 'time="2024-05-02T10:31:04.118209331Z" level=error msg="Upload failed, retrying: EOF"',
      wrapper: { kind: 'syslog', host: 'host', program: 'dockerd', time: parseSyslogTime('May 02 10:31:04') },
    },
    {
      // GitLab charts docs ("Intermittent 502 errors"): a webservice pod's line, read with kubectl logs --timestamps.
      name: "the Helm chart's gitlab-logger around a text log line",
      line: '2024-01-19T14:12:25.214148186Z {"component": "gitlab","subcomponent":"production","timestamp":"2024-01-19T14:12:25.213Z","pid":7414,"message":"Processing by ProjectsController#destroy as HTML"}',
      text: 'Processing by ProjectsController#destroy as HTML',
      wrapper: { kind: 'docker-timestamps', program: 'production', time: Date.UTC(2024, 0, 19, 14, 12, 25, 214) },
    },
    {
      // distribution#2908: the blank line of a Go panic, its trailing space lost on the way.
      name: 'docker logs -t around an empty line, without the space after the time',
      line: '2019-04-28T17:50:31.400968253Z',
      text: '',
      wrapper: { kind: 'docker-timestamps', time: Date.UTC(2019, 3, 28, 17, 50, 31, 400) },
    },
    {
      name: 'journald in a Chinese locale (moby#21091)',
      line: '3月 11 15:18:32 sh-jenkins-01 docker[10226]: time="2016-03-11T15:18:32.207480483+08:00" level=error msg="Upload failed, retrying: EOF"',
      text: 'time="2016-03-11T15:18:32.207480483+08:00" level=error msg="Upload failed, retrying: EOF"',
      wrapper: { kind: 'syslog', host: 'sh-jenkins-01', program: 'docker', time: parseSyslogTime('Mar 11 15:18:32') },
    },
    {
      name: 'journald in a German locale (systemd#27790)',
      line: 'Mai 25 17:32:32 builder dockerd[684]: level=info',
      text: 'level=info',
      wrapper: { kind: 'syslog', host: 'builder', program: 'dockerd', time: parseSyslogTime('May 25 17:32:32') },
    },
    {
      name: 'journald in a French locale (glibc fr_FR: lower-case "mai")',
      line: 'mai 25 17:32:32 builder dockerd[684]: level=info',
      text: 'level=info',
      wrapper: { kind: 'syslog', host: 'builder', program: 'dockerd', time: parseSyslogTime('May 25 17:32:32') },
    },
    {
      name: 'journald in a locale whose month names are not known: no time',
      line: 'Tou 25 17:32:32 builder dockerd[684]: level=info',
      text: 'level=info',
      wrapper: { kind: 'syslog', host: 'builder', program: 'dockerd' },
    },
    {
      // journalctl(1) output modes around harbor#20405's dockerd line.
      name: 'journalctl -o short-precise',
      line: 'May 10 10:18:53.505245 master01 dockerd[2526225]: level=error msg="Upload failed, retrying: EOF"',
      text: 'level=error msg="Upload failed, retrying: EOF"',
      wrapper: { kind: 'syslog', host: 'master01', program: 'dockerd', time: (parseSyslogTime('May 10 10:18:53') ?? 0) + 505 },
    },
    {
      name: 'journalctl -o short-full, numeric zone',
      line: 'Fri 2024-05-10 10:18:53 +07 master01 dockerd[2526225]: level=error msg="Upload failed, retrying: EOF"',
      text: 'level=error msg="Upload failed, retrying: EOF"',
      wrapper: { kind: 'syslog', host: 'master01', program: 'dockerd', time: Date.UTC(2024, 4, 10, 3, 18, 53) },
    },
    {
      name: 'journalctl -o short-full, a zone name only the host can read: no time',
      line: 'Fri 2024-05-10 10:18:53 CEST master01 dockerd[2526225]: level=info',
      text: 'level=info',
      wrapper: { kind: 'syslog', host: 'master01', program: 'dockerd' },
    },
    {
      name: 'journalctl -o short-unix',
      line: '1715311133.999600 master01 dockerd[2526225]: level=info',
      text: 'level=info',
      // Truncated like every other layout's time, not rounded up to the next second.
      wrapper: { kind: 'syslog', host: 'master01', program: 'dockerd', time: 1715311133999 },
    },
    {
      name: 'journalctl -o json',
      line: JSON.stringify({ __CURSOR: 's=1;i=2', __REALTIME_TIMESTAMP: '1715311133505245', _HOSTNAME: 'master01', SYSLOG_IDENTIFIER: 'dockerd', _COMM: 'dockerd', MESSAGE: 'level=info msg="x"' }),
      text: 'level=info msg="x"',
      wrapper: { kind: 'syslog', host: 'master01', program: 'dockerd', time: 1715311133505 },
    },
    {
      name: 'journalctl -o json, a message kept as bytes',
      line: JSON.stringify({ __REALTIME_TIMESTAMP: '1715311133505245', _COMM: 'registry', MESSAGE: [...Buffer.from('level=info msg="\u00e9"')] }),
      text: 'level=info msg="\u00e9"',
      wrapper: { kind: 'syslog', program: 'registry', time: 1715311133505 },
    },
    {
      // timlok/otus-linux homework 14: NGINX logging to rsyslog itself, tag `nginx`, no pid.
      name: 'syslog with ISO time and a numeric offset, no pid',
      line: '2019-04-17T15:14:21+00:00 web-server nginx: 2019/04/17 15:14:21 [emerg] 6071#6071: bind() failed',
      text: '2019/04/17 15:14:21 [emerg] 6071#6071: bind() failed',
      wrapper: { kind: 'syslog', host: 'web-server', program: 'nginx', time: Date.UTC(2019, 3, 17, 15, 14, 21) },
    },
    {
      name: 'syslog with ISO time',
      line: '2024-05-02T10:31:04.118209+00:00 host dockerd[1187]: level=info',
      text: 'level=info',
      wrapper: { kind: 'syslog', host: 'host', program: 'dockerd', time: Date.UTC(2024, 4, 2, 10, 31, 4, 118) },
    },
    {
      name: 'docker json-file (DIST#873)',
      line: JSON.stringify({ log: `${LOGRUS}\n`, stream: 'stderr', time: '2016-07-05T10:11:12.5Z' }),
      text: LOGRUS,
      wrapper: { kind: 'docker-json', stream: 'stderr', time: Date.UTC(2016, 6, 5, 10, 11, 12, 500) },
    },
    {
      name: 'docker json-file around svlogd',
      line: JSON.stringify({ log: `2019-01-02_22:46:08.71504 ${LOGRUS}\r\n`, stream: 'stdout', time: '2016-07-05T10:11:12.5Z' }),
      text: LOGRUS,
      wrapper: { kind: 'docker-json', stream: 'stdout', time: Date.UTC(2016, 6, 5, 10, 11, 12, 500) },
    },
    {
      // gitlabhq lib/gitlab/ci/trace/stream.rb TIMESTAMP_HEADER_REGEX; the text is a docker CLI error.
      name: 'runner ≥ 17 timestamped job log (FF_TIMESTAMPS), stderr',
      line: '2024-05-02T10:11:11.702345Z 01E Error response from daemon: Get "https://registry.example.com/v2/": denied: access forbidden',
      text: 'Error response from daemon: Get "https://registry.example.com/v2/": denied: access forbidden',
      wrapper: { kind: 'runner', stream: 'stderr', time: Date.UTC(2024, 4, 2, 10, 11, 11, 702) },
    },
    {
      name: 'runner ≥ 17 timestamped job log: a section marker after the header, a continued part',
      line: '2024-05-02T10:11:11.201112Z 00O section_start:1714644671:step_script\r\x1b[0K\x1b[36;1mExecuting "step_script" stage\x1b[0;m',
      text: 'Executing "step_script" stage',
      wrapper: { kind: 'runner', stream: 'stdout', time: Date.UTC(2024, 4, 2, 10, 11, 11, 201) },
    },
    {
      name: 'runner trace: section start with title',
      line: 'section_start:1700000000:prepare_executor\r\x1b[0K\x1b[0K\x1b[36;1mPreparing the "docker" executor\x1b[0;m',
      text: 'Preparing the "docker" executor',
      wrapper: { kind: 'runner' },
    },
    {
      name: 'runner trace: coloured error',
      line: '\x1b[31;1mERROR: Job failed: exit code 1\x1b[0;m',
      text: 'ERROR: Job failed: exit code 1',
      wrapper: { kind: 'runner' },
    },
    {
      name: 'runner trace: section end only',
      line: 'section_end:1700000004:prepare_executor\r\x1b[0K',
      text: '',
      wrapper: { kind: 'runner' },
    },
    {
      name: 'TTY progress overwritten with \\r: the last segment with text wins',
      line: '6a8ecde4cc03: Pushing [=> ] 1 MB/205.7 MB\r6a8ecde4cc03: Pushing [==> ] 9.901 MB/205.7 MB\r  ',
      text: '6a8ecde4cc03: Pushing [==> ] 9.901 MB/205.7 MB',
      wrapper: { kind: 'runner' },
    },
  ])('$name', ({ line, text, wrapper }) => {
    const result = unwrapLine(line)
    expect(result.text).toBe(text)
    expect(result.wrapper).toEqual(wrapper)
  })

  test.each([
    { name: 'logrus text', line: LOGRUS },
    { name: 'registry JSON', line: '{"level":"info","msg":"access","time":"2021-05-06T15:52:32Z"}' },
    { name: 'nginx access', line: '10.0.0.1 - - [02/May/2024:10:15:01 +0000] "GET /v2/ HTTP/1.1" 401 87 "" "docker/24.0.7" -' },
    { name: 'nginx error', line: '2024/05/02 10:11:12 [error] 1234#0: *5 connect() failed (111: Connection refused)' },
    { name: 'rails', line: 'Started GET "/jwt/auth?service=container_registry" for 10.0.0.1 at 2024-05-02 10:11:12 +0000' },
    { name: 'docker cli with a colon', line: 'Error response from daemon: Get https://registry.example.com/v2/: x509: certificate signed by unknown authority' },
    { name: 'a pipe inside a sentence', line: 'cat file | grep x' },
    { name: 'an unterminated json-file entry', line: '{"log":"time=\\"2019' },
    { name: 'the word section_ in text', line: 'param section_id=4' },
    { name: "a JSON log gitlab-logger passed through (its own keys merged in)", line: '{"component": "gitlab","subcomponent":"api_json","time":"2024-01-19T14:12:25.213Z","method":"GET","path":"/api/v4/projects","status":200,"message":"x"}' },
  ])('leaves a bare line alone: $name', ({ line }) => {
    expect(unwrapLine(line)).toEqual({ text: line })
  })

  test.each([
    { line: '==> /var/log/gitlab/registry/current <==', path: '/var/log/gitlab/registry/current' },
    { line: '==> /var/log/gitlab/gitlab-rails/production.log <==', path: '/var/log/gitlab/gitlab-rails/production.log' },
    // `docker logs -t gitlab` and `docker compose logs` of the Omnibus container, whose output is `gitlab-ctl tail`.
    { line: '2024-05-02T10:11:12.123456789Z ==> /var/log/gitlab/registry/current <==', path: '/var/log/gitlab/registry/current' },
    { line: 'gitlab-1  | ==> /var/log/gitlab/nginx/gitlab_registry_error.log <==', path: '/var/log/gitlab/nginx/gitlab_registry_error.log' },
    { line: JSON.stringify({ log: '==> /var/log/gitlab/registry/current <==\n', stream: 'stdout', time: '2024-05-02T10:11:12Z' }), path: '/var/log/gitlab/registry/current' },
  ])('recognises the tail -F header $line', ({ line, path }) => {
    expect(unwrapLine(line)).toEqual({ text: '', tailHeader: path })
  })

  test('peels at most three layers of a hostile stack of prefixes', () => {
    const result = unwrapLine(`${'a  | '.repeat(10)}x`)
    expect(result.text).toBe(`${'a  | '.repeat(7)}x`)
  })

  test('an already-peeled container layer is taken as given', () => {
    const result = unwrapLine(`2019-01-02_22:46:08.71504 ${LOGRUS}`, { kind: 'cri', stream: 'stdout', time: 1 })
    expect(result).toEqual({ text: LOGRUS, wrapper: { kind: 'cri', stream: 'stdout', time: 1 } })
  })
})

describe('unwrapContainerLine', () => {
  test.each([
    { line: '2024-01-01T00:00:00Z stdout P abc', text: 'abc', partial: true },
    { line: '2024-01-01T00:00:00Z stdout F def', text: 'def', partial: false },
    { line: JSON.stringify({ log: 'abc', stream: 'stdout', time: '2024-01-01T00:00:00Z' }), text: 'abc', partial: true },
    { line: JSON.stringify({ log: 'def\n', stream: 'stdout', time: '2024-01-01T00:00:00Z' }), text: 'def', partial: false },
  ])('$line → partial $partial', ({ line, text, partial }) => {
    expect(unwrapContainerLine(line)).toMatchObject({ text, partial, wrapper: { time: Date.UTC(2024, 0, 1) } })
  })

  test.each(['{"log":1}', '{"log":"x"', 'stdout F x', '2024-01-01T00:00:00Z stdin F x'])('not a container line: %s', (line) => {
    expect(unwrapContainerLine(line)).toBeUndefined()
  })
})
