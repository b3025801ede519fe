import { describe, expect, test } from 'vitest'
import { assignRequest, assignRequestTarget, type RequestLineFields, type RequestTargetFields } from './parse-request-line.js'

describe('assignRequest: the request line', () => {
  test.each([
    ['GET /v2/ HTTP/1.1', { method: 'GET', uri: '/v2/', protocol: 'HTTP/1.1' }],
    ['PRI * HTTP/2.0', { method: 'PRI', uri: '*', protocol: 'HTTP/2.0' }],
    ['GET /a b HTTP/1.0', { method: 'GET', uri: '/a b', protocol: 'HTTP/1.0' }],
    ['GET /v2/', { method: 'GET', uri: '/v2/' }],
    ['PATCH /v2/a/blobs/uploads/u?_state=AAAA', { method: 'PATCH', uri: '/v2/a/blobs/uploads/u?_state=AAAA' }],
    ['GET  HTTP/1.1', { method: 'GET', protocol: 'HTTP/1.1' }],
    ['-', {}],
    ['', {}],
    ['-  -', {}],
    ['\u0016\u0003\u0001 x', {}],
    ['get /v2/ HTTP/1.1', {}],
  ])('%j', (line, expected) => {
    const { method, uri, protocol } = assignRequest<RequestLineFields & RequestTargetFields>({}, line)
    const lineFields = Object.fromEntries(Object.entries({ method, uri, protocol }).filter(([, value]) => value !== undefined))
    expect(lineFields).toEqual(expected)
  })
})

describe('assignRequestTarget', () => {
  test.each([
    ['/v2/a/tags/list?n=10', { uri: '/v2/a/tags/list?n=10', path: '/v2/a/tags/list', route: 'tags-list', repository: 'a' }],
    ['https://r.example.com:5005/v2/', { uri: 'https://r.example.com:5005/v2/', path: '/v2/', host: 'r.example.com:5005', route: 'base' }],
    ['http://user:pw@r.example.com/v2/?x=1', { path: '/v2/', host: 'r.example.com', route: 'base' }],
    ['https://r.example.com?x=/y', { path: '/', host: 'r.example.com' }],
    ['https://r.example.com', { path: '/', host: 'r.example.com', route: 'other' }],
    ['*', { uri: '*', path: '*', route: 'other' }],
  ])('%j', (target, expected) => {
    expect(assignRequestTarget({}, target)).toMatchObject(expected)
  })
})
