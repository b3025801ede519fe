import type { LogEvent } from '@registry-logscan/parser'
import { describe, expect, test } from 'vitest'
import { compileCondition, toNumber } from './compile-condition.js'
import { nginxEvent, railsEvent, registryEvent } from './fixtures/events.js'
import type { Condition } from './rule-schema.js'

const names = {
  macros: { 'is-upload': { field: 'route', equals: 'blob-upload' } as Condition },
  lists: { 'write-methods': ['PATCH', 'PUT', 'POST'], statuses: [401, 403] },
}

const access = nginxEvent({ method: 'PATCH', status: 404, route: 'blob-upload', uri: '/v2/group/app/blobs/uploads/abc?_state=x', userAgent: 'docker/24.0.7 go/go1.20', clientAddress: '10.0.0.7', durationMs: 1500.5, fields: { upstream_status: '404' } })
const v6 = nginxEvent({ clientAddress: '::1', status: 200 })
const mapped = nginxEvent({ clientAddress: '::ffff:127.0.0.1' })
const rails = railsEvent({ backtrace: ['lib/a.rb:1', 'app/models/container_repository.rb:12'], exceptionClass: 'Errno::ENOENT' })
const wrapped = registryEvent({ message: 'x', wrapper: { kind: 'svlogd', host: 'gitlab-1' } })

describe('field operators', () => {
  test.each<[string, Condition, LogEvent, boolean]>([
    ['equals string', { field: 'method', equals: 'PATCH' }, access, true],
    ['equals is case-sensitive', { field: 'method', equals: 'patch' }, access, false],
    ['equals ignoreCase', { field: 'method', equals: 'patch', ignoreCase: true }, access, true],
    ['equals number', { field: 'status', equals: 404 }, access, true],
    ['equals number against a numeric string', { field: 'fields.upstream_status', equals: 404 }, access, true],
    ['equals string against a number field', { field: 'status', equals: '404' }, access, true],
    ['equals boolean', { field: 'access', equals: false }, wrapped, true],
    ['equals on a missing field', { field: 'errorCode', equals: 'X' }, access, false],
    ['oneOf strings', { field: 'method', oneOf: ['PUT', 'PATCH'] }, access, true],
    ['oneOf misses', { field: 'method', oneOf: ['PUT', 'POST'] }, access, false],
    ['oneOf numbers', { field: 'status', oneOf: [401, 404] }, access, true],
    ['oneOf ignoreCase', { field: 'method', oneOf: ['put', 'patch'], ignoreCase: true }, access, true],
    ['inList', { field: 'method', inList: 'write-methods' }, access, true],
    ['inList numbers', { field: 'status', inList: 'statuses' }, access, false],
    ['contains', { field: 'userAgent', contains: 'docker/' }, access, true],
    ['contains a list: any', { field: 'userAgent', contains: ['kaniko', 'go1.20'] }, access, true],
    ['contains ignoreCase', { field: 'userAgent', contains: 'DOCKER', ignoreCase: true }, access, true],
    ['contains is case-sensitive', { field: 'userAgent', contains: 'DOCKER' }, access, false],
    ['startsWith', { field: 'uri', startsWith: '/v2/' }, access, true],
    ['startsWith misses', { field: 'uri', startsWith: ['/api/', '/jwt/'] }, access, false],
    ['endsWith', { field: 'uri', endsWith: '_state=x' }, access, true],
    ['endsWith ignoreCase', { field: 'uri', endsWith: '_STATE=X', ignoreCase: true }, access, true],
    ['regex', { field: 'uri', regex: '^/v2/[a-z/]+/blobs/uploads/' }, access, true],
    ['regex misses', { field: 'uri', regex: '/manifests/' }, access, false],
    ['regex ignoreCase', { field: 'uri', regex: 'BLOBS/UPLOADS', ignoreCase: true }, access, true],
    ['regex on a number field', { field: 'status', regex: '^4\\d\\d$' }, access, true],
    ['exists true', { field: 'userAgent', exists: true }, access, true],
    ['exists false on a missing field', { field: 'referer', exists: false }, access, true],
    ['exists false on a present field', { field: 'userAgent', exists: false }, access, false],
    ['gt', { field: 'status', gt: 403 }, access, true],
    ['gt equal is false', { field: 'status', gt: 404 }, access, false],
    ['gte', { field: 'status', gte: 404 }, access, true],
    ['lt', { field: 'durationMs', lt: 1500.6 }, access, true],
    ['lte', { field: 'durationMs', lte: 1500 }, access, false],
    ['gt on a numeric string', { field: 'fields.upstream_status', gt: 400 }, access, true],
    ['gt on a missing field', { field: 'bytes', gt: 0 }, access, false],
    ['cidr v4', { field: 'clientAddress', cidr: '10.0.0.0/8' }, access, true],
    ['cidr v4 outside', { field: 'clientAddress', cidr: ['127.0.0.0/8', '192.168.0.0/16'] }, access, false],
    ['cidr v6', { field: 'clientAddress', cidr: ['127.0.0.0/8', '::1/128'] }, v6, true],
    ['cidr v6 outside', { field: 'clientAddress', cidr: 'fd00::/8' }, v6, false],
    ['cidr IPv4-mapped IPv6 in a v4 range', { field: 'clientAddress', cidr: '127.0.0.0/8' }, mapped, true],
    ['cidr on a non-address', { field: 'method', cidr: '0.0.0.0/0' }, access, false],
    ['array field: any element', { field: 'backtrace', contains: 'container_repository' }, rails, true],
    ['array field: no element', { field: 'backtrace', contains: 'registry_key' }, rails, false],
    ['fields.<key>', { field: 'fields.upstream_status', equals: '404' }, access, true],
    ['fields.<key> missing', { field: 'fields.nope', exists: false }, access, true],
    ['wrapper.<key>', { field: 'wrapper.host', equals: 'gitlab-1' }, wrapped, true],
    ['wrapper.<key> without a wrapper', { field: 'wrapper.host', exists: true }, access, false],
    ['source', { field: 'source', equals: 'nginx-access' }, access, true],
    ['no prototype lookups', { field: 'fields.constructor', exists: true }, access, false],
  ])('%s', (_name, condition, event, expected) => {
    expect(compileCondition(condition, names)(event)).toBe(expected)
  })
})

describe('combinators', () => {
  test.each<[string, Condition, boolean]>([
    ['all: every one', { all: [{ field: 'method', equals: 'PATCH' }, { field: 'status', equals: 404 }] }, true],
    ['all: one fails', { all: [{ field: 'method', equals: 'PATCH' }, { field: 'status', equals: 500 }] }, false],
    ['any: one holds', { any: [{ field: 'method', equals: 'GET' }, { field: 'status', equals: 404 }] }, true],
    ['any: none holds', { any: [{ field: 'method', equals: 'GET' }, { field: 'status', equals: 500 }] }, false],
    ['not', { not: { field: 'method', equals: 'GET' } }, true],
    ['not of a missing field holds', { not: { field: 'errorCode', equals: 'X' } }, true],
    ['macro', { macro: 'is-upload' }, true],
    ['nested', { all: [{ macro: 'is-upload' }, { not: { any: [{ field: 'status', lt: 400 }, { field: 'method', equals: 'GET' }] } }] }, true],
  ])('%s', (_name, condition, expected) => {
    expect(compileCondition(condition, names)(access)).toBe(expected)
  })
})

test.each<[unknown, number | undefined]>([
  [404, 404], ['404', 404], [' 1.5 ', 1.5], ['', undefined], ['  ', undefined], ['abc', undefined], [Number.NaN, undefined], [true, undefined],
])('toNumber(%j) = %j', (value, expected) => {
  expect(toNumber(value)).toBe(expected)
})
