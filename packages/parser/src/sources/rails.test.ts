import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { createLogParser } from '../create-log-parser.js'
import { isLogEvent } from '../parse-output.js'
import type { LogRecord } from '../define-source.js'
import type { RailsEvent } from '../log-event.js'
import { rails } from './rails.js'

const FIXTURE = new URL('./fixtures/rails.log', import.meta.url)


/** Runs `lines` through the real pipeline with the source forced, as one stream. */
function parseLines(lines: readonly string[], file = 'test.log') {
  const parser = createLogParser({ file, source: 'rails' })
  return [...lines.flatMap((line) => parser.writeLine(line)), ...parser.end()]
}

function parseOne(text: string): ReturnType<typeof rails.parse> {
  return rails.parse({ text, file: 'test.log', line: 1, lineCount: 1 }, rails.createState!())
}

function events(lines: readonly string[]): RailsEvent[] {
  return parseLines(lines).filter((output): output is RailsEvent & { raw: string } => !('unparsed' in output))
}

describe('rails examples', () => {
  test.each(rails.examples)('$title', ({ lines, event }) => {
    expect(parseLines(lines)[0]).toMatchObject(event)
  })
})

describe('production.log request blocks', () => {
  test('a 401 with a halted filter chain carries the request onto Completed', () => {
    const [started, processing, , halted, completed] = events([
      'Started GET "/jwt/auth?account=jdoe&service=container_registry" for 203.0.113.61 at 2024-05-02 08:01:10 +0000',
      'Processing by JwtController#auth as HTML',
      '  Parameters: {"account"=>"jdoe"}',
      'Filter chain halted as :authenticate_project_or_user rendered or redirected',
      'Completed 401 Unauthorized in 44ms (Views: 0.4ms | ActiveRecord: 4.0ms)',
    ])
    expect(started).toMatchObject({ route: 'jwt-auth', method: 'GET' })
    expect(processing).toMatchObject({ path: '/jwt/auth', clientAddress: '203.0.113.61', time: Date.UTC(2024, 4, 2, 8, 1, 10) })
    expect(halted?.path).toBe('/jwt/auth')
    expect(completed).toMatchObject({
      status: 401, durationMs: 44, controller: 'JwtController', action: 'auth', method: 'GET', path: '/jwt/auth',
      route: 'jwt-auth', clientAddress: '203.0.113.61', time: Date.UTC(2024, 4, 2, 8, 1, 10),
      fields: { filter_chain_halted: 'true' },
    })
  })

  test('a 403 without a halt does not claim one', () => {
    const completed = events([
      'Started GET "/jwt/auth?service=container_registry" for 203.0.113.62 at 2024-05-02 08:01:12 +0000',
      'Processing by JwtController#auth as HTML',
      'Completed 403 Forbidden in 9ms (Views: 0.2ms)',
    ])[2]
    expect(completed).toMatchObject({ status: 403, controller: 'JwtController', clientAddress: '203.0.113.62' })
    expect(completed?.fields.filter_chain_halted).toBeUndefined()
  })

  test('interleaved blocks: Processing goes to the nearest unmatched Started, Completed to the block in progress', () => {
    const out = events([
      'Started GET "/jwt/auth?service=container_registry" for 203.0.113.62 at 2024-05-02 08:01:12 +0000',
      'Started GET "/group/app/container_registry" for 198.51.100.7 at 2024-05-02 08:01:13 +0000',
      'Processing by Projects::Registry::RepositoriesController#index as HTML',
      'Processing by JwtController#auth as HTML',
      'Completed 403 Forbidden in 9ms',
      'Completed 200 OK in 118ms',
    ])
    expect(out[2]).toMatchObject({ path: '/group/app/container_registry', clientAddress: '198.51.100.7' })
    expect(out[3]).toMatchObject({ path: '/jwt/auth', clientAddress: '203.0.113.62' })
    expect(out[4]).toMatchObject({ status: 403, controller: 'JwtController', path: '/jwt/auth' })
    expect(out[5]).toMatchObject({ status: 200, controller: 'Projects::Registry::RepositoriesController', path: '/group/app/container_registry' })
  })

  test('Grape API Started lines open no block (their details are in api_json.log)', () => {
    const out = events([
      'Started GET "/group/app" for 198.51.100.7 at 2024-05-02 08:01:12 +0000',
      'Started GET "/api/v4/projects/42" for 198.51.100.8 at 2024-05-02 08:01:13 +0000',
      'Processing by ProjectsController#show as HTML',
    ])
    expect(out[2]).toMatchObject({ path: '/group/app', clientAddress: '198.51.100.7' })
  })

  test('open blocks are bounded: a log of Started lines alone does not grow the state', () => {
    const state = rails.createState!()
    for (let i = 0; i < 1000; i++) {
      rails.parse({ text: `Started GET "/p${i}" for 192.0.2.1 at 2024-05-02 08:00:00 +0000`, file: 'f', line: i + 1, lineCount: 1 }, state)
    }
    expect(state.openRequests.length).toBeLessThanOrEqual(32)
  })

  test('a Completed with no open block is still an event with its status', () => {
    expect(parseOne('Completed 500 Internal Server Error in 38ms (ActiveRecord: 2.0ms)')).toMatchObject({
      status: 500, durationMs: 38, level: 'error', fields: { reason: 'Internal Server Error' },
    })
  })

  test('an exception block after a 500 gets that request', () => {
    const out = events([
      'Started DELETE "/group/old-app" for 198.51.100.7 at 2024-05-02 08:03:00 +0000',
      'Processing by ProjectsController#destroy as HTML',
      'Completed 500 Internal Server Error in 25ms (ActiveRecord: 1.4ms)',
      '  ',
      'Errno::ENOENT (No such file or directory @ rb_sysopen - /var/opt/gitlab/gitlab-rails/etc/gitlab-registry.key):',
      '  ',
      "lib/json_web_token/rsa_token.rb:21:in `read'",
    ])
    expect(out).toHaveLength(4)
    expect(out[3]).toMatchObject({ exceptionClass: 'Errno::ENOENT', controller: 'ProjectsController', action: 'destroy', method: 'DELETE' })
  })
})

describe('production.log exception blocks', () => {
  test('a header over two lines keeps the newline in the message', () => {
    const out = parseLines([
      '  ',
      "ActionView::Template::Error (undefined method `registry_token_expire_delay' for nil:NilClass",
      'Did you mean?  registry_enabled):',
      '  ',
      'app/views/admin/application_settings/_registry.html.haml:8',
      "app/controllers/admin/application_settings_controller.rb:60:in `ci_cd'",
      'Started GET "/" for 192.0.2.1 at 2024-05-02 08:00:00 +0000',
    ])
    expect(out).toHaveLength(2)
    expect(out[0]).toMatchObject({
      exceptionClass: 'ActionView::Template::Error', lineCount: 6,
      exceptionMessage: "undefined method `registry_token_expire_delay' for nil:NilClass\nDid you mean?  registry_enabled",
      backtrace: ['app/views/admin/application_settings/_registry.html.haml:8', "app/controllers/admin/application_settings_controller.rb:60:in `ci_cd'"],
    })
  })

  test.each([
    ['Rails 4.2 indented frame', "  app/models/project.rb:1032:in `rename_repo'", true],
    ['Rails ≥ 5 frame', "lib/json_web_token/rsa_token.rb:21:in `read'", true],
    ['Ruby 3.4 frame', "app/controllers/projects/registry/tags_controller.rb:30:in 'Projects::Registry::TagsController#destroy'", true],
    ['ee/ frame', "ee/app/services/ee/projects/destroy_service.rb:9:in `execute'", true],
    ['gem path frame', "/opt/gitlab/embedded/lib/ruby/gems/3.1.0/gems/faraday-2.7.4/lib/faraday/adapter/net_http.rb:66:in `rescue in block in call'", true],
    ['template frame without a method', 'app/views/projects/registry/repositories/_tag.html.haml:12', true],
    ['a Started line', 'Started GET "/" for 192.0.2.1 at 2024-05-02 08:00:00 +0000', false],
    ['prose with a colon', 'Note: see docs:12 in the admin area', false],
  ])('continues a header with %s → %s', (_name, line, claimed) => {
    const record: LogRecord = { text: '\nException (boom):', file: 'f', line: 1, lineCount: 2 }
    expect(rails.continues?.(line, record)).toBe(claimed)
  })

  test('a separator line claims a following header but not a request line', () => {
    const blank: LogRecord = { text: '  ', file: 'f', line: 1, lineCount: 1 }
    expect(rails.continues?.('Errno::ENOENT (x):', blank)).toBe(true)
    expect(rails.continues?.('Started GET "/" for 192.0.2.1 at 2024-05-02 08:00:00 +0000', blank)).toBe(false)
  })

  test('an unclosed header stops claiming after a bounded number of lines', () => {
    const record: LogRecord = { text: 'Exception (never closed', file: 'f', line: 1, lineCount: 20 }
    expect(rails.continues?.('more text', record)).toBe(false)
    expect(rails.continues?.('more text', { ...record, lineCount: 3 })).toBe(true)
  })

  test('a blank line alone is empty, not an event', () => {
    expect(parseOne('  ')).toEqual({ unparsed: 'empty' })
  })
})

describe('rails JSON lines', () => {
  test.each([
    ['not JSON after all', '{"method":"GET",', { unparsed: 'bad-json' }],
    ['a JSON array', '[1,2]', { unparsed: 'no-match' }],
    ['registry logrus JSON is not Rails', '{"level":"info","msg":"response completed","time":"2024-05-02T08:00:00Z","correlation_id":"x"}', { unparsed: 'no-match' }],
    ['sidekiq seconds durations', '{"severity":"INFO","jid":"a","job_status":"done","class":"W","duration_s":1.5}', { format: 'sidekiq-json', durationMs: 1500 }],
    ['status as a string', '{"controller":"A","action":"b","status":"404","method":"GET","path":"/v2/group/app/manifests/"}', { status: 404, route: 'manifest', reference: '' }],
    ['an out-of-range status is dropped', '{"controller":"A","status":99}', { format: 'production-json' }],
    ['a bad time is dropped, the line kept', '{"severity":"INFO","message":"m","time":"yesterday"}', { message: 'm', fields: { time: 'yesterday' } }],
    ['controller from meta.caller_id', '{"severity":"ERROR","exception.class":"E","meta.caller_id":"JwtController#auth"}', { controller: 'JwtController', action: 'auth' }],
    ['non-string values are JSON-encoded', '{"severity":"INFO","message":"m","extra.ids":[1,2],"extra.ok":true,"extra.none":null}', { fields: { 'extra.ids': '[1,2]', 'extra.ok': 'true', 'extra.none': 'null' } }],
  ])('%s', (_name, line, expected) => {
    expect(parseOne(line)).toMatchObject(expected)
  })

  test.each(['__proto__', 'constructor', 'prototype'])('refuses the %s key', (key) => {
    const parsed = parseOne(`{"severity":"INFO","message":"m","${key}":{"polluted":"yes"}}`)
    expect(parsed).toMatchObject({ message: 'm' })
    const fields = 'fields' in parsed ? parsed.fields : {}
    expect(Object.keys(fields)).not.toContain(key)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  test('an api_json request with a registry route', () => {
    expect(parseOne('{"severity":"INFO","status":404,"method":"GET","path":"/api/v4/projects/42/registry/repositories/99/tags","route":"/api/:version/projects/:id/registry/repositories/:repository_id/tags","remote_ip":"198.51.100.7","ua":"curl/8.5.0","duration_s":0.03}')).toMatchObject({
      format: 'api-json', status: 404, route: 'other', clientAddress: '198.51.100.7', userAgent: 'curl/8.5.0', durationMs: 30,
      message: 'GET /api/v4/projects/42/registry/repositories/99/tags 404',
      fields: { route: '/api/:version/projects/:id/registry/repositories/:repository_id/tags' },
    })
  })
})

describe('free-form lines and sniffing', () => {
  test('an unknown line is Rails only once the stream looked like production.log', () => {
    expect(parseOne('  Rendered projects/edit.html.haml within layouts/project (12.3ms)')).toMatchObject({ format: 'production-log' })
    expect(parseOne('some shell output')).toEqual({ unparsed: 'no-match' })
    const out = parseLines(['Started GET "/" for 192.0.2.1 at 2024-05-02 08:00:00 +0000', 'some gem warning', 'time="2024-05-02T08:00:00Z" level=info msg="x"'])
    expect(out[1]).toMatchObject({ message: 'some gem warning' })
    expect(out[2]).toMatchObject({ unparsed: 'no-match' })
  })

  test('a Started line with an unreadable time is a bad timestamp', () => {
    expect(parseOne('Started GET "/" for 192.0.2.1 at yesterday')).toEqual({ unparsed: 'bad-timestamp' })
  })

  test.each([
    ['Started GET "/jwt/auth" for 192.0.2.1 at 2024-05-02 08:00:00 +0000', 0.8, 1],
    ['Completed 401 Unauthorized in 44ms', 0.8, 1],
    ['{"controller":"JwtController","status":403}', 0.8, 1],
    ['{"severity":"INFO","correlation_id":"x","message":"m"}', 0.8, 1],
    ['{"exception.class":"Errno::ENOENT"}', 0.8, 1],
    ["  app/models/project.rb:1032:in `rename_repo'", 0, 0.2],
    ['time="2024-05-02T08:00:00Z" level=info msg="access" http.request.uri="/v2/"', 0, 0],
    ['{"level":"info","msg":"access","correlation_id":"x"}', 0, 0],
    ['203.0.113.61 - - [02/May/2024:08:01:10 +0000] "GET /v2/ HTTP/1.1" 401 104 "" "docker/24.0.7" 0.84', 0, 0],
    ['2019-11-20T14:05:40.733Z: Deletion failed on acme/web with the following message: boom', 0.5, 1],
    ['2015-07-16T12:24:29.911922605Z time="2015-07-16T12:24:29Z" level=info msg="listening on [::]:5000"', 0, 0],
  ])('sniff(%s) in [%f, %f]', (line, low, high) => {
    const score = rails.sniff(line)
    expect(score).toBeGreaterThanOrEqual(low)
    expect(score).toBeLessThanOrEqual(high)
  })

  test.each(['', '\u0000\u0000\u0000', 'x'.repeat(1_000_000), '\uFFFD\uFFFD{', '{"a":', '((((((((((((((((((((((((((((((', `Completed 200 ${'in '.repeat(20_000)}`])(
    'never throws on hostile input %#',
    (line) => {
      expect(() => parseLines([line, line])).not.toThrow()
      expect(() => rails.sniff(line)).not.toThrow()
    },
  )
})

describe('rails fixture', () => {
  // The golden events are written and compared by sources.test.ts; this checks what the fixture is for.
  const lines = readFileSync(FIXTURE, 'utf8').replace(/\n$/, '').split('\n')
  const out = parseLines(lines, 'rails.log')

  test('every line becomes part of an event', () => {
    expect(out.filter((output) => 'unparsed' in output)).toEqual([])
  })

  test('holds a halted 401, a plain 403, both exception layouts and the JSON logs', () => {
    const railsEvents = out.filter((output): output is RailsEvent => 'source' in output && output.source === 'rails' && !('unparsed' in output))
    const jwt = railsEvents.filter((event) => event.route === 'jwt-auth' && event.status !== undefined && event.format === 'production-log')
    expect(jwt.map((event) => [event.status, event.fields.filter_chain_halted])).toEqual([[401, 'true'], [403, undefined], [200, undefined]])
    expect(railsEvents.filter((event) => event.format === 'production-log' && event.exceptionClass !== undefined).map((event) => event.lineCount)).toEqual([7, 5, 7, 6])
    expect(new Set(railsEvents.map((event) => event.format))).toEqual(
      new Set(['production-log', 'production-json', 'exceptions-json', 'application-json', 'api-json', 'sidekiq-json']),
    )
  })
})

describe('Rails ≥ 7.1 causes', () => {
  test('the next exception block after one with causes is a record of its own', () => {
    const parser = createLogParser({ file: 'production.log' })
    const lines = [
      '  ',
      'Faraday::ConnectionFailed (Failed to open TCP connection to 127.0.0.1:5000 (Connection refused)):',
      '',
      'Causes:',
      'Errno::ECONNREFUSED (Failed to open TCP connection to 127.0.0.1:5000 (Connection refused))',
      '  ',
      "lib/container_registry/client.rb:52:in 'ContainerRegistry::Client#repository_tags'",
      '  ',
      'Errno::ENOENT (No such file or directory @ rb_sysopen - /var/opt/gitlab/gitlab-rails/etc/gitlab-registry.key):',
      '  ',
      "lib/json_web_token/rsa_token.rb:21:in 'read'",
    ]
    const events = [...lines.flatMap((line) => parser.writeLine(line)), ...parser.end()].filter(isLogEvent)
    expect(events.map((event) => [event.source === 'rails' ? event.exceptionClass : undefined, event.lineCount])).toEqual([
      // The separator between the blocks stays with the first, as for every Rails ≥ 5 block.
      ['Faraday::ConnectionFailed', 8],
      ['Errno::ENOENT', 3],
    ])
    expect(events[0]).toMatchObject({ fields: { causes: 'Errno::ECONNREFUSED (Failed to open TCP connection to 127.0.0.1:5000 (Connection refused))' } })
  })
})
