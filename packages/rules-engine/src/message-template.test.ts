import type { LogEvent } from '@registry-logscan/parser'
import { expect, test } from 'vitest'
import { parseMessageTemplate } from './message-template.js'

const event = (fields: Record<string, unknown>): { event: LogEvent } => ({ event: { source: 'registry', ...fields } as unknown as LogEvent })

test.each([
  ['plain {errorDetail}', [{ errorDetail: 'unexpected EOF' }], 'plain unexpected EOF'],
  ['missing {method}', [{}], 'missing -'],
  ['x[ on {method} {path}]', [{ method: 'PUT' }], 'x'],
  ['x[ on {method} {path}]', [{ method: 'PUT', path: '/v2/a/manifests/1' }], 'x on PUT /v2/a/manifests/1'],
  ['{errorDetail|error}', [{ error: 's3aws: AccessDenied' }], 's3aws: AccessDenied'],
  ['{errorDetail|error}', [{ errorDetail: '', error: 'second' }], 'second'],
  ['{count} lines from {repository}', [{}, { repository: 'g/a' }], '2 lines from g/a'],
  ['escape {message}', [{ message: 'a\u001b[31mred\nx' }], 'escape a [31mred x'],
  ['[ ({digest})] and [unclosed', [{ digest: 'sha256:1' }], ' (sha256:1) and [unclosed'],
])('%s', (template, events, expected) => {
  expect(parseMessageTemplate(template).fill(events.map(event))).toBe(expected)
})

test.each([
  ['GCS[ ({method} {path}[ {status}])]', [{ method: 'PUT', path: '/p' }], 'GCS (PUT /p)'],
  ['GCS[ ({method} {path}[ {status}])]', [{ method: 'PUT', path: '/p', status: 502 }], 'GCS (PUT /p 502)'],
  ['GCS[ ({method} {path}[ {status}])]', [{ status: 502 }], 'GCS'],
  ['a [b [c', [{}], 'a [b [c'],
])('nested segments: %s', (template, events, expected) => {
  expect(parseMessageTemplate(template).fill(events.map(event))).toBe(expected)
})
