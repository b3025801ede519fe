// The documented lines of the Rails source: docs for readers, and tests (sources.test.ts runs each).
// Lines are from GitLab's docs and issues (shared/spec/formats-nginx-rails-docker.md §2, §4), anonymised.
import type { SourceExample } from '../../define-source.js'
import type { RailsEvent } from '../../log-event.js'

export const railsExamples: readonly SourceExample<RailsEvent>[] = [
  {
    title: 'a /jwt/auth token request starts (production.log)',
    lines: [
      'Started GET "/jwt/auth?account=gitlab-ci-token&client_id=docker&offline_token=[FILTERED]&service=container_registry" for 203.0.113.61 at 2017-12-17 18:37:23 +0700',
    ],
    event: {
      source: 'rails', format: 'production-log', method: 'GET', path: '/jwt/auth', route: 'jwt-auth',
      uri: '/jwt/auth?account=gitlab-ci-token&client_id=docker&offline_token=[FILTERED]&service=container_registry',
      clientAddress: '203.0.113.61', time: Date.UTC(2017, 11, 17, 11, 37, 23),
    },
  },
  {
    title: 'the controller that handles it',
    lines: ['Processing by JwtController#auth as HTML'],
    event: { source: 'rails', controller: 'JwtController', action: 'auth', message: 'Processing by JwtController#auth as HTML' },
  },
  {
    title: 'request parameters (Ruby Hash#inspect, secrets filtered)',
    lines: ['  Parameters: {"account"=>"gitlab-ci-token", "client_id"=>"docker", "offline_token"=>"[FILTERED]", "service"=>"container_registry"}'],
    event: { source: 'rails', format: 'production-log' },
  },
  {
    title: 'wrong credentials halt the filter chain',
    lines: ['Filter chain halted as :authenticate_project_or_user rendered or redirected'],
    event: { source: 'rails', fields: { filter: ':authenticate_project_or_user' } },
  },
  {
    title: 'a 401 completion with its timings',
    lines: ['Completed 401 Unauthorized in 44ms (Views: 0.4ms | ActiveRecord: 4.0ms)'],
    event: { source: 'rails', status: 401, durationMs: 44, fields: { reason: 'Unauthorized', timings: 'Views: 0.4ms | ActiveRecord: 4.0ms' } },
  },
  {
    title: 'a 403 completion with Rails 6 allocation counts',
    lines: ['Completed 403 Forbidden in 12ms (Views: 0.2ms | ActiveRecord: 1.1ms | Elasticsearch: 0.0ms | Allocations: 1902)'],
    event: { source: 'rails', status: 403, durationMs: 12 },
  },
  {
    title: 'a Rails 4.2 exception block (blank line, header, indented frames, blank lines)',
    lines: [
      '',
      'Exception (Project cannot be renamed, because tags are present in its container registry):',
      "  app/models/project.rb:1032:in `rename_repo'",
      "  app/services/projects/update_service.rb:31:in `execute'",
      '',
      '',
    ],
    event: {
      source: 'rails', level: 'error', exceptionClass: 'Exception',
      exceptionMessage: 'Project cannot be renamed, because tags are present in its container registry',
      backtrace: ["app/models/project.rb:1032:in `rename_repo'", "app/services/projects/update_service.rb:31:in `execute'"],
    },
  },
  {
    // GitLab docs, logs page (Sidekiq, text format): the line's own time is peeled like `docker logs -t`.
    title: 'Sidekiq text log (Sidekiq 6)',
    lines: ['2023-05-16T16:08:55.272Z pid=82525 tid=23rl INFO: Initializing websocket'],
    event: { source: 'rails', format: 'sidekiq-text', level: 'info', message: 'Initializing websocket', time: Date.UTC(2023, 4, 16, 16, 8, 55, 272), fields: { pid: '82525', tid: '23rl' } },
  },
  {
    // The Sidekiq 5 layout (gitlabhq/gitlabhq#6068) with a job's failure, as Sidekiq's error handler logs it.
    title: 'Sidekiq text log (Sidekiq 5): a failing job names the exception',
    lines: ['2018-09-23T10:47:01.832Z 596 TID-6e340 ProjectDestroyWorker JID-0a1b2c3d WARN: Errno::ENOENT: No such file or directory @ rb_sysopen - /var/opt/gitlab/gitlab-rails/etc/gitlab-registry.key'],
    event: {
      source: 'rails', format: 'sidekiq-text', level: 'warning', exceptionClass: 'Errno::ENOENT',
      exceptionMessage: 'No such file or directory @ rb_sysopen - /var/opt/gitlab/gitlab-rails/etc/gitlab-registry.key',
      fields: { pid: '596', tid: '6e340', class: 'ProjectDestroyWorker', jid: '0a1b2c3d' },
    },
  },
  {
    // GitLab docs, logs page (graphql_json.log).
    title: 'a graphql_json.log line',
    lines: ['{"query_string":"query IntrospectionQuery{__schema {queryType { name },mutationType { name }}}","variables":{"a":1,"b":2},"complexity":181,"depth":1,"duration_s":7}'],
    event: { source: 'rails', format: 'graphql-json', fields: { complexity: '181', depth: '1' } },
  },
  {
    title: 'Sidekiq text log: an exception class without a namespace',
    lines: ['2023-05-16T16:10:09.101Z pid=82525 tid=11cy9br class=ContainerExpirationPolicies::CleanupContainerRepositoryWorker jid=528f1b0ddc4a9d0690464fe4 WARN: SocketError: Failed to open TCP connection to registry.example.com:5000'],
    event: { format: 'sidekiq-text', exceptionClass: 'SocketError', exceptionMessage: 'Failed to open TCP connection to registry.example.com:5000' },
  },
  {
    // actionpack 7.1 DebugExceptions#log_error: the causes come between the header and the frames.
    title: 'a Rails ≥ 7.1 exception block with its causes: the frames stay the backtrace',
    lines: [
      '  ',
      'Faraday::ConnectionFailed (Failed to open TCP connection to 127.0.0.1:5000 (Connection refused - connect(2) for "127.0.0.1" port 5000)):',
      '',
      'Causes:',
      'Errno::ECONNREFUSED (Failed to open TCP connection to 127.0.0.1:5000 (Connection refused - connect(2) for "127.0.0.1" port 5000))',
      '  ',
      "lib/container_registry/client.rb:52:in 'ContainerRegistry::Client#repository_tags'",
    ],
    event: {
      source: 'rails', exceptionClass: 'Faraday::ConnectionFailed', lineCount: 7,
      exceptionMessage: 'Failed to open TCP connection to 127.0.0.1:5000 (Connection refused - connect(2) for "127.0.0.1" port 5000)',
      backtrace: ["lib/container_registry/client.rb:52:in 'ContainerRegistry::Client#repository_tags'"],
      fields: { causes: 'Errno::ECONNREFUSED (Failed to open TCP connection to 127.0.0.1:5000 (Connection refused - connect(2) for "127.0.0.1" port 5000))' },
    },
  },
  {
    title: 'a Rails ≥ 5 exception block (two-space separators): the missing registry key',
    lines: [
      '  ',
      'Errno::ENOENT (No such file or directory @ rb_sysopen - /var/opt/gitlab/gitlab-rails/etc/gitlab-registry.key):',
      '  ',
      "lib/json_web_token/rsa_token.rb:21:in `read'",
      "lib/json_web_token/rsa_token.rb:21:in `key_data'",
    ],
    event: {
      source: 'rails', exceptionClass: 'Errno::ENOENT',
      exceptionMessage: 'No such file or directory @ rb_sysopen - /var/opt/gitlab/gitlab-rails/etc/gitlab-registry.key',
      backtrace: ["lib/json_web_token/rsa_token.rb:21:in `read'", "lib/json_web_token/rsa_token.rb:21:in `key_data'"],
    },
  },
  {
    title: 'the missing registry key as the docs quote it (Ruby `Class: message`)',
    lines: ['Errno::ENOENT: No such file or directory @ rb_sysopen - /var/opt/gitlab/gitlab-rails/etc/gitlab-registry.key'],
    event: {
      source: 'rails', exceptionClass: 'Errno::ENOENT',
      exceptionMessage: 'No such file or directory @ rb_sysopen - /var/opt/gitlab/gitlab-rails/etc/gitlab-registry.key',
    },
  },
  {
    title: 'an empty tag name: the message holds parentheses, `=>` and brackets',
    lines: [
      'ActionController::UrlGenerationError (No route matches {:action=>"destroy", :controller=>"projects/registry/tags", :id=>"", :namespace_id=>"group", :project_id=>"app", :repository_id=>12} missing required keys: [:id]):',
    ],
    event: {
      source: 'rails', exceptionClass: 'ActionController::UrlGenerationError',
      exceptionMessage:
        'No route matches {:action=>"destroy", :controller=>"projects/registry/tags", :id=>"", :namespace_id=>"group", :project_id=>"app", :repository_id=>12} missing required keys: [:id]',
    },
  },
  {
    title: 'Rails cannot reach the registry (charts#1203)',
    lines: ['Faraday::ConnectionFailed (Failed to open TCP connection to gitlab-registry:5000 (getaddrinfo: Name or service not known)):'],
    event: {
      exceptionClass: 'Faraday::ConnectionFailed',
      exceptionMessage: 'Failed to open TCP connection to gitlab-registry:5000 (getaddrinfo: Name or service not known)',
    },
  },
  {
    title: 'Sentry reporting line',
    lines: ['Sending event 8a6e2e1c0b3a4c5d9e8f7a6b5c4d3e2f to Sentry'],
    event: { source: 'rails', format: 'production-log', message: 'Sending event 8a6e2e1c0b3a4c5d9e8f7a6b5c4d3e2f to Sentry' },
  },
  {
    title: 'production_json: a /jwt/auth 403 without credentials',
    lines: [
      '{"method":"GET","path":"/jwt/auth","format":"html","controller":"JwtController","action":"auth","status":403,"time":"2024-05-02T08:01:11.412Z","params":[{"key":"account","value":"jdoe"},{"key":"client_id","value":"docker"},{"key":"offline_token","value":"[FILTERED]"},{"key":"service","value":"container_registry"}],"remote_ip":"203.0.113.61","ua":"docker/24.0.7 go/go1.20.10 git-commit/311b9ff kernel/5.15.0-105-generic os/linux arch/amd64 UpstreamClient(Docker-Client/24.0.7 \\\\(linux\\\\))","correlation_id":"01HWXN3T3K7Q9Z8Y6X5W4V3U2T","meta.caller_id":"JwtController#auth","meta.remote_ip":"203.0.113.61","meta.feature_category":"container_registry","meta.client_id":"ip/203.0.113.61","duration_s":0.01234}',
    ],
    event: {
      source: 'rails', format: 'production-json', method: 'GET', path: '/jwt/auth', route: 'jwt-auth', status: 403,
      controller: 'JwtController', action: 'auth', clientAddress: '203.0.113.61', durationMs: 12.34,
      correlationId: '01HWXN3T3K7Q9Z8Y6X5W4V3U2T', time: Date.UTC(2024, 4, 2, 8, 1, 11, 412), message: 'GET /jwt/auth 403',
    },
  },
  {
    title: 'production_json, old schema: `error` as "Class: message", durations in ms (omnibus-gitlab#3703)',
    lines: [
      '{"method":"GET","path":"/group/app/container_registry","format":"html","controller":"Projects::Registry::RepositoriesController","action":"index","status":500,"error":"Errno::EADDRNOTAVAIL: Failed to open TCP connection to localhost:5000 (Cannot assign requested address - connect(2) for \\"localhost\\" port 5000)","duration":48.43,"view":0.0,"db":3.1,"time":"2018-06-25T12:01:02.345Z","params":[],"remote_ip":"198.51.100.7","user_id":5,"username":"jdoe"}',
    ],
    event: {
      format: 'production-json', status: 500, durationMs: 48.43, exceptionClass: 'Errno::EADDRNOTAVAIL',
      exceptionMessage: 'Failed to open TCP connection to localhost:5000 (Cannot assign requested address - connect(2) for "localhost" port 5000)',
    },
  },
  {
    title: 'exceptions_json: the registry client cannot connect',
    lines: [
      '{"severity":"ERROR","time":"2024-05-02T08:15:00.101Z","correlation_id":"01HWXP0A1B2C3D4E5F6G7H8J9K","exception.class":"Faraday::ConnectionFailed","exception.message":"Failed to open TCP connection to 127.0.0.1:5000 (Connection refused - connect(2) for \\"127.0.0.1\\" port 5000)","exception.backtrace":["lib/container_registry/base_client.rb:120:in `faraday\'","lib/container_registry/client.rb:40:in `repository_tags\'"],"extra.class":"ContainerRegistry::BaseClient","extra.url":"http://127.0.0.1:5000/v2/group/app/tags/list"}',
    ],
    event: {
      format: 'exceptions-json', level: 'error', exceptionClass: 'Faraday::ConnectionFailed',
      backtrace: ["lib/container_registry/base_client.rb:120:in `faraday'", "lib/container_registry/client.rb:40:in `repository_tags'"],
      fields: { 'extra.class': 'ContainerRegistry::BaseClient', 'extra.url': 'http://127.0.0.1:5000/v2/group/app/tags/list' },
    },
  },
  {
    title: 'application_json: a transfer refused because of registry tags',
    lines: [
      '{"severity":"ERROR","time":"2024-05-02T09:00:00.000Z","correlation_id":"01HWXR5M6N7P8Q9R0S1T2U3V4W","message":"Project was not transferred to a new namespace","project_id":42,"project_path":"group/app","error_message":"Project cannot be transferred, because image tags are present in its container registry"}',
    ],
    event: {
      format: 'application-json', level: 'error', message: 'Project was not transferred to a new namespace',
      exceptionMessage: 'Project cannot be transferred, because image tags are present in its container registry',
      fields: { project_id: '42', project_path: 'group/app' },
    },
  },
  {
    title: 'Sidekiq JSON: a failed job with the old error keys (gitlab#16238)',
    lines: [
      '{"severity":"WARN","time":"2019-03-11T10:12:13.141Z","class":"ProjectDestroyWorker","args":["42","5","[FILTERED]"],"retry":0,"queue":"project_destroy","jid":"4f0b2c6d8e1a3b5c7d9e0f1a","job_status":"fail","message":"ProjectDestroyWorker JID-4f0b2c6d8e1a3b5c7d9e0f1a: fail: 0.42 sec","error_message":"Not a directory @ rb_sysopen - config/registry.key","error_class":"Errno::ENOTDIR","duration":0.42}',
    ],
    event: {
      format: 'sidekiq-json', level: 'warning', exceptionClass: 'Errno::ENOTDIR',
      exceptionMessage: 'Not a directory @ rb_sysopen - config/registry.key', fields: { job_status: 'fail', class: 'ProjectDestroyWorker' },
    },
  },
  {
    title: 'application.log (text): a project deletion that failed on the registry key',
    lines: [
      '2019-11-20T14:05:40.733Z: Deletion failed on acme/old-service with the following message: No such file or directory @ rb_sysopen - /var/opt/gitlab/gitlab-rails/etc/gitlab-registry.key',
    ],
    event: {
      source: 'rails', format: 'application-log', time: Date.UTC(2019, 10, 20, 14, 5, 40, 733),
      message: 'Deletion failed on acme/old-service with the following message: No such file or directory @ rb_sysopen - /var/opt/gitlab/gitlab-rails/etc/gitlab-registry.key',
    },
  },
  {
    title: 'application.log (text) before 12.x: a zone-less long time, so no time',
    lines: ['November 20, 2017 14:05: User "jdoe" (jdoe@example.com) was created'],
    event: { source: 'rails', format: 'application-log', message: 'User "jdoe" (jdoe@example.com) was created' },
  },
]
