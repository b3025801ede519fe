import { describe, expect, test } from 'vitest'
import { isTailStream, lastTailHeader } from './find-tail-header.js'

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('lastTailHeader', () => {
  test.each([
    ['the last of several headers', '==> /a/current <==\nx\n\n==> /b/current <==\ny\n', '/b/current'],
    ['a header at the very start', '==> /a/current <==\nx\n', '/a/current'],
    ['a CRLF header', 'x\r\n==> /a/current <==\r\ny\r\n', '/a/current'],
    ['an arrow inside a line is not a header', 'msg="==> /a <==" x\n', undefined],
    ['a line that only starts like one', '==> /a/current\n', undefined],
    ['no header', 'time="2024-05-02T10:11:12Z" level=info\n', undefined],
  ])('%s', (_title, text, expected) => {
    expect(lastTailHeader(bytes(text))).toBe(expected)
  })

  test('a stream is a tail of several files when its first batch has a header', () => {
    expect(isTailStream(bytes('==> /var/log/gitlab/registry/current <==\nx\n'))).toBe(true)
    expect(isTailStream(bytes('x\ny\n'))).toBe(false)
  })
})
