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
  [/(authorization["']?\s?[:=]\s?["']?basic\s)\s*[A-Za-z0-9+/=]+/gi, `$1${REDACTED}`],
  // https://user:password@host
  [/(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)[^\s:@/]+:[^\s@/]+@/gi, `$1${REDACTED}@`],
  // Pre-signed S3 and GCS URLs. The value stops at `:` too: containerd prints `…&X-Amz-Signature=<hex>: 403 Forbidden`.
  [/(X-(?:Amz|Goog)-(?:Signature|Credential|Security-Token)=)[^&\s"':]+/gi, `$1${REDACTED}`],
  [new RegExp(`((?:${SECRET_KEYS})["']?\\s?[:=]\\s?["']?)[^\\s"',&]+`, 'gi'), `$1${REDACTED}`],
  // "password":"…" in JSON (escaped quotes inside the value included).
  [new RegExp(`("(?:${TOKEN_KEYS})"\\s?:\\s?")(?:[^"\\\\]|\\\\.)*"`, 'gi'), `$1${REDACTED}"`],
  // token=…, password=…, private_token=… in query strings and logfmt (optionally quoted).
  [new RegExp(`((?:${TOKEN_KEYS})=)(?:"[^"]*"|[^&\\s"']+)`, 'gi'), `$1${REDACTED}`],
]

/** `text` with secrets replaced by `[REDACTED]`. */
export function redact(text: string): string {
  let result = text
  for (const [pattern, replacement] of REDACTIONS) result = result.replace(pattern, replacement)
  return result
}
