// Splits what follows `$status $body_bytes_sent` in a text access line into its fields. The tail's layout
// differs per format (combined, Omnibus `$gzip_ratio`, ingress-nginx upstream block, home-made additions),
// so it is tokenised first and interpreted by position afterwards. A hand-written scan rather than a regex:
// one pass, no backtracking, whatever an attacker puts in the User-Agent.

/** One field of the tail: `"quoted"` (referer, UA, X-Forwarded-For), `[bracketed]` (ingress upstream name) or bare. */
export interface AccessToken {
  kind: 'quoted' | 'bracket' | 'bare'
  value: string
}

/**
 * Tokenises `text`. Quoted values end at the next `"` (NGINX writes a literal quote as `\x22`); an unclosed
 * quote or bracket takes the rest of the line. Bare values that NGINX writes as lists (`$upstream_addr` of a
 * retried request: `10.0.0.1:5000, 10.0.0.2:5000`; an internal redirect: `a : b`) are kept as one token. An
 * IPv6 address with its port (`[2a02:cf40::7]:5000`, a dual-stack cluster's `$upstream_addr`) is bare, not a
 * bracketed name (elastic/integrations#4128).
 */
export function tokenizeAccessTail(text: string): AccessToken[] {
  const tokens: AccessToken[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (c === ' ') {
      i++
      continue
    }
    if (c === '"' || c === '[') {
      const close = text.indexOf(c === '"' ? '"' : ']', i + 1)
      const end = close === -1 ? text.length : close
      if (c === '[' && text[end + 1] === ':') {
        i = pushBare(tokens, text, i)
        continue
      }
      tokens.push({ kind: c === '"' ? 'quoted' : 'bracket', value: text.slice(i + 1, end) })
      i = end + 1
      continue
    }
    i = pushBare(tokens, text, i)
  }
  return tokens
}

/** Adds the bare value starting at `start` (joined to the token before when both are parts of one list); returns where it ends. */
function pushBare(tokens: AccessToken[], text: string, start: number): number {
  let end = text.indexOf(' ', start)
  if (end === -1) end = text.length
  const value = text.slice(start, end)
  const previous = tokens.at(-1)
  if (previous?.kind === 'bare' && (previous.value.endsWith(',') || previous.value.endsWith(' :') || value === ':')) {
    previous.value += ` ${value}`
  } else {
    tokens.push({ kind: 'bare', value })
  }
  return end
}
