import type { LogEvent } from '@registry-logscan/parser'
import { describe, expect, test } from 'vitest'
import { createEventCompactor } from './compact-event.js'
import { compileRules } from './compile-rules.js'
import { at, makeRule, nginxEvent, ruleSet } from './fixtures/events.js'
import { createRuleEngine } from './rule-engine.js'

/** GET /v2/ 200 then content for the same client, a 401 cancels: steps are evidence, `until` only closes. */
const anonymous = makeRule({
  id: 'anonymous',
  sources: ['nginx-access'],
  message: 'Client {clientAddress} was served {path}[ ({fields.upstream_status})]',
  fold: { by: ['repository'], within: '1h' },
  correlate: {
    sequence: {
      within: '10m',
      by: ['clientAddress', 'userAgent'],
      steps: [
        { match: { all: [{ field: 'route', equals: 'base' }, { field: 'status', equals: 200 }] } },
        { match: { all: [{ field: 'route', equals: 'manifest' }, { field: 'status', equals: 200 }] } },
      ],
      until: { match: { field: 'status', equals: 401 } },
    },
  },
})

const request = (route: 'base' | 'manifest', status: number, minute: number): LogEvent =>
  nginxEvent({
    route, status, method: 'GET', clientAddress: '10.0.0.7', userAgent: 'docker/27.0', path: `/v2/${route}`, repository: 'group/app',
    referer: 'https://example.com/', bytes: 512, time: at(minute), line: minute + 1,
    fields: { upstream_status: String(status), request_id: 'abc' },
    raw: `10.0.0.7 - - "GET /v2/${route} HTTP/1.1" ${status} 512 "docker/27.0"`,
  })

describe('createEventCompactor', () => {
  const compiled = compileRules(ruleSet([anonymous]))
  const compact = createEventCompactor(compiled)
  const slot = (role: string) => compiled.slots.findIndex((each) => each.role === role)

  test('an evidence event keeps its text, position, and the fields templates, keys and folds read', () => {
    const event = request('base', 200, 0)
    const copy = compact(event, { hits: [slot('step')] }) as unknown as Record<string, unknown>
    expect(copy).toEqual({
      source: 'nginx-access', file: event.file, line: 1, time: at(0), message: '', raw: event.raw,
      clientAddress: '10.0.0.7', userAgent: 'docker/27.0', path: '/v2/base', repository: 'group/app', fields: { upstream_status: '200' },
    })
  })

  test('an event that only cancels a group keeps the group key, not its text', () => {
    const copy = compact(request('base', 401, 0), { hits: [slot('until')] }) as unknown as Record<string, unknown>
    expect(copy).toEqual({ source: 'nginx-access', file: 'gitlab_access.log', line: 1, time: at(0), message: '', clientAddress: '10.0.0.7', userAgent: 'docker/27.0' })
  })

  test('the engine finds the same findings from compacted events as from whole ones', () => {
    const events = [request('base', 200, 0), request('manifest', 200, 1), request('base', 200, 20), request('base', 401, 21), request('manifest', 200, 22)]
    const run = (shrink: boolean) => {
      const engine = createRuleEngine(compiled)
      const findings = events.flatMap((event) => {
        const match = compiled.matchEvent(event)
        return engine.accept(match === undefined || !shrink ? event : compact(event, match), match)
      })
      return [...findings, ...engine.end()]
    }
    const whole = run(false)
    expect(whole.map((finding) => finding.message)).toEqual(['Client 10.0.0.7 was served /v2/base (200)'])
    expect(run(true)).toEqual(whole)
  })
})
