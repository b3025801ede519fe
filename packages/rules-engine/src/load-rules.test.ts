import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { RuleFileError } from './errors.js'
import { loadRules } from './load-rules.js'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rules-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const EXAMPLES = `examples:
  - { name: fires, lines: ['a'], findings: 1 }
  - { name: quiet, lines: ['b'], findings: 0 }`

/** A valid rule file with `match` (indented YAML block) replaced. */
function ruleYaml(id: string, match = "  all:\n    - { field: errorCode, equals: UNKNOWN }\n    - { field: errorDetail, equals: unexpected EOF }", extra = ''): string {
  return `id: ${id}
title: S3 upload cut short
status: stable
severity: error
sources: [registry]
description: The storage closed the upload early.
docs: https://docs.gitlab.com/administration/packages/container_registry_troubleshooting/
tags: [s3]
match:
${match}
message: 'S3 cut the upload of {repository} short: {errorDetail}'
remediation: Raise the chunk size.
falsepositives: [unknown]
${EXAMPLES}
${extra}`
}

async function write(name: string, text: string, sub = ''): Promise<string> {
  await mkdir(join(dir, sub), { recursive: true })
  const file = join(dir, sub, name)
  await writeFile(file, text)
  return file
}

async function loadError(): Promise<RuleFileError> {
  const error: unknown = await loadRules([dir]).then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(RuleFileError)
  return error as RuleFileError
}

test('loads a valid rule with its defaults', async () => {
  await write('s3-unexpected-eof.yaml', ruleYaml('s3-unexpected-eof'))
  const set = await loadRules([dir])
  expect(set.rules).toHaveLength(1)
  expect(set.rules[0]).toMatchObject({ id: 's3-unexpected-eof', fold: { by: [], within: '10m' }, file: join(dir, 's3-unexpected-eof.yaml') })
  expect(set.dirs).toEqual([dir])
})

test('accepts JSON rule files and skips *.schema.json', async () => {
  await write('rule.schema.json', '{"not": "a rule"}')
  const { parse } = await import('yaml')
  await write('s3-unexpected-eof.json', JSON.stringify(parse(ruleYaml('s3-unexpected-eof'))))
  expect((await loadRules([dir])).rules.map((rule) => rule.id)).toEqual(['s3-unexpected-eof'])
})

describe('refuses a broken rule file, naming file, rule and field', () => {
  test.each<[string, string, string, RuleFileError['code'], string | undefined, RegExp]>([
    ['YAML syntax', 'bad-yaml', 'id: bad-yaml\nmatch: { field: [\n', 'RLS_RULE_YAML', undefined, /invalid YAML/],
    ['unknown key', 'extra-key', ruleYaml('extra-key', undefined, 'severityy: error'), 'RLS_RULE_INVALID', 'severityy', /unknown key/],
    ['wrong type', 'wrong-type', ruleYaml('wrong-type', '  all:\n    - { field: errorCode, equals: UNKNOWN }\n    - { field: errorDetail, equals: [1] }'), 'RLS_RULE_INVALID', 'match.all[1].equals', /expected string or number or boolean, received array/],
    ['unknown source', 'bad-source', ruleYaml('bad-source').replace('sources: [registry]', 'sources: [registry, gitaly]'), 'RLS_RULE_INVALID', 'sources[1]', /expected one of/],
    ['unknown field', 'bad-field', ruleYaml('bad-field', '  { field: upstreamStatus, equals: 502 }'), 'RLS_RULE_INVALID', 'match.field', /unknown field "upstreamStatus" for registry/],
    ['unknown field in the message', 'bad-template', ruleYaml('bad-template').replace('{errorDetail}', '{errorDetial}'), 'RLS_RULE_INVALID', 'message', /errorDetial/],
    ['unknown operator', 'bad-operator', ruleYaml('bad-operator', '  { field: errorCode, matches: UNKNOWN }'), 'RLS_RULE_INVALID', 'match.matches', /unknown key/],
    ['two operators', 'two-operators', ruleYaml('two-operators', '  { field: errorCode, equals: UNKNOWN, contains: UNK }'), 'RLS_RULE_INVALID', 'match', /exactly one operator/],
    ['unknown macro', 'bad-macro', ruleYaml('bad-macro', '  { macro: no-such-macro }'), 'RLS_RULE_INVALID', 'match.macro', /unknown macro "no-such-macro"/],
    ['unknown list', 'bad-list', ruleYaml('bad-list', '  { field: method, inList: no-such-list }'), 'RLS_RULE_INVALID', 'match.inList', /unknown list "no-such-list"/],
    ['unsafe regex', 'evil-regex', ruleYaml('evil-regex', "  { field: message, regex: '^(a+)+$' }"), 'RLS_RULE_UNSAFE_REGEX', 'match.regex', /backtrack without bound.*attack string/],
    ['invalid regex', 'broken-regex', ruleYaml('broken-regex', "  { field: message, regex: '(unclosed' }"), 'RLS_RULE_UNSAFE_REGEX', 'match.regex', /not a valid regular expression/],
    ['bad CIDR', 'bad-cidr', ruleYaml('bad-cidr', "  { field: clientAddress, cidr: ['10.0.0.0/8', '10.0.0.300/8'] }"), 'RLS_RULE_INVALID', 'match.cidr[1]', /not a CIDR/],
    ['__proto__ key', 'proto-key', ruleYaml('proto-key', '  __proto__: { field: errorCode, equals: UNKNOWN }'), 'RLS_RULE_UNSAFE_KEY', 'match.__proto__', /not allowed/],
    ['constructor key', 'ctor-key', ruleYaml('ctor-key', undefined, 'constructor: 1'), 'RLS_RULE_UNSAFE_KEY', 'constructor', /not allowed/],
    ['custom tag', 'tagged', ruleYaml('tagged', '  { field: errorCode, equals: !js/function UNKNOWN }'), 'RLS_RULE_YAML', 'match.equals', /tags/],
    ['alias', 'aliased', ruleYaml('aliased', '  &cond { field: errorCode, equals: UNKNOWN }'), 'RLS_RULE_YAML', 'match', /anchors/],
    ['id ≠ file name', 'other-name', ruleYaml('s3-unexpected-eof'), 'RLS_RULE_INVALID', 'id', /must equal the file name "other-name"/],
    ['no firing example', 'no-fire', ruleYaml('no-fire').replace('findings: 1', 'findings: 0'), 'RLS_RULE_INVALID', 'examples', /at least one example that fires/],
    ['no quiet example', 'no-quiet', ruleYaml('no-quiet').replace('findings: 0', 'findings: 2'), 'RLS_RULE_INVALID', 'examples', /does not fire/],
    ['sequence step by of the wrong length', 'bad-step-by', ruleYaml('bad-step-by', '  { field: errorCode, exists: true }', 'correlate:\n  sequence:\n    within: 1m\n    by: [repository]\n    steps:\n      - { match: { field: errorCode, exists: true } }\n      - { by: [repository, digest], match: { field: errorCode, exists: true } }'), 'RLS_RULE_INVALID', 'correlate.sequence.steps[1].by', /expected 1 fields/],
    ['bad duration', 'bad-duration', ruleYaml('bad-duration', undefined, 'fold: { within: 10 minutes }'), 'RLS_RULE_INVALID', 'fold.within', /duration/],
  ])('%s', async (_kind, id, text, code, path, reason) => {
    const file = await write(`${id}.yaml`, text)
    const error = await loadError()
    expect(error.code).toBe(code)
    expect(error.file).toBe(file)
    expect(error.path).toBe(path)
    expect(error.reason).toMatch(reason)
    expect(error.message).toContain(file)
    if (code !== 'RLS_RULE_YAML' && code !== 'RLS_RULE_UNSAFE_KEY') {
      expect(error.ruleId).toBe(code === 'RLS_RULE_INVALID' && path === 'id' ? 's3-unexpected-eof' : id)
      expect(error.message).toContain(`rule "${error.ruleId}"`)
    }
    if (path !== undefined) expect(error.message).toContain(`: ${path}: `)
  })
})

test('the message reads file: rule: path: reason', async () => {
  const file = await write('s3-unexpected-eof.yaml', ruleYaml('s3-unexpected-eof', '  all:\n    - { field: errorCode, equals: UNKNOWN }\n    - { field: errorDetail, equals: { nested: 1 } }'))
  const error = await loadError()
  expect(error.message).toBe(`${file}: rule "s3-unexpected-eof": match.all[1].equals: expected string or number or boolean, received object`)
})

test('every broken rule file is reported at once: the first thrown, the others in `others`', async () => {
  const first = await write('a-broken.yaml', ruleYaml('a-broken', '  all:\n    - { field: errorCode, equals: { nested: 1 } }'))
  await write('b-valid.yaml', ruleYaml('b-valid'))
  const second = await write('c-broken.yaml', ruleYaml('c-broken', '  all:\n    - { field: nosuchfield, equals: x }'))
  await write('d-broken.yaml', 'id: [unclosed')
  const error = await loadError()
  expect(error.file).toBe(first)
  expect(error.others.map((other) => [other.file, other.code])).toEqual([
    [second, 'RLS_RULE_INVALID'],
    [join(dir, 'd-broken.yaml'), 'RLS_RULE_YAML'],
  ])
  expect(error.others.every((other) => other instanceof RuleFileError && other.others.length === 0)).toBe(true)
})

test('refuses an oversize file before parsing it', async () => {
  const file = await write('huge.yaml', `${ruleYaml('huge')}\n# ${'x'.repeat(300 * 1024)}\n`)
  const error = await loadError()
  expect(error).toMatchObject({ code: 'RLS_RULE_TOO_LARGE', file })
  expect(error.message).toContain(file)
})

test('refuses nesting deeper than the cap', async () => {
  const deep = `${'  { not: '.repeat(40)}{ field: message, exists: true }${' }'.repeat(40)}`
  await write('deep.yaml', ruleYaml('deep', deep))
  expect((await loadError()).reason).toMatch(/nested more than/)
})

test('an unreadable directory is an error', async () => {
  const error: unknown = await loadRules([join(dir, 'missing')]).catch((caught: unknown) => caught)
  expect(error).toMatchObject({ code: 'RLS_RULE_UNREADABLE' })
})

test('one rule file named instead of a directory is loaded', async () => {
  await write('eof.yaml', ruleYaml('eof'))
  expect((await loadRules([join(dir, 'eof.yaml')])).rules.map((rule) => rule.id)).toEqual(['eof'])
})

test.each([
  ['a directory with no rule files in it', () => Promise.resolve(dir), /no rule files/],
  ['a file that is not a rule file', async () => (await write('notes.txt', 'x'), join(dir, 'notes.txt')), /neither a directory of rule files nor a rule file/],
])('%s is an error', async (_title, path, reason) => {
  const error: unknown = await loadRules([await path()]).catch((caught: unknown) => caught)
  expect(error).toMatchObject({ code: 'RLS_RULE_UNREADABLE', reason: expect.stringMatching(reason) })
})

describe('macros and lists', () => {
  const macros = `lists:
  write-methods: [PATCH, PUT]
macros:
  upload-write:
    all:
      - { field: route, equals: blob-upload }
      - { field: method, inList: write-methods }
`
  test('rules use macros and lists from <dir>/macros', async () => {
    await write('common.yaml', macros, 'macros')
    await write('uses-macro.yaml', ruleYaml('uses-macro', '  { macro: upload-write }'))
    const set = await loadRules([dir])
    expect(Object.keys(set.macros ?? {})).toEqual(['upload-write'])
    expect(set.lists).toEqual({ 'write-methods': ['PATCH', 'PUT'] })
  })

  test("a macro's fields are checked against the using rule's sources", async () => {
    await write('common.yaml', macros.replace('route', 'component'), 'macros')
    const file = await write('uses-macro.yaml', ruleYaml('uses-macro', '  { macro: upload-write }'))
    const error = await loadError()
    expect(error).toMatchObject({ file, ruleId: 'uses-macro', path: 'match.macro.all[0].field' })
    expect(error.reason).toMatch(/in macro "upload-write": unknown field "component"/)
  })

  // The shipped `request-line` macro: one branch per source, each reading fields only its source has.
  const perSource = `macros:
  request-line:
    any:
      - { field: source, oneOf: [nginx-access, proxy] }
      - all:
          - { field: source, equals: registry }
          - { field: access, equals: true }
`
  test('a field is checked against the sources its branch can reach: an NGINX-only rule may use a macro with a registry branch', async () => {
    await write('common.yaml', perSource, 'macros')
    await write('nginx-only.yaml', ruleYaml('nginx-only', '  { macro: request-line }').replace('sources: [registry]', 'sources: [nginx-access]').replace(': {errorDetail}', ''))
    expect((await loadRules([dir])).rules.map((rule) => rule.id)).toEqual(['nginx-only'])
  })

  test('…while a field a reachable branch reads still has to exist for that branch', async () => {
    await write('common.yaml', perSource.replace('field: access', 'field: upstream'), 'macros')
    await write('registry-only.yaml', ruleYaml('registry-only', '  { macro: request-line }'))
    expect((await loadError()).reason).toMatch(/in macro "request-line": unknown field "upstream" for registry/)
  })

  test.each([
    ['an unsafe regex', "{ field: path, regex: '^/v2/x/(a+)+$' }", 'RLS_RULE_UNSAFE_REGEX', /backtrack/],
    ['an unknown macro', '{ macro: no-such-macro }', 'RLS_RULE_INVALID', /unknown macro "no-such-macro"/],
    ['an unknown list', '{ field: method, inList: no-such-list }', 'RLS_RULE_INVALID', /unknown list "no-such-list"/],
    ['a bad CIDR range', "{ field: clientAddress, cidr: 'not-a-cidr' }", 'RLS_RULE_INVALID', /is not a CIDR range/],
  ])('a branch the rule\'s sources cannot reach still has %s refused', async (_title, condition, code, reason) => {
    const match = `  any:\n    - { field: path, equals: /v2/x }\n    - all:\n        - ${condition}\n        - { field: source, equals: nginx-access }`
    await write('unreachable.yaml', ruleYaml('unreachable', match))
    expect(await loadError()).toMatchObject({ code, reason: expect.stringMatching(reason) })
  })

  test('a source compared with a name no source has is refused (a typo would disable its branch)', async () => {
    await write('typo.yaml', ruleYaml('typo', '  all:\n    - { field: source, equals: regsitry }\n    - { field: errorDetail, equals: x }'))
    expect(await loadError()).toMatchObject({ path: 'match.all[0].equals', reason: expect.stringMatching(/"regsitry" is not a source/) })
  })

  test('a macro that uses itself is refused', async () => {
    await write('common.yaml', 'macros:\n  loop: { any: [ { macro: loop }, { field: message, exists: true } ] }\n', 'macros')
    await write('loops.yaml', ruleYaml('loops', '  { macro: loop }'))
    expect((await loadError()).reason).toMatch(/uses itself/)
  })

  test('an unsafe regex in a macros file names that file', async () => {
    const file = await write('common.yaml', "macros:\n  evil: { field: message, regex: '(x+x+)+y' }\n", 'macros')
    const error = await loadError()
    expect(error).toMatchObject({ code: 'RLS_RULE_UNSAFE_REGEX', file, path: 'macros.evil.regex' })
  })
})

describe('several directories', () => {
  test('a later directory replaces a rule with the same id', async () => {
    await write('s3-unexpected-eof.yaml', ruleYaml('s3-unexpected-eof'), 'a')
    await write('s3-unexpected-eof.yaml', ruleYaml('s3-unexpected-eof').replace('severity: error', 'severity: critical'), 'b')
    const set = await loadRules([join(dir, 'a'), join(dir, 'b')])
    expect(set.rules).toHaveLength(1)
    expect(set.rules[0]).toMatchObject({ severity: 'critical', file: join(dir, 'b', 's3-unexpected-eof.yaml') })
  })

  test('the same id twice in one directory is an error', async () => {
    await write('s3-unexpected-eof.yaml', ruleYaml('s3-unexpected-eof'))
    const { parse } = await import('yaml')
    await write('s3-unexpected-eof.json', JSON.stringify(parse(ruleYaml('s3-unexpected-eof'))))
    const error = await loadError()
    expect(error).toMatchObject({ code: 'RLS_RULE_DUPLICATE', ruleId: 's3-unexpected-eof', path: 'id' })
  })
})

describe('only / disable', () => {
  beforeEach(async () => {
    await write('rule-a.yaml', ruleYaml('rule-a'))
    await write('rule-b.yaml', ruleYaml('rule-b'))
  })
  test('only keeps the named rules', async () => {
    expect((await loadRules([dir], { only: ['rule-b'] })).rules.map((rule) => rule.id)).toEqual(['rule-b'])
  })
  test('disable drops the named rules', async () => {
    expect((await loadRules([dir], { disable: ['rule-b'] })).rules.map((rule) => rule.id)).toEqual(['rule-a'])
  })
  test('an unknown id is an error', async () => {
    await expect(loadRules([dir], { only: ['rule-c'] })).rejects.toMatchObject({ code: 'RLS_RULE_UNKNOWN_ID', path: 'only' })
  })
})
