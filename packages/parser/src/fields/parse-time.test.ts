import { describe, expect, test } from 'vitest'
import { parseCommonLogTime, parseIsoTime, parseSvlogdTime, parseSyslogTime } from './parse-time.js'

describe('parseIsoTime', () => {
  test.each([
    ['2024-05-02T10:11:12Z', '2024-05-02T10:11:12.000Z'],
    ['2019-01-02T22:46:08.727747107Z', '2019-01-02T22:46:08.727Z'],
    ['2020-07-24T10:55:59.771028+01:00', '2020-07-24T09:55:59.771Z'],
    ['2017-12-17 18:37:23 +0700', '2017-12-17T11:37:23.000Z'],
    ['2018-07-26 22:16:58 +0000 UTC', '2018-07-26T22:16:58.000Z'],
    ['2025-02-12T21:28:02.740Z', '2025-02-12T21:28:02.740Z'],
  ])('%s', (text, iso) => expect(new Date(parseIsoTime(text) ?? 0).toISOString()).toBe(iso))

  test.each(['', 'yesterday', '2024-13-02T10:11:12Z', '2024-02-30T10:11:12Z', '2024-05-02T25:11:12Z'])(
    'refuses %j',
    (text) => expect(parseIsoTime(text)).toBeUndefined(),
  )
})

describe('other layouts', () => {
  test('nginx time_local with offset', () => {
    expect(new Date(parseCommonLogTime('02/May/2024:10:15:01 +0200') ?? 0).toISOString()).toBe('2024-05-02T08:15:01.000Z')
  })
  test('nginx time_local with a bad month', () => expect(parseCommonLogTime('02/Mai/2024:10:15:01 +0000')).toBeUndefined())
  test('svlogd prefix', () => {
    expect(new Date(parseSvlogdTime('2019-01-02_22:46:08.71504') ?? 0).toISOString()).toBe('2019-01-02T22:46:08.715Z')
  })
  test('nginx error-log date that does not exist', () => expect(parseSvlogdTime('2024/13/45 10:00:00')).toBeUndefined())
  test('syslog without a year takes the year that is not in the future', () => {
    const now = Date.UTC(2026, 0, 2)
    expect(new Date(parseSyslogTime('Dec 31 23:00:00', now) ?? 0).toISOString()).toBe('2025-12-31T23:00:00.000Z')
    expect(new Date(parseSyslogTime('May  9 06:45:46', Date.UTC(2026, 5, 1)) ?? 0).toISOString()).toBe('2026-05-09T06:45:46.000Z')
  })
})
