import { describe, expect, test } from 'vitest'
import { lastTailHeader } from './last-tail-header.js'

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('lastTailHeader', () => {
  test.each([
    ['the last of several headers', '==> /a/current <==\nx\n\n==> /b/current <==\ny\n', '/b/current'],
    ['a header at the very start', '==> /a/current <==\nx\n', '/a/current'],
    ['a CRLF header', 'x\r\n==> /a/current <==\r\ny\r\n', '/a/current'],
    ['a header under docker logs -t', '2024-05-02T10:11:12.123456789Z ==> /var/log/gitlab/gitlab-workhorse/current <==\nx\n', '/var/log/gitlab/gitlab-workhorse/current'],
    ['a header under a compose prefix', 'gitlab-1  | ==> /var/log/gitlab/registry/current <==\n', '/var/log/gitlab/registry/current'],
    ['an arrow inside a line is not a header', 'msg="==> /a <==" x\n', undefined],
    ['a line that only starts like one', '==> /a/current\n', undefined],
    ['no header', 'time="2024-05-02T10:11:12Z" level=info\n', undefined],
  ])('%s', (_title, text, expected) => {
    expect(lastTailHeader(bytes(text))).toBe(expected)
  })
})
