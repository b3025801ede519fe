// NGINX error log. Minimal version; full parser follows.
import { defineSource } from '../define-source.js'
import type { NginxErrorEvent } from '../log-event.js'

/** NGINX error log: `YYYY/MM/DD HH:MM:SS [level] pid#tid: *conn message, client: …, request: "…"`. */
export const nginxError = defineSource<NginxErrorEvent>({
  id: 'nginx-error',
  description: 'NGINX error log',
  fileNames: [/(?:^|\/)nginx\/[^/]*error[^/]*$/],
  sniff: (text) => (/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[/.test(text) ? 0.9 : 0),
  parse() {
    return { unparsed: 'no-match' }
  },
  examples: [],
})
