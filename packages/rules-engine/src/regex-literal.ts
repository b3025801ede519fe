// The literals every match of a rule's regex must contain, read from the pattern's top level, for the
// prefilter (required-literals.ts). Conservative: anything it does not understand ends a literal run.

/** Escapes that are not the character itself: classes, assertions, control and code-point escapes, backreferences. */
const SPECIAL_ESCAPES = new Set('dDwWsSbBnrtfv0123456789kpPxuc')

/**
 * The longest literal every match of `pattern` contains, read from its top level only: groups, classes,
 * escapes like `\d`, `.` and anchors end a run; a character made optional by `?`, `*` or `{0,…}` is dropped.
 * A top-level `|` means no single literal is required (see `regexAlternativeLiterals`).
 */
export function regexLiteral(pattern: string): string | undefined {
  const runs: string[] = []
  let run = ''
  const endRun = () => {
    if (run !== '') runs.push(run)
    run = ''
  }
  let index = 0
  while (index < pattern.length) {
    const char = pattern.charAt(index)
    if (char === '|') return undefined
    if (char === '\\') {
      const next = pattern.charAt(index + 1)
      if (SPECIAL_ESCAPES.has(next)) {
        endRun()
        index = skipQuantifier(pattern, skipEscape(pattern, index))
        continue
      }
      index = addLiteral(next, index + 2)
      continue
    }
    if (char === '(' || char === '[') {
      endRun()
      index = skipQuantifier(pattern, char === '(' ? skipGroup(pattern, index) : skipClass(pattern, index))
      continue
    }
    if ('.^$'.includes(char)) {
      endRun()
      index = skipQuantifier(pattern, index + 1)
      continue
    }
    if ('*+?{}'.includes(char)) return undefined // a quantifier with nothing before it: leave it to RegExp
    index = addLiteral(char, index + 1)
  }
  endRun()
  return runs.reduce<string | undefined>((longest, candidate) => (longest === undefined || candidate.length > longest.length ? candidate : longest), undefined)

  /** Adds a literal character at `next`, looking at the quantifier after it. */
  function addLiteral(char: string, next: number): number {
    const quantifier = pattern.charAt(next)
    if (quantifier === '?' || quantifier === '*' || (quantifier === '{' && /^\{0[,}]/.test(pattern.slice(next, next + 3)))) {
      endRun()
      return skipQuantifier(pattern, next)
    }
    run += char
    if (quantifier === '+' || quantifier === '{') {
      endRun()
      return skipQuantifier(pattern, next)
    }
    return next
  }
}

function skipQuantifier(pattern: string, index: number): number {
  let at = index
  const char = pattern.charAt(at)
  if (char === '*' || char === '+' || char === '?') at++
  else if (char === '{') {
    const close = pattern.indexOf('}', at)
    at = close === -1 ? pattern.length : close + 1
  } else return at
  return pattern.charAt(at) === '?' ? at + 1 : at
}

function skipGroup(pattern: string, open: number): number {
  let depth = 0
  for (let index = open; index < pattern.length; index++) {
    const char = pattern.charAt(index)
    if (char === '\\') index++
    else if (char === '[') index = skipClass(pattern, index) - 1
    else if (char === '(') depth++
    else if (char === ')' && --depth === 0) return index + 1
  }
  return pattern.length
}

/** In JS a `]` right after `[` closes the class (`[]` matches nothing), so the first unescaped `]` ends it. */
function skipClass(pattern: string, open: number): number {
  for (let index = open + 1; index < pattern.length; index++) {
    const char = pattern.charAt(index)
    if (char === '\\') index++
    else if (char === ']') return index + 1
  }
  return pattern.length
}

/** The index after the escape starting at `index` (a backslash followed by one of SPECIAL_ESCAPES). */
function skipEscape(pattern: string, index: number): number {
  const kind = pattern.charAt(index + 1)
  const after = index + 2
  if (kind === 'x') return after + 2
  if (kind === 'c') return after + 1
  if (kind === 'u') return pattern.charAt(after) === '{' ? skipTo(pattern, after, '}') : after + 4
  if (kind === 'k') return pattern.charAt(after) === '<' ? skipTo(pattern, after, '>') : after
  if (kind === 'p' || kind === 'P') return pattern.charAt(after) === '{' ? skipTo(pattern, after, '}') : after
  let end = after
  if (/[0-9]/.test(kind)) while (/[0-9]/.test(pattern.charAt(end))) end++
  return end
}

function skipTo(pattern: string, from: number, close: string): number {
  const at = pattern.indexOf(close, from)
  return at === -1 ? pattern.length : at + 1
}

/**
 * One literal per top-level alternative of `pattern` (`a|b` needs `a` or `b`); undefined when some
 * alternative has none. A pattern without a top-level `|` gives its `regexLiteral`.
 */
export function regexAlternativeLiterals(pattern: string): string[] | undefined {
  const literals: string[] = []
  for (const alternative of topLevelAlternatives(pattern)) {
    const literal = regexLiteral(alternative)
    if (literal === undefined) return undefined
    literals.push(literal)
  }
  return literals
}

/** `pattern` cut at every `|` outside groups and classes. */
function topLevelAlternatives(pattern: string): string[] {
  const alternatives: string[] = []
  let start = 0
  let index = 0
  while (index < pattern.length) {
    const char = pattern.charAt(index)
    if (char === '\\') index += 2
    else if (char === '(') index = skipGroup(pattern, index)
    else if (char === '[') index = skipClass(pattern, index)
    else {
      if (char === '|') {
        alternatives.push(pattern.slice(start, index))
        start = index + 1
      }
      index++
    }
  }
  alternatives.push(pattern.slice(start))
  return alternatives
}
