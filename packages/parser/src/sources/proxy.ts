// mitmproxy / mitmdump flow listings. Minimal version; full parser follows.
import { defineSource } from '../define-source.js'
import type { ProxyEvent } from '../log-event.js'

/** HTTP flows as listed by mitmdump and the mitmproxy console. */
export const proxy = defineSource<ProxyEvent>({
  id: 'proxy',
  description: 'mitmproxy / mitmdump flow listings',
  fileNames: [/(?:^|\/)(?:mitm[^/]*|proxy[^/]*)\.(?:log|txt)$/],
  sniff: () => 0,
  parse() {
    return { unparsed: 'no-match' }
  },
  examples: [],
})
