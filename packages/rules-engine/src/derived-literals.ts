// Text that a record must contain for a field the parsers derive (not copy) to take a given value. Each
// mapping below was checked against every parser that sets the field (packages/parser/src/sources/…); a
// mapping that is wrong for one format loses findings silently, so a field is only here when it is sound
// for all of them:
// - `route`: set only by `parseRegistryPath` (and by proxy.ts for a cut storage URL containing
//   `/docker/registry/v2/blobs/`), from a path read verbatim from the line (full URLs keep it as a
//   substring); its regexes are case-sensitive, so the literals are too, even under `ignoreCase`.
// - `method`: the request method as logged (`http.request.method=PUT`, `"PUT /v2/… HTTP/1.1"`, `PUT https://…`).
// - `status`: a three-digit token of the line (`parseStatus` and the NGINX / proxy / Rails patterns read
//   `\d{3}`); matched only where no digit touches it, so `202` does not pass every line of 2024.
// - `errorCode`: `normaliseErrorCode` upper-cases `[A-Za-z_ ]+` codes and turns spaces into `_`
//   (`blob upload unknown` → `BLOB_UPLOAD_UNKNOWN`), so each `_`-separated word of such a code occurs in the
//   text case-insensitively; any other code is kept as logged.
// - `retryInSeconds`: only docker's `<layer>: Retrying in <n> seconds` sets it, so any test that needs the
//   field present needs that phrase.
// Stateful sources (Rails request blocks) carry method and path from earlier lines; compile-rules.ts never
// filters their records on text, so these mappings need not hold for them.
import type { ConditionNames } from './compile-condition.js'
import type { Literal, LiteralFormula } from './required-literals.js'
import type { Condition } from './rule-schema.js'

/** Fields handled here: an operator on any other field gives no literal unless the field is verbatim. */
export const DERIVED_FIELDS: ReadonlySet<string> = new Set(['route', 'method', 'status', 'errorCode', 'retryInSeconds'])

const exact = (text: string): LiteralFormula => ({ literal: { text, ignoreCase: false } })

/** Route → what its path contains (see `RegistryRoute` and parse-registry-path.ts). `other` requires nothing. */
const ROUTE_FORMULAS: ReadonlyMap<string, LiteralFormula> = new Map([
  ['base', exact('/v2')],
  ['catalog', exact('/v2/_catalog')],
  ['manifest', exact('/manifests/')],
  ['blob', exact('/blobs/')],
  ['blob-upload', exact('/blobs/uploads')],
  ['tags-list', exact('/tags/list')],
  ['tag-reference', exact('/tags/reference/')],
  ['gitlab-api', exact('/gitlab/v1/')],
  // `/docker/registry/v<version>/blobs/` under any bucket prefix.
  ['storage', { all: [exact('/docker/registry/v'), exact('/blobs/')] }],
  ['debug', exact('/debug')],
  ['jwt-auth', exact('/jwt/auth')],
  ['other-v2', exact('/v2/')],
])

/** Fields only set on lines containing a phrase: every operator but `exists: false` needs it. */
const PRESENCE_FORMULAS: ReadonlyMap<string, LiteralFormula> = new Map([['retryInSeconds', exact('Retrying in ')]])

const METHOD = /^[A-Za-z]{3,}$/
const STATUS = /^\d{3}$/
const SHAPED_ERROR_CODE = /^[A-Za-z_ ]+$/
const MIN_WORD = 3

/**
 * What the text must contain for `condition` (on one of DERIVED_FIELDS) to hold; undefined when nothing is
 * known (operators other than `equals` / `oneOf` / `inList` on a field with values, or values without a mapping).
 */
export function derivedFormula(condition: Condition, names: ConditionNames): LiteralFormula | undefined {
  const presence = PRESENCE_FORMULAS.get(condition.field ?? '')
  if (presence !== undefined) return condition.exists === false ? undefined : presence
  const values = operandValues(condition, names)
  if (values === undefined || values.length === 0) return undefined
  const alternatives: LiteralFormula[] = []
  for (const value of values) {
    const formula = valueFormula(condition.field ?? '', value, condition.ignoreCase === true)
    if (formula === undefined) return undefined
    alternatives.push(formula)
  }
  return alternatives.length === 1 ? alternatives[0] : { any: alternatives }
}

function operandValues(condition: Condition, names: ConditionNames): readonly (string | number | boolean)[] | undefined {
  if (condition.equals !== undefined) return [condition.equals]
  if (condition.oneOf !== undefined) return condition.oneOf
  if (condition.inList !== undefined) return Object.hasOwn(names.lists, condition.inList) ? names.lists[condition.inList] : undefined
  return undefined
}

function valueFormula(field: string, value: string | number | boolean, ignoreCase: boolean): LiteralFormula | undefined {
  if (field === 'status') {
    // Compared as numbers: 405 and "405" both mean the token 405.
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : ''
    return STATUS.test(text) ? { literal: { text, ignoreCase: false, wholeNumber: true } } : undefined
  }
  if (typeof value !== 'string') return undefined
  if (field === 'route') return ROUTE_FORMULAS.get(ignoreCase ? value.toLowerCase() : value)
  if (field === 'method') return METHOD.test(value) ? literal(value, ignoreCase) : undefined
  if (field === 'errorCode') return errorCodeFormula(value, ignoreCase)
  return undefined
}

function errorCodeFormula(code: string, ignoreCase: boolean): LiteralFormula | undefined {
  if (!SHAPED_ERROR_CODE.test(code)) return code.length >= MIN_WORD && isPrintableAscii(code) ? literal(code, ignoreCase) : undefined
  const words = code.split(/[_ ]/).filter((word) => word.length >= MIN_WORD)
  if (words.length === 0) return undefined
  const parts = words.map((word) => literal(word, true))
  return parts.length === 1 ? parts[0] : { all: parts }
}

function literal(text: string, ignoreCase: boolean): LiteralFormula {
  const value: Literal = { text: ignoreCase ? text.toLowerCase() : text, ignoreCase }
  return { literal: value }
}

/** Printable ASCII without the characters a log format may escape (as `longestSafePiece`). */
function isPrintableAscii(text: string): boolean {
  return /^[\x20-\x21\x23-\x25\x27-\x3b\x3d\x3f-\x5b\x5d-\x7e]+$/.test(text)
}
