import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { compileCondition } from './compile-condition.js'
import { compileRules } from './compile-rules.js'
import { dockerEvent, makeRule, nginxEvent, registryEvent, ruleSet } from './fixtures/events.js'
import { longestSafePiece, regexLiteral, requiredLiterals } from './required-literals.js'
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
    ['equals on a normalised field gives nothing', { field: 'errorCode', equals: 'BLOB_UPLOAD_UNKNOWN' }, undefined],
    ['numbers give nothing', { field: 'status', equals: 404 }, undefined],
    ['all picks the most selective', { all: [{ field: 'status', equals: 403 }, { field: 'uri', contains: '/data' }, { field: 'message', contains: 'AccessDenied' }] }, ['AccessDenied']],
    ['any needs every branch', { any: [{ field: 'message', contains: 'refused' }, { field: 'error', contains: 'timeout' }] }, ['refused', 'timeout']],
    ['any with an open branch gives nothing', { any: [{ field: 'message', contains: 'refused' }, { field: 'status', gte: 500 }] }, undefined],
    ['not gives nothing', { not: { field: 'message', contains: 'refused' } }, undefined],
    ['short pieces give nothing', { field: 'message', contains: 'ok' }, undefined],
    ['ignoreCase literals are lower-case', { field: 'message', contains: 'Denied', ignoreCase: true }, ['denied']],
    ['a regex gives its literal', { field: 'raw', regex: 'signed by (unknown|untrusted) authority' }, ['signed by ']],
  ])('%s', (_name, condition, expected) => {
    expect(requiredLiterals(condition, noNames)?.map((literal) => literal.text)).toEqual(expected)
  })
})

describe('prefilter', () => {
  const eof = makeRule({ id: 'eof', match: { all: [{ field: 'errorCode', equals: 'UNKNOWN' }, { field: 'errorDetail', equals: 'unexpected EOF' }] } })
  const refused = makeRule({ id: 'refused', sources: ['nginx-error'], match: { field: 'message', contains: 'Connection Refused', ignoreCase: true } })
  const anyStatus = makeRule({ id: 'any-status', sources: ['nginx-access'], match: { field: 'status', equals: 405 } })

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
})
