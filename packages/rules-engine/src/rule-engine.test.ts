import { describe, expect, test } from 'vitest'
import { compileRules } from './compile-rules.js'
import { at, makeRule, nginxEvent, registryEvent, ruleSet } from './fixtures/events.js'
import { createRuleEngine } from './rule-engine.js'

const eof = makeRule({
  id: 's3-unexpected-eof',
  message: 'S3 cut the upload of {repository} short: {errorDetail}',
  match: { all: [{ field: 'errorCode', equals: 'UNKNOWN' }, { field: 'errorDetail', equals: 'unexpected EOF' }] },
  fold: { by: ['repository'], within: '10m' },
  verify: ['aws s3 ls'],
  tags: ['s3'],
})

const line = (repository: string | undefined, time: number | undefined) =>
  registryEvent({
    errorCode: 'UNKNOWN', errorDetail: 'unexpected EOF', ...(repository !== undefined && { repository }), ...(time !== undefined && { time }),
    raw: `time="…" level=error msg="response completed with error" err.code=unknown err.detail="unexpected EOF" vars.name="${repository ?? ''}"`,
  })

describe('folding', () => {
  test('repeats of one group within the window fold into the first finding, which keeps counting', () => {
    const engine = createRuleEngine(compileRules(ruleSet([eof])))
    const first = engine.process(line('group/app', at(0)))
    expect(first).toHaveLength(1)
    expect(engine.process(line('group/app', at(5)))).toEqual([])
    expect(engine.process(line('group/app', at(9)))).toEqual([])
    expect(first[0]).toMatchObject({ count: 3, time: '2024-05-02T10:00:00.000Z', lastTime: '2024-05-02T10:09:00.000Z' })
    expect(engine.stats()).toMatchObject({ folded: 2, rules: { 's3-unexpected-eof': { count: 3, first: '2024-05-02T10:00:00.000Z', last: '2024-05-02T10:09:00.000Z', sources: ['registry'], files: ['registry.log'] } } })
  })

  test('other groups and repeats past the window are new findings', () => {
    const engine = createRuleEngine(compileRules(ruleSet([eof])))
    const findings = [line('group/app', at(0)), line('group/other', at(1)), line('group/app', at(11))].flatMap((event) => engine.process(event))
    expect(findings.map((finding) => finding.message)).toEqual([
      'S3 cut the upload of group/app short: unexpected EOF',
      'S3 cut the upload of group/other short: unexpected EOF',
      'S3 cut the upload of group/app short: unexpected EOF',
    ])
    expect(engine.stats().folded).toBe(0)
  })

  test('older repeats (a later file covering earlier hours) fold only within the window, and lastTime only moves forward', () => {
    const engine = createRuleEngine(compileRules(ruleSet([eof])))
    const first = engine.process(line('group/app', at(60)))
    expect(engine.process(line('group/app', at(55)))).toEqual([])
    expect(first[0]?.count).toBe(2)
    expect(first[0]?.lastTime).toBeUndefined()
    const older = engine.process(line('group/app', at(0)))
    expect(older).toHaveLength(1)
    expect(older[0]?.time).toBe('2024-05-02T10:00:00.000Z')
    // The rule's first and last are the earliest and latest times, whatever the order they were read in.
    expect(engine.stats().rules['s3-unexpected-eof']).toMatchObject({ count: 3, first: '2024-05-02T10:00:00.000Z', last: '2024-05-02T11:00:00.000Z' })
  })

  test('two interleaved runs of one key (two files over the same hours) keep a window each', () => {
    const engine = createRuleEngine(compileRules(ruleSet([eof])))
    const findings = [60, 0, 61, 1].flatMap((minute) => engine.process(line('group/app', at(minute))))
    expect(findings.map((finding) => [finding.time, finding.count])).toEqual([
      ['2024-05-02T11:00:00.000Z', 2],
      ['2024-05-02T10:00:00.000Z', 2],
    ])
  })

  test('untimed repeats fold', () => {
    const engine = createRuleEngine(compileRules(ruleSet([eof])))
    expect([line('a', undefined), line('a', undefined)].flatMap((event) => engine.process(event))).toHaveLength(1)
  })
})

describe('findings', () => {
  test('carry the rule texts, the first line and redacted evidence', () => {
    const engine = createRuleEngine(compileRules(ruleSet([eof])))
    const event = registryEvent({
      errorCode: 'UNKNOWN', errorDetail: 'unexpected EOF', repository: 'group/app', time: at(0), line: 12, file: '/var/log/gitlab/registry/current',
      raw: 'msg="response completed with error" err.detail="unexpected EOF" http.request.uri="/v2/x?private_token=glpat-SECRETSECRET"',
    })
    const [finding] = engine.process(event)
    expect(finding).toEqual({
      rule: 's3-unexpected-eof', severity: 'error', title: 'A test rule', source: 'registry', file: '/var/log/gitlab/registry/current', line: 12,
      time: '2024-05-02T10:00:00.000Z', message: 'S3 cut the upload of group/app short: unexpected EOF',
      evidence: [{
        file: '/var/log/gitlab/registry/current', line: 12, source: 'registry', time: '2024-05-02T10:00:00.000Z',
        text: 'msg="response completed with error" err.detail="unexpected EOF" http.request.uri="/v2/x?private_token=[REDACTED]"',
      }],
      remediation: 'Fix it.', docs: 'https://docs.gitlab.com/', count: 1, verify: ['aws s3 ls'], tags: ['s3'],
    })
  })

  test('message values are sanitised and redacted; a missing field prints -', () => {
    const rule = makeRule({ id: 'msg', sources: ['nginx-access'], message: '{uri} by {userAgent} ({referer})', match: { field: 'status', equals: 401 }, tags: [] })
    const engine = createRuleEngine(compileRules(ruleSet([rule])))
    const [finding] = engine.process(nginxEvent({ status: 401, uri: '/v2/\u001b[31mred\nline?token=abc123', userAgent: 'Bearer eyJhbGciOi.eyJzdWIiOi.sig' }))
    expect(finding?.message).toBe('/v2/ [31mred line?token=[REDACTED] by Bearer [REDACTED] (-)')
    expect(finding).not.toHaveProperty('tags')
  })

  test('accept() with no match only moves time on', () => {
    const engine = createRuleEngine(compileRules(ruleSet([eof])))
    expect(engine.accept(nginxEvent({ time: at(0) }), undefined)).toEqual([])
    expect(engine.stats()).toEqual({ rules: {}, folded: 0, evicted: 0 })
  })

  test('streamTime gives an untimed event the time of its own input', () => {
    const rule = makeRule({
      id: 'pair', sources: ['registry'], message: 'x',
      correlate: { sequence: { within: '1m', steps: [{ match: { field: 'message', equals: 'first' } }, { match: { field: 'message', equals: 'second' } }] } },
    })
    const compiled = compileRules(ruleSet([rule]))
    const run = (streamTime: number | undefined) => {
      const engine = createRuleEngine(compiled)
      const first = registryEvent({ message: 'first', raw: 'first', time: at(0) })
      const second = registryEvent({ message: 'second', raw: 'second' })
      engine.accept(first, compiled.matchEvent(first))
      return engine.accept(second, compiled.matchEvent(second), streamTime).length
    }
    expect(run(undefined)).toBe(1)
    expect(run(at(0, 30))).toBe(1)
    expect(run(at(5))).toBe(0)
  })

  test('a worker-side match can be replayed on the main thread', () => {
    const compiled = compileRules(ruleSet([eof]))
    const event = line('a', at(0))
    const match = structuredClone(compiled.matchEvent(event))
    expect(match).toEqual({ hits: [0] })
    expect(createRuleEngine(compiled).accept(event, match)).toHaveLength(1)
  })
})
