import { describe, expect, test } from 'vitest'
import { isLiveFile, orderRotations } from './order-rotations.js'

describe('orderRotations', () => {
  test.each([
    {
      title: 'svlogd: TAI64N files by name, then current',
      paths: ['r/current', 'r/@400000006634a1c22a4b1c3c.s', 'r/@400000006633503a0f1e2d3c.s', 'r/@4000000066345f000a0b0c0d.u'],
      ordered: ['r/@400000006633503a0f1e2d3c.s', 'r/@4000000066345f000a0b0c0d.u', 'r/@400000006634a1c22a4b1c3c.s', 'r/current'],
    },
    {
      title: 'logrotate numbers: highest generation first, the live file last',
      paths: ['n/x.log', 'n/x.log.1', 'n/x.log.2.gz', 'n/x.log.10.gz'],
      ordered: ['n/x.log.10.gz', 'n/x.log.2.gz', 'n/x.log.1', 'n/x.log'],
    },
    {
      title: 'logrotate dateext: oldest date first',
      paths: ['d/x.log', 'd/x.log-20240502.gz', 'd/x.log-20240501.gz'],
      ordered: ['d/x.log-20240501.gz', 'd/x.log-20240502.gz', 'd/x.log'],
    },
    {
      title: 'families keep the order of their first member',
      paths: ['a/nginx.log', 'b/current', 'a/nginx.log.1', 'b/@400000006633503a0f1e2d3c.s'],
      ordered: ['a/nginx.log.1', 'a/nginx.log', 'b/@400000006633503a0f1e2d3c.s', 'b/current'],
    },
    {
      title: 'same base name in two directories are two families',
      paths: ['a/x.log', 'b/x.log.1', 'b/x.log', 'a/x.log.1'],
      ordered: ['a/x.log.1', 'a/x.log', 'b/x.log.1', 'b/x.log'],
    },
  ])('$title', ({ paths, ordered }) => {
    expect(orderRotations(paths)).toEqual(ordered)
  })

  test.each([
    ['r/current', true],
    ['r/@400000006633503a0f1e2d3c.s', false],
    ['x.log', true],
    ['x.log.1', false],
    ['x.log.3.gz', false],
    ['x.log-20240501', false],
  ])('isLiveFile(%s) = %s', (path, live) => {
    expect(isLiveFile(path)).toBe(live)
  })
})
