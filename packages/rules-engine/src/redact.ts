// Secrets must not leave the tool in a finding: every evidence text and message goes through `redact`.
// Each pattern is linear: token runs are anchored with a lookbehind so a run is scanned from its start only,
// and no quantified group can match the same text two ways (redact.test.ts runs recheck on every one).

/** What replaces a secret. */
export const REDACTED = '[REDACTED]'

const TOKEN = '[A-Za-z0-9._~+/=-]+'
const B64URL = '[A-Za-z0-9_-]+'
const SECRET_KEYS = 'aws_secret_access_key|secret_access_key|secretaccesskey|secretkey|secret_key'
const TOKEN_KEYS = 'private_token|access_token|job_token|token|password|passwd|secret'

/** [pattern, replacement]; `$1` keeps the key so the operator sees what was hidden. */
export const REDACTIONS: readonly (readonly [RegExp, string])[] = [
  // JWTs first, wherever they appear (header.payload.signature, header and payload start with `{"`).
  [new RegExp(`(?<![A-Za-z0-9_-])eyJ${B64URL}\\.eyJ${B64URL}\\.[A-Za-z0-9_-]*`, 'g'), REDACTED],
  [new RegExp(`(?<![A-Za-z0-9])(Bearer\\s)\\s*${TOKEN}`, 'gi'), `$1${REDACTED}`],
  // `Authorization: Basic …`, also as Go prints a header map (`Authorization:[Basic …]`).
  [/(authorization["']?\s?[:=]\s?[["']?basic\s)\s*[A-Za-z0-9+/=]+/gi, `$1${REDACTED}`],
  // GitLab tokens by their prefixes (personal, CI job, deploy, runner, feed, trigger, OAuth, agent, …).
  // After a `-` too: an instance-wide token prefix gives `<prefix>-glpat-…`.
  [/(?<![A-Za-z0-9_])gl(?:pat|cbt|dt|rt|ft|ptt|oas|soat|agent|imt|wt|ffct)-[A-Za-z0-9_-]+/g, REDACTED],
  // `PRIVATE-TOKEN: …`, `JOB-TOKEN: …` headers (Go header maps too).
  [/((?:private|job|deploy)-token["']?\s?[:=]\s?[["']?)[^\s"',&\]]+/gi, `$1${REDACTED}`],
  // https://user:password@host
  [/(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)[^\s:@/]+:[^\s@/]+@/gi, `$1${REDACTED}@`],
  // Pre-signed S3 and GCS URLs. The value stops at `:` too: containerd prints `…&X-Amz-Signature=<hex>: 403 Forbidden`.
  [/(X-(?:Amz|Goog)-(?:Signature|Credential|Security-Token)=)[^&\s"':]+/gi, `$1${REDACTED}`],
  // Older and other signed URLs: S3 SigV2 (`AWSAccessKeyId=…&Signature=…`), GCS V2, CloudFront (`Signature=`,
  // `Policy=`), Azure SAS (`sig=`).
  [/([?&](?:Signature|sig|Policy|AWSAccessKeyId)=)[^&\s"':]+/gi, `$1${REDACTED}`],
  // `secretkey: …`, `secretkey=…`, and the Ruby hashes of gitlab.rb (`'secretkey' => '…'`): a quoted value to
  // its closing quote (it may hold spaces), an unquoted one to the next separator.
  [new RegExp(`((?:${SECRET_KEYS})["']?\\s?(?:=>|[:=](?!>))\\s?")[^"]*`, 'gi'), `$1${REDACTED}`],
  [new RegExp(`((?:${SECRET_KEYS})["']?\\s?(?:=>|[:=](?!>))\\s?')[^']*`, 'gi'), `$1${REDACTED}`],
  [new RegExp(`((?:${SECRET_KEYS})["']?\\s?(?:=>|[:=](?!>))\\s?)[^\\s"',&]+`, 'gi'), `$1${REDACTED}`],
  // `'password' => '…'`, `:password => "…"`, `:password=>"…"` in gitlab.rb and Ruby hash dumps.
  [new RegExp(`((?:["'](?:${TOKEN_KEYS})["']|:(?:${TOKEN_KEYS}))\\s?=>\\s?")[^"]*`, 'gi'), `$1${REDACTED}`],
  [new RegExp(`((?:["'](?:${TOKEN_KEYS})["']|:(?:${TOKEN_KEYS}))\\s?=>\\s?')[^']*`, 'gi'), `$1${REDACTED}`],
  // "password":"…" in JSON (escaped quotes inside the value included).
  [new RegExp(`("(?:${TOKEN_KEYS})"\\s?:\\s?")(?:[^"\\\\]|\\\\.)*"`, 'gi'), `$1${REDACTED}"`],
  // token=…, password=…, private_token=… in query strings and logfmt (optionally quoted); not a Ruby `=>`.
  [new RegExp(`((?:${TOKEN_KEYS})=)(?!>)(?:"[^"]*"|[^&\\s"']+)`, 'gi'), `$1${REDACTED}`],
]

/** Where a `docker login` (or `podman login`, `helm registry login`, …) command starts in a line. */
const LOGIN = /\blogin\s/g
/** The flags whose next word (or `=value`) is a password. */
const PASSWORD_FLAGS = new Set(['-p', '--password'])

/** `text` with secrets replaced by `[REDACTED]`. */
export function redact(text: string): string {
  let result = text
  for (const [pattern, replacement] of REDACTIONS) result = result.replace(pattern, replacement)
  return redactLoginPasswords(result)
}

/**
 * The password of a `login` command, whatever the order of its flags (`-p x -u y`, `--password=x`, a quoted
 * value with spaces). Read word by word after `login` rather than by one pattern: the flags may come in any
 * order, and a pattern that looks ahead for them would rescan the line from every `login`. `-p` elsewhere (a
 * port mapping of `docker run -u 1000 -p 5000:5000`) is left alone.
 */
function redactLoginPasswords(text: string): string {
  const start = text.search(LOGIN)
  if (start === -1) return text
  // Words with the whitespace before each, so the line is put back together unchanged around the password.
  const parts = text.slice(start).split(/(\s+)/)
  for (let at = 0; at < parts.length; at += 2) {
    const word = parts[at] ?? ''
    const [flag, inline] = word.startsWith('--password=') ? ['--password', word.slice('--password='.length)] : word.startsWith('-p=') ? ['-p', word.slice(3)] : [word, undefined]
    if (!PASSWORD_FLAGS.has(flag ?? '')) continue
    if (inline !== undefined) {
      parts[at] = `${flag}=${maskedValue(inline, parts, at)}`
      continue
    }
    if (at + 2 < parts.length) parts[at + 2] = maskedValue(parts[at + 2] ?? '', parts, at + 2)
  }
  return text.slice(0, start) + parts.join('')
}

/** The value with the password replaced; a quoted value spanning several words has those words removed. */
function maskedValue(value: string, parts: string[], at: number): string {
  const quote = value[0] === '"' || value[0] === "'" ? value[0] : undefined
  if (quote === undefined) return REDACTED
  // Drop the words up to the closing quote (the password's own spaces included).
  let end = at
  while (!(end === at ? value.length > 1 && value.endsWith(quote) : (parts[end] ?? '').endsWith(quote)) && end + 2 < parts.length) end += 2
  parts.splice(at + 1, end - at)
  return `${quote}${REDACTED}${quote}`
}
