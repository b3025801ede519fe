import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { compileCondition } from './compile-condition.js'
import { compileRules } from './compile-rules.js'
import { dockerEvent, makeRule, nginxEvent, railsEvent, registryEvent, ruleSet } from './fixtures/events.js'
import { regexLiteral } from './regex-literal.js'
import { longestSafePiece, requiredLiterals } from './required-literals.js'
import type { Condition } from './rule-schema.js'

const noNames = { macros: {}, lists: {} }

describe('regexLiteral', () => {
  test.each<[string, string | undefined]>([
    ['token signed by untrusted key', 'token signed by untrusted key'],
    ['^err\\.detail="unexpected EOF"$', 'err.detail="unexpected EOF"'],
    ['connect\\(\\) failed \\(111: Connection refused\\)', 'connect() failed (111: Connection refused)'],
    ['x509: certificate signed by (unknown|untrusted) authority', 'x509: certificate signed by '],
    ['abc|def', undefined],
    ['colou?r scheme', 'r scheme'],
    ['ab*c longer tail', 'c longer tail'],
    ['ab+c', 'ab'],
    ['a{0,3}bcd', 'bcd'],
    ['[a-z]+ upload unknown\\d+', ' upload unknown'],
    ['\\x41BCD efg', 'BCD efg'],
    ['\\u0041BC defgh', 'BC defgh'],
    ['(?:rename|update) the path of (\\w+)', ' the path of '],
    ['.*', undefined],
    ['\\/v2\\/[^/]+\\/manifests\\/$', '/manifests/'],
    ['(a)\\1 repeated', ' repeated'],
  ])('%s → %j', (pattern, expected) => {
    expect(regexLiteral(pattern)).toBe(expected)
  })
})

test.each<[string, string]>([
  ['unexpected EOF', 'unexpected EOF'],
  ['err.detail="unexpected EOF"', 'unexpected EOF'],
  ['a<b>c & d', 'c '],
  ['tags présent in the registry', 'sent in the registry'],
])('longestSafePiece(%j) = %j', (text, expected) => {
  expect(longestSafePiece(text)).toBe(expected)
})

describe('requiredLiterals', () => {
  test.each<[string, Condition, string[] | undefined]>([
    ['equals on a verbatim field', { field: 'errorDetail', equals: 'unexpected EOF' }, ['unexpected EOF']],
    ['an error code gives its longest word, case-insensitively', { field: 'errorCode', equals: 'BLOB_UPLOAD_UNKNOWN' }, ['unknown']],
    ['an error code of another shape is kept as logged', { field: 'errorCode', equals: 'E-4711' }, ['E-4711']],
    ['a status gives its number token', { field: 'status', equals: 404 }, ['404']],
    ['numeric comparisons give nothing', { field: 'status', gte: 500 }, undefined],
    ['a route gives what its path contains', { field: 'route', equals: 'blob-upload' }, ['/blobs/uploads']],
    ['route alternatives give the union', { field: 'route', oneOf: ['manifest', 'debug'] }, ['/manifests/', '/debug']],
    ['a route without a mapping gives nothing', { field: 'route', oneOf: ['manifest', 'other'] }, undefined],
    ['a method is kept as logged', { field: 'method', equals: 'PUT' }, ['PUT']],
    ['a retry delay needs the retry phrase', { field: 'retryInSeconds', gte: 15 }, ['Retrying in ']],
    ['absent fields need nothing', { field: 'retryInSeconds', exists: false }, undefined],
    ['fields.<key> strings count as verbatim', { field: 'fields.error', contains: 'x509: certificate' }, ['x509: certificate']],
    ['fields.<key> numbers may be re-printed', { field: 'fields.size', equals: '1000' }, undefined],
    ['other derived fields give nothing', { field: 'digest', equals: 'sha256:0123456789abcdef' }, undefined],
    ['all picks the most selective', { all: [{ field: 'status', equals: 403 }, { field: 'uri', contains: '/data' }, { field: 'message', contains: 'AccessDenied' }] }, ['AccessDenied']],
    ['any needs every branch', { any: [{ field: 'message', contains: 'refused' }, { field: 'error', contains: 'timeout' }] }, ['refused', 'timeout']],
    ['any with an open branch gives nothing', { any: [{ field: 'message', contains: 'refused' }, { field: 'status', gte: 500 }] }, undefined],
    ['not gives nothing', { not: { field: 'message', contains: 'refused' } }, undefined],
    ['short pieces give nothing', { field: 'message', contains: 'ok' }, undefined],
    ['ignoreCase literals are lower-case', { field: 'message', contains: 'Denied', ignoreCase: true }, ['denied']],
    ['a regex gives its literal', { field: 'raw', regex: 'signed by (unknown|untrusted) authority' }, ['signed by ']],
    ['a regex gives one literal per top-level alternative', { field: 'message', regex: 'token (expired|revoked)|denied: access' }, ['token ', 'denied: access']],
  ])('%s', (_name, condition, expected) => {
    expect(requiredLiterals(condition, noNames)?.map((literal) => literal.text)).toEqual(expected)
  })
})

describe('prefilter', () => {
  const eof = makeRule({ id: 'eof', match: { all: [{ field: 'errorCode', equals: 'UNKNOWN' }, { field: 'errorDetail', equals: 'unexpected EOF' }] } })
  const refused = makeRule({ id: 'refused', sources: ['nginx-error'], match: { field: 'message', contains: 'Connection Refused', ignoreCase: true } })
  const anyStatus = makeRule({ id: 'any-status', sources: ['nginx-access'], match: { field: 'status', gte: 405 } })

  test('passes text with a required literal, for the sources that need it', () => {
    const compiled = compileRules(ruleSet([eof, refused]))
    expect(compiled.prefilter('err.code=unknown err.detail="unexpected EOF"', 'registry')).toBe(true)
    expect(compiled.prefilter('err.code=unknown err.detail="unexpected EOF"', 'nginx-error')).toBe(false)
    expect(compiled.prefilter('err.code=unknown err.detail="unexpected EOF"', undefined)).toBe(true)
    expect(compiled.prefilter('msg="response completed" status=200', 'registry')).toBe(false)
    expect(compiled.prefilter('', undefined)).toBe(false)
  })

  test('checks ignoreCase literals case-insensitively (incl. the Kelvin sign)', () => {
    const compiled = compileRules(ruleSet([refused]))
    expect(compiled.prefilter('connect() failed (111: CONNECTION REFUSED) while connecting', 'nginx-error')).toBe(true)
    expect(compiled.prefilter('connect() failed (111: connection refused)', 'nginx-error')).toBe(true)
    const kelvin = compileRules(ruleSet([makeRule({ id: 'kelvin', match: { field: 'message', contains: 'kkk', ignoreCase: true } })]))
    expect(kelvin.prefilter('\u212Akk', 'registry')).toBe(true)
  })

  test('a rule without literals lets everything of its sources through', () => {
    const compiled = compileRules(ruleSet([eof, anyStatus]))
    expect(compiled.prefilter('GET /anything 200', 'nginx-access')).toBe(true)
    expect(compiled.prefilter('GET /anything 200', 'registry')).toBe(false)
    expect(compiled.prefilter('GET /anything 200', undefined)).toBe(true)
  })

  test('a correlated rule passes text any of its conditions needs', () => {
    const sequence = makeRule({
      id: 'seq', sources: ['registry'],
      correlate: { sequence: { within: '1m', steps: [{ match: { field: 'message', contains: 'first step' } }, { match: { field: 'message', contains: 'second step' } }] } },
    })
    const compiled = compileRules(ruleSet([sequence]))
    expect(compiled.prefilter('the second step', 'registry')).toBe(true)
    expect(compiled.prefilter('no step here', 'registry')).toBe(false)
  })
  test('a rule passes only text where its whole formula holds, not just one literal', () => {
    const put = makeRule({
      id: 'put', sources: ['nginx-access'],
      match: { all: [{ field: 'route', equals: 'blob-upload' }, { field: 'method', equals: 'PUT' }, { field: 'status', oneOf: [201, 202] }] },
    })
    const compiled = compileRules(ruleSet([put]))
    const line = (method: string, status: number) => `10.0.0.1 - - [02/May/2024:10:11:12 +0000] "${method} /v2/a/b/blobs/uploads/x HTTP/1.1" ${status} 0`
    expect(compiled.prefilter(line('PUT', 201), 'nginx-access')).toBe(true)
    expect(compiled.prefilter(line('PATCH', 202), 'nginx-access')).toBe(false)
    expect(compiled.prefilter(line('PUT', 204), 'nginx-access')).toBe(false)
  })

  test.each<[string, boolean]>([
    ['status=202 ok', true],
    ['"status":202}', true],
    ['time=2024-05-02 status=200', false],
    ['bytes=12022', false],
    ['202', true],
  ])('a status literal counts only as a whole number: %j → %s', (text, expected) => {
    const compiled = compileRules(ruleSet([makeRule({ id: 'accepted', match: { field: 'status', equals: 202 } })]))
    expect(compiled.prefilter(text, 'registry')).toBe(expected)
  })

  test('an error code is found however the registry era spelled it', () => {
    const compiled = compileRules(ruleSet([makeRule({ id: 'code', match: { field: 'errorCode', equals: 'BLOB_UPLOAD_UNKNOWN' } })]))
    expect(compiled.prefilter('err.code="blob upload unknown"', 'registry')).toBe(true)
    expect(compiled.prefilter('"err.code":"BLOB_UPLOAD_UNKNOWN"', 'registry')).toBe(true)
    expect(compiled.prefilter('err.code="blob_upload unknown"', 'registry')).toBe(true)
    expect(compiled.prefilter('err.code="blob unknown"', 'registry')).toBe(false)
  })

  test('records of a stateful source are never filtered on text, and do not open the filter for the others', () => {
    const jwt = makeRule({ id: 'jwt', sources: ['rails'], match: { all: [{ field: 'route', equals: 'jwt-auth' }, { field: 'status', equals: 403 }] } })
    const open = makeRule({ id: 'open', sources: ['rails'], match: { field: 'status', gte: 500 } })
    const eof = makeRule({ id: 'eof', match: { field: 'errorDetail', equals: 'unexpected EOF' } })
    const compiled = compileRules(ruleSet([jwt, open, eof]))
    expect(compiled.prefilter('Completed 403 Forbidden in 5ms', 'rails')).toBe(true)
    expect(compiled.prefilter('Completed 403 Forbidden in 5ms')).toBe(false)
    expect(compiled.prefilter('err.detail="unexpected EOF"')).toBe(true)
    // The route came from the block's `Started` line: the lookup must not need it in this line's text.
    const completed = railsEvent({ message: 'Completed 403 Forbidden in 5ms', route: 'jwt-auth', status: 403 })
    expect(compiled.matchEvent(completed)).toEqual({ hits: [0] })
  })

  test('matchEvent does not rely on derived fields showing in raw (events built by hand)', () => {
    const compiled = compileRules(ruleSet([makeRule({ id: 'code', match: { field: 'errorCode', equals: 'NAME_INVALID' } })]))
    expect(compiled.matchEvent(registryEvent({ message: 'invalid', errorCode: 'NAME_INVALID' }))).toEqual({ hits: [0] })
  })
})

describe('matchEvent', () => {
  test('reports slots for plain and correlated rules, only for the event source', () => {
    const plain = makeRule({ id: 'plain', sources: ['registry', 'docker'], match: { field: 'message', contains: 'denied: access forbidden' } })
    const sequence = makeRule({
      id: 'seq', sources: ['nginx-access'],
      correlate: { sequence: { within: '1m', steps: [{ match: { field: 'status', equals: 307 } }, { match: { field: 'status', equals: 403 } }], until: { match: { field: 'status', gte: 300 } } } },
    })
    const compiled = compileRules(ruleSet([plain, sequence]))
    expect(compiled.slots).toEqual([
      { rule: 0, role: 'match' },
      { rule: 1, correlation: 0, role: 'step', step: 0 },
      { rule: 1, correlation: 0, role: 'step', step: 1 },
      { rule: 1, correlation: 0, role: 'until' },
    ])
    expect(compiled.matchEvent(dockerEvent({ message: 'denied: access forbidden' }))).toEqual({ hits: [0] })
    expect(compiled.matchEvent(nginxEvent({ status: 403, raw: 'denied: access forbidden' }))).toEqual({ hits: [2, 3] })
    expect(compiled.matchEvent(nginxEvent({ status: 200 }))).toBeUndefined()
  })

  // The literal index may only skip rules that cannot match: compare with evaluating every rule.
  test('never misses a rule the brute-force evaluation matches (property)', () => {
    const words = ['alpha', 'Bravo', 'charlie', 'DELTA', 'echo"x', 'fox<trot']
    const leaf = fc.oneof(
      fc.record({ field: fc.constantFrom('message', 'errorDetail', 'raw'), contains: fc.constantFrom(...words), ignoreCase: fc.boolean() }),
      fc.record({ field: fc.constantFrom('message', 'raw'), equals: fc.constantFrom(...words) }),
      fc.record({ field: fc.constant('message'), regex: fc.constantFrom('alp?ha', 'br(a|e)vo', 'char+lie', 'DEL[A-Z]A') }),
      fc.record({ field: fc.constant('status'), gte: fc.integer({ min: 100, max: 600 }) }),
    )
    const condition = fc.letrec<{ condition: Condition }>((tie) => ({
      condition: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.record({ all: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
        fc.record({ any: fc.array(tie('condition'), { minLength: 1, maxLength: 3 }) }),
        fc.record({ not: tie('condition') }),
      ),
    })).condition
    const text = fc.array(fc.constantFrom(...words, 'alpha'.toUpperCase(), 'bravo', 'x', ' ', 'delta'), { maxLength: 6 }).map((parts) => parts.join(' '))
    fc.assert(
      fc.property(fc.array(condition, { minLength: 1, maxLength: 6 }), text, fc.integer({ min: 100, max: 600 }), (conditions, message, status) => {
        const rules = conditions.map((match, index) => makeRule({ id: `r${index}`, match }))
        const compiled = compileRules(ruleSet(rules))
        const event = registryEvent({ message, errorDetail: message, raw: message, status })
        const expected = conditions.flatMap((match, index) => (compileCondition(match, noNames)(event) ? [index] : []))
        expect(compiled.matchEvent(event)?.hits ?? []).toEqual(expected)
        if (expected.length > 0) expect(compiled.prefilter(message, 'registry')).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  // The parser prefilters a chunk's records before their events are matched, and matchEvent reuses the
  // prefilter's scan of an equal text: whatever the order, skips and repeats, the hits must be a fresh scan's.
  test('reusing the prefilter scan gives the hits of a fresh scan (property)', () => {
    const rules = [
      makeRule({ id: 'a', match: { field: 'raw', contains: 'alpha' } }),
      makeRule({ id: 'b', match: { all: [{ field: 'raw', contains: 'bravo', ignoreCase: true }, { field: 'message', contains: 'charlie' }] } }),
      makeRule({ id: 'c', match: { any: [{ field: 'raw', contains: 'delta' }, { field: 'message', contains: 'alpha' }] } }),
    ]
    const text = fc.array(fc.constantFrom('alpha', 'BRAVO', 'charlie', 'delta', 'x'), { maxLength: 4 }).map((parts) => parts.join(' '))
    const step = fc.record({ text, prefiltered: fc.boolean(), matched: fc.boolean(), sameRaw: fc.boolean() })
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const reused = compileRules(ruleSet(rules))
        const fresh = compileRules(ruleSet(rules))
        for (const { text: raw, prefiltered } of steps) if (prefiltered) reused.prefilter(raw, 'registry')
        for (const { text: raw, matched, sameRaw } of steps) {
          if (!matched) continue
          const event = registryEvent({ message: raw, raw: sameRaw ? raw : `${raw} delta` })
          expect(reused.matchEvent(event)).toEqual(fresh.matchEvent(event))
        }
      }),
      { numRuns: 300 },
    )
  })
})
