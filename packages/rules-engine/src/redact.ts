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
  [/(?<![A-Za-z0-9_-])gl(?:pat|cbt|dt|rt|ft|ptt|oas|soat|agent|imt|wt|ffct)-[A-Za-z0-9_-]+/g, REDACTED],
  // `PRIVATE-TOKEN: …`, `JOB-TOKEN: …` headers (Go header maps too).
  [/((?:private|job|deploy)-token["']?\s?[:=]\s?[["']?)[^\s"',&\]]+/gi, `$1${REDACTED}`],
  // https://user:password@host
  [/(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)[^\s:@/]+:[^\s@/]+@/gi, `$1${REDACTED}@`],
  // Pre-signed S3 and GCS URLs. The value stops at `:` too: containerd prints `…&X-Amz-Signature=<hex>: 403 Forbidden`.
  [/(X-(?:Amz|Goog)-(?:Signature|Credential|Security-Token)=)[^&\s"':]+/gi, `$1${REDACTED}`],
  // Older and other signed URLs: S3 SigV2 (`AWSAccessKeyId=…&Signature=…`), GCS V2, CloudFront (`Signature=`,
  // `Policy=`), Azure SAS (`sig=`).
  [/([?&](?:Signature|sig|Policy|AWSAccessKeyId)=)[^&\s"':]+/gi, `$1${REDACTED}`],
  // `secretkey: …`, `secretkey=…`, and the Ruby hashes of gitlab.rb (`'secretkey' => '…'`).
  [new RegExp(`((?:${SECRET_KEYS})["']?\\s?(?:=>|[:=])\\s?["']?)[^\\s"',&]+`, 'gi'), `$1${REDACTED}`],
  // `'password' => '…'` and the like in gitlab.rb and Ruby hash dumps.
  [new RegExp(`(["'](?:${TOKEN_KEYS})["']\\s?=>\\s?["'])[^"']*`, 'gi'), `$1${REDACTED}`],
  // `docker login -u <user> -p <password>` and `--password <password>` / `--password=<password>`.
  [/(\s-u\s+\S+\s+-p\s*["']?|--password(?:=|\s+)["']?)[^\s"']+/g, `$1${REDACTED}`],
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
